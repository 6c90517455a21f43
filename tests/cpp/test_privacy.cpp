// Privacy (docs/reliability.md): no personal field of the fixtures (names, e-mails) appears in any message the
// readers produce — rejection reasons, fields and exception texts — over the fixtures and over mangled copies
// that put those fields where other values belong; nor in the message log other suites append to
// (LIEN_MESSAGE_LOG, message_log.hpp). Pseudonymisation (ReadOptions::pseudonymise_key): HMAC-SHA-256
// against RFC 4231, every reader replaces person ids, and nothing of the real ids, names or e-mails is left.
// A saved model file holds no learner id, name or e-mail.
#include <catch2/catch.hpp>

#include <simdjson.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "lien/core/digest.hpp"
#include "lien/io/read.hpp"
#include "lien/risk/model.hpp"
#include "message_log.hpp"
#include "model_cohort.hpp"

using namespace lien;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

const fs::path kData = LIEN_TEST_DATA_DIR;
const fs::path kExample = fs::path(LIEN_SOURCE_DIR) / "examples" / "data" / "managers-2027";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> csv_folders() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kData / "csv"))
    if (e.is_directory()) out.push_back(e.path());
  out.push_back(kData / "xapi" / "csv-mini");
  out.push_back(kExample);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> xapi_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kData / "xapi"))
    if (e.is_regular_file() && (e.path().extension() == ".ndjson" || e.path().extension() == ".json")) out.push_back(e.path());
  for (const auto& e : fs::directory_iterator(kData / "xapi" / "csv-mini"))
    if (e.path().filename().string().rfind("statements", 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// Rows of a small CSV file (no quoted newlines in the people tables of the fixtures but `small`, whose
/// multi-line names are split into their lines, each still personal).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (!field.empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

/// Personal values: display names and e-mails of people tables; names and mailboxes of xAPI agents.
struct Personal {
  std::set<std::string> values;
  void add(std::string v) {
    if (v.rfind("mailto:", 0) == 0) v = v.substr(7);
    // Each line of a multi-line value on its own; short values ("Bo") would match innocent text.
    std::size_t at = 0;
    for (;;) {
      const std::size_t nl = v.find('\n', at);
      std::string part = v.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      while (!part.empty() && (part.back() == '\r' || part.back() == ' ')) part.pop_back();
      if (part.size() >= 5) values.insert(part);
      if (nl == std::string::npos) break;
      at = nl + 1;
    }
  }
};

void walk_json(simdjson::dom::element e, Personal& p) {
  if (e.is_object()) {
    simdjson::dom::object o = e.get_object();
    std::string_view type;
    const bool typed = o["objectType"].get(type) == simdjson::SUCCESS && (type == "Agent" || type == "Group");
    const bool agent = typed || o["mbox"].error() == simdjson::SUCCESS || o["account"].error() == simdjson::SUCCESS ||
                       o["mbox_sha1sum"].error() == simdjson::SUCCESS;
    for (auto field : o) {
      std::string_view s;
      if (agent && (field.key == "name" || field.key == "mbox") && field.value.get(s) == simdjson::SUCCESS)
        p.add(std::string(s));
      walk_json(field.value, p);
    }
  } else if (e.is_array()) {
    for (auto x : e.get_array()) walk_json(x, p);
  }
}

const Personal& personal() {
  static const Personal p = [] {
    Personal out;
    for (const fs::path& dir : csv_folders())
      for (const char* table : {"learners.csv", "stakeholders.csv"}) {
        if (!fs::exists(dir / table)) continue;
        const auto rows = csv_rows(slurp(dir / table));
        for (std::size_t c = 0; c < rows[0].size(); ++c) {
          std::string h = rows[0][c];
          if (h.rfind("\xEF\xBB\xBF", 0) == 0) h = h.substr(3);
          if (h != "display_name" && h != "email") continue;
          for (std::size_t r = 1; r < rows.size(); ++r)
            if (c < rows[r].size()) out.add(rows[r][c]);
        }
      }
    simdjson::dom::parser parser;
    for (const fs::path& f : xapi_files()) {
      const std::string text = slurp(f);
      simdjson::dom::element doc;
      if (parser.parse(text).get(doc) == simdjson::SUCCESS) {
        walk_json(doc, out);
        continue;
      }
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);)
        if (parser.parse(line).get(doc) == simdjson::SUCCESS) walk_json(doc, out);
    }
    return out;
  }();
  return p;
}

/// Every message seen, with where it came from.
struct Messages {
  std::vector<std::pair<std::string, std::string>> all;  // (origin, text)
  void add(const std::string& origin, const std::string& text) {
    all.emplace_back(origin, text);
    lien_test::log_message(text);
  }
  void add(const std::string& origin, const ReadReport& r) {
    for (const Rejection& x : r.rejected) add(origin, x.source + " " + x.field + " " + x.reason);
  }
  template <class F>
  void run(const std::string& origin, F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      add(origin, e.what());
    }
  }
};

void check_clean(const Messages& m) {
  std::size_t leaks = 0;
  for (const auto& [origin, text] : m.all)
    for (const std::string& v : personal().values)
      if (text.find(v) != std::string::npos) {
        ++leaks;
        FAIL_CHECK("personal value '" << v << "' in a message of " << origin << ": " << text);
      }
  CHECK(leaks == 0);
}

struct Scratch {
  fs::path path;
  explicit Scratch(const std::string& name)
      : path(fs::temp_directory_path() / ("lien_priv_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& v = fields[i];
    out += i ? "," : "";
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
      out += v;
    } else {
      out += '"';
      for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
  }
  return out + "\n";
}

bool is_id_column(const std::string& h) {
  return h.size() > 3 && (h.compare(h.size() - 3, 3, "_id") == 0 || h.find("learner") != std::string::npos);
}

}  // namespace

TEST_CASE("the fixtures hold the personal values this check looks for") {
  const auto& v = personal().values;
  CHECK(v.count("ann@example.org") == 1);
  CHECK(v.count("Mia Manager") == 1);
  CHECK(v.count("camille.garnier@example.org") == 1);
  CHECK(v.count("Someone") == 1);  // an xAPI agent's name in tests/data/xapi/invalid.ndjson
  CHECK(v.size() > 100);
}

TEST_CASE("no reader message over the fixtures or mangled copies of them holds a personal value") {
  Messages m;
  std::size_t variants = 0;
  for (const fs::path& dir : csv_folders()) {
    const std::string name = dir.filename().string();
    m.run(name, [&] { m.add(name, read_csv_dir(dir.string()).report); });
    // Each personal value of a row in every other column of that row, one at a time; the same values in
    // every column of an events row; and the row read as a header.
    std::vector<std::string> values;
    for (const char* table : {"learners.csv", "stakeholders.csv"})
      if (fs::exists(dir / table)) {
        const auto rows = csv_rows(slurp(dir / table));
        const std::string tname = std::string(table).substr(0, std::string(table).size() - 4);
        for (std::size_t r = 1; r < rows.size() && r <= 6; ++r) {
          std::vector<std::string> personal_here;
          for (const std::string& f : rows[r])
            if (personal().values.count(f)) personal_here.push_back(f);
          for (const std::string& v : personal_here) {
            values.push_back(v);
            for (std::size_t c = 0; c < rows[0].size(); ++c) {
              if (is_id_column(rows[0][c])) continue;  // ids may be quoted in messages: not a place for names
              std::vector<std::string> row = rows[r];
              if (c < row.size()) row[c] = v;
              CohortBuilder b;
              m.run(name + "/" + table, [&] {
                read_csv_table(b, tname, join(rows[0]) + join(row), table);
                ReadReport rep;
                b.build(rep);
                m.add(name + "/" + table, rep);
              });
              ++variants;
            }
            CohortBuilder b;
            m.run(name + "/" + table + " as header", [&] { read_csv_table(b, tname, join(rows[r]), table); });
            m.run(name + "/" + table + " bad UTF-8", [&] {
              std::vector<std::string> row = rows[r];
              for (std::string& f : row)
                if (f == v) f += "\xC3";
              CohortBuilder b2;
              read_csv_table(b2, tname, join(rows[0]) + join(row), table);
              ReadReport rep;
              b2.build(rep);
              m.add(name + "/" + table, rep);
            });
          }
        }
      }
    if (!values.empty()) {
      const char* cols[] = {"time", "verb", "object_type", "score", "success", "completion", "duration", "count"};
      for (const char* col : cols)
        for (std::size_t i = 0; i < values.size() && i < 8; ++i) {
          CohortBuilder b;
          m.run(name + "/events", [&] {
            read_csv_table(b, "events", "learner_id,time,verb," + std::string(col == std::string("time") || col == std::string("verb") ? "object_id" : col) + "\n" +
                                            join({"L1", col == std::string("time") ? values[i] : "2026-09-08T10:00:00Z",
                                                  col == std::string("verb") ? values[i] : "launched", values[i]}),
                           "events.csv");
            ReadReport rep;
            b.build(rep);
            m.add(name + "/events", rep);
          });
          ++variants;
        }
      // calendar.json keys and values
      m.run(name + "/calendar", [&] {
        Scratch s("cal");
        for (const auto& e : fs::directory_iterator(kData / "csv" / "minimal")) fs::copy_file(e.path(), s.path / e.path().filename());
        std::ofstream(s.path / "calendar.json") << "{\"" << values[0] << "\": \"" << values[0] << "\"}";
        read_csv_dir(s.path.string());
      });
    }
  }
  // xAPI: the fixtures, then each statement with an agent's name or mailbox put in the verb, the timestamp,
  // the object type and the score.
  for (const fs::path& f : xapi_files()) {
    const std::string name = f.filename().string();
    for (bool strict : {false, true}) {
      ReadOptions o;
      o.strict = strict;
      m.run(name, [&] { m.add(name, read_xapi_file(f.string(), o).report); });
    }
    if (f.extension() != ".ndjson") continue;
    std::istringstream lines(slurp(f));
    int n = 0;
    for (std::string line; std::getline(lines, line) && n < 12; ++n) {
      std::string text;
      for (const std::string& v : personal().values) {
        if (text.size() > 200000) break;
        const std::pair<const char*, std::size_t> keys[] = {
            {"\"timestamp\":\"", 13}, {"\"id\":\"http://adlnet", 6}, {"\"objectType\":\"Activity", 14}};
        for (const auto& [key, skip] : keys) {
          std::string x = line;
          const std::size_t at = x.find(key);
          if (at == std::string::npos) continue;
          const std::size_t open = at + skip - 1;  // the value's opening quote
          const std::size_t close = x.find('"', open + 1);
          if (close == std::string::npos) continue;
          std::string escaped;
          for (char c : v) escaped += c == '"' || c == '\\' ? std::string("\\") + c : c == '\n' ? std::string("\\n") : std::string(1, c);
          x.replace(open + 1, close - open - 1, escaped);
          text += x + "\n";
          ++variants;
        }
      }
      for (bool strict : {false, true}) {
        CohortBuilder b;
        ReadOptions o;
        o.strict = strict;
        m.run(name + " mangled", [&] {
          read_xapi_text(b, text, name, o);
          ReadReport rep;
          b.build(rep);
          m.add(name + " mangled", rep);
        });
      }
    }
  }
  INFO(m.all.size() << " messages from " << variants << " mangled inputs");
  CHECK(m.all.size() > 1000);
  check_clean(m);
}

TEST_CASE("the message log other suites append to (LIEN_MESSAGE_LOG) holds no personal value") {
  // Run last, after the suites that append (docs/reliability.md says how); without the variable, the log this
  // test writes itself is checked: the hook round-trips messages.
  const char* path = std::getenv("LIEN_MESSAGE_LOG");
  Messages m;
  if (path && *path) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) m.all.emplace_back(path, line);
    // Empty when only tests that see no message ran (e.g. ctest -R concurrency); a whole run always has the C
    // suite's thousands of lines (checked in docs/reliability.md's figures).
    if (m.all.empty()) WARN("no test wrote to " << path);
  } else {
    Scratch s("log");
    const std::string log = (s.path / "messages.log").string();
    ::setenv("LIEN_MESSAGE_LOG", log.c_str(), 1);
    lien_test::log_message("first\nsecond");
    lien_test::log_message("third");
    ::unsetenv("LIEN_MESSAGE_LOG");
    CHECK(slurp(log) == "first\\nsecond\nthird\n");
    m.all.emplace_back(log, slurp(log));
  }
  check_clean(m);
}

// ---- pseudonymisation ----------------------------------------------------------------------------------------

namespace {
std::string unhex(const char* h) {
  std::string out;
  for (std::size_t i = 0; h[i] && h[i + 1]; i += 2) out += static_cast<char>(std::stoi(std::string(h + i, 2), nullptr, 16));
  return out;
}
}  // namespace

TEST_CASE("HMAC-SHA-256 gives the RFC 4231 test vectors") {
  struct Case {
    std::string key, data;
    const char* mac;
  };
  const Case cases[] = {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
       "hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const Case& c : cases) CHECK(to_hex(hmac_sha256(c.key, c.data)) == c.mac);
  // RFC 4231 case 5: the output truncated to 128 bits, which is what pseudonym() keeps.
  const std::string key5(20, '\x0c');
  CHECK(to_hex(hmac_sha256(key5, "Test With Truncation")).substr(0, 32) == "a3b6167473100ee06e0c796c2955552b");
  CHECK(pseudonym(key5, "Test With Truncation") == "a3b6167473100ee06e0c796c2955552b");
}

TEST_CASE("every reader pseudonymises person ids with the key, and drops names and e-mails") {
  ReadOptions keyed;
  keyed.pseudonymise_key = "a secret only the data controller holds";
  const std::string& key = keyed.pseudonymise_key;
  Scratch out("pseudo");
  struct Input {
    std::string name;
    std::function<ReadResult(const ReadOptions&)> read;
  };
  const std::string mini = (kData / "xapi" / "csv-mini").string();
  const std::vector<Input> inputs = {
      {"csv small", [&](const ReadOptions& o) { return read_csv_dir((kData / "csv" / "small").string(), o); }},
      {"csv example", [&](const ReadOptions& o) { return read_csv_dir(kExample.string(), o); }},
      {"xapi", [&](const ReadOptions& o) { return read_xapi_file((kData / "xapi" / "ralph.ndjson").string(), o); }},
      {"xapi with tables",
       [&](const ReadOptions& o) { return read_xapi_file_with_tables(mini + "/statements.ndjson", mini, o); }},
      {"read_data", [&](const ReadOptions& o) { return read_data((kData / "csv" / "small").string(), o); }},
  };
  for (const Input& in : inputs) {
    INFO(in.name);
    const ReadResult plain = in.read(ReadOptions{});
    const ReadResult pseudo = in.read(keyed);
    const ReadResult again = in.read(keyed);
    const Cohort &a = plain.cohort, &b = pseudo.cohort;
    REQUIRE(a.person_count() > 0);
    // The same cohort, counted every way, with only the ids changed.
    CHECK(b.person_count() == a.person_count());
    CHECK(b.learner_count() == a.learner_count());
    CHECK(b.enrolment_count() == a.enrolment_count());
    CHECK(b.events().size() == a.events().size());
    CHECK(pseudo.report.accepted == plain.report.accepted);
    CHECK(pseudo.report.rejected.size() == plain.report.rejected.size());
    std::set<std::string> raw;
    for (PersonId p = 0; p < a.person_count(); ++p) {
      const std::string id = a.person(p).id;
      raw.insert(id);
      CHECK(b.person(p).id == pseudonym(key, id));
      CHECK(b.person(p).display_name.empty());
      CHECK(b.person(p).email.empty());
      CHECK(again.cohort.person(p).id == b.person(p).id);
    }
    // Nothing written from the pseudonymised cohort names a real id, a name or an e-mail.
    const fs::path dir = out.path / std::to_string(&in - inputs.data());
    write_csv_dir(b, dir.string());
    std::string files;
    for (const auto& e : fs::directory_iterator(dir)) files += slurp(e.path());
    for (const std::string& id : raw) {
      const std::string quoted = "\n" + id + ",";
      CHECK(files.find(quoted) == std::string::npos);
    }
    // An organisation is no person: a training organisation's display name is also its organisation's name.
    std::set<std::string> organisations;
    for (PersonId p = 0; p < a.person_count(); ++p) organisations.insert(a.person(p).organisation);
    for (const std::string& v : personal().values) {
      if (organisations.count(v)) continue;
      INFO("personal value '" << v << "'");
      CHECK(files.find(v) == std::string::npos);
    }
    // Rejection reasons quote pseudonyms, not the ids.
    for (std::size_t i = 0; i < pseudo.report.rejected.size(); ++i)
      for (const std::string& id : raw)
        CHECK(pseudo.report.rejected[i].reason.find("'" + id + "'") == std::string::npos);
  }
  // Another key, other pseudonyms; ids stay distinct.
  ReadOptions other;
  other.pseudonymise_key = "another key";
  const ReadResult x = read_csv_dir(kExample.string(), keyed), y = read_csv_dir(kExample.string(), other);
  std::set<std::string> ids;
  for (PersonId p = 0; p < x.cohort.person_count(); ++p) {
    CHECK(x.cohort.person(p).id != y.cohort.person(p).id);
    ids.insert(x.cohort.person(p).id);
  }
  CHECK(ids.size() == x.cohort.person_count());
}

TEST_CASE("rejections of a pseudonymised read quote the pseudonym of the person id") {
  CohortBuilder b;
  b.set_pseudonymise_key("k");
  read_csv_table(b, "learners", "learner_id\nL1\nL1\n", "learners.csv");
  read_csv_table(b, "events", "learner_id,time,verb\nL9,2026-09-08T10:00:00Z,launched\n", "events.csv");
  ReadReport r;
  const Cohort c = b.build(r);
  REQUIRE(r.rejected.size() == 2);
  CHECK_THAT(r.rejected[0].reason, Contains("'" + pseudonym("k", "L1") + "'") && !Contains("'L1'"));
  CHECK_THAT(r.rejected[1].reason, Contains("'" + pseudonym("k", "L9") + "'") && !Contains("'L9'"));
  CHECK(c.find_person(pseudonym("k", "L1")) != kNoId);
  CHECK(c.find_person("L1") == kNoId);
}

// ---- model files ------------------------------------------------------------------------------------------------

TEST_CASE("a saved model file holds no learner id, enrolment id, name or e-mail") {
  lien_test::CohortParams p;
  p.learners = 160;
  const Cohort c = lien_test::make_cohort(p);
  RiskModelOptions o;
  o.folds = 3;
  const RiskModel m = RiskModel::fit(c, o);
  Scratch s("model");
  const std::string file = (s.path / "model.json").string();
  m.save(file);
  const std::string text = slurp(file);
  REQUIRE(text.size() > 1000);
  std::size_t checked = 0;
  for (PersonId q = 0; q < c.person_count(); ++q) {
    const Person& person = c.person(q);
    for (const std::string& v : {person.id, person.display_name, person.email})
      if (!v.empty()) {
        CHECK(text.find(v) == std::string::npos);
        ++checked;
      }
  }
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) CHECK(text.find(c.enrolment(e).id) == std::string::npos);
  CHECK(checked > 300);
  for (const char* part : {"learner-", "enrolment-", "manager-", "Zorglub", "zorglub", "@example.org"})
    CHECK(text.find(part) == std::string::npos);
}
