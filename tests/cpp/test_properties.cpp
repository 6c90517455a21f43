// Nothing lost (docs/reliability.md): randomised tables and xAPI files (fixed seeds, hundreds of cases) of
// valid and invalid records. For every reader: each record read is accepted or rejected (per source and
// overall), rejections point at records that exist, and what was accepted round-trips — cohort ->
// write_csv_dir -> read_csv_dir gives the same cohort, accepting every row, and writes the same files again.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "lien/io/read.hpp"
#include "message_log.hpp"
#include "model_cohort.hpp"

using namespace lien;
namespace fs = std::filesystem;

namespace {

using Pool = std::vector<std::string>;

struct Gen {
  lien_test::Rng rng;
  explicit Gen(std::uint64_t seed) : rng{seed} {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng.next() % n); }
  bool chance(double p) { return rng.uniform() < p; }
  const std::string& pick(const Pool& p) { return p[below(p.size())]; }
};

/// A CSV field, quoted when it must be.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

template <std::size_t N>
Pool names(const std::array<std::string_view, N>& a) {
  Pool out;
  for (auto s : a) out.emplace_back(s);
  return out;
}

// Values shared by the tables: ids declared by the reference tables and some that are not.
const Pool kLearnerIds = {"L1", "L2", "L3", "L4", "L5", "L6", "L7"};
const Pool kPersonRefs = {"L1", "L2", "L3", "M1", "T1", "ghost", "L99"};
const Pool kTimes = {"2026-09-08T10:00:00Z", "2026-09-09", "2026-10-01T08:30:00+02:00", "2026-09-08T10:00:00.250Z",
                     "2027-01-04T09:00:00"};
const Pool kBadTimes = {"2026-13-01", "yesterday", "2026-02-30T10:00:00Z", "2026-09-08T25:00:00Z", "9999999999"};
const Pool kText = {"Ada", "Zoë Åström", "a, b", "say \"hi\"", "two\nlines", "   ", "x;y", "€"};
const Pool kBadUtf8 = {std::string("\xC3"), std::string("ab\xFF"), std::string("\xE2\x82")};

struct Column {
  std::string name;
  Pool valid, invalid;  ///< invalid may be empty (any text is valid)
};

struct TableGen {
  std::string table;
  std::vector<Column> columns;
};

std::vector<TableGen> tables() {
  Pool verbs = names(kVerbNames), kinds = names(kStepKindNames), phases = names(kPhaseNames);
  Pool roles = names(kRoleNames), outcomes = names(kOutcomeNames), otypes = names(kObjectKindNames);
  Pool relations = {"reports_to", "tutors", "trains", "mentors", "hr_for"};
  for (Pool* p : {&verbs, &kinds, &phases, &roles, &outcomes, &otypes}) p->push_back("");
  return {
      {"learners",
       {{"learner_id", kLearnerIds, {""}},
        {"display_name", kText, {}},
        {"email", {"a@example.org", "", "B@Example.org"}, {}},
        {"team", {"", "North", "South"}, {}},
        {"site", {"", "Lille"}, {}},
        {"job", {"", "Chef"}, {}},
        {"gender", {"", "F", "M", "X"}, {}},
        {"age_band", {"", "35-44"}, {}},
        {"disability", {"", "yes"}, {}}}},
      {"stakeholders",
       {{"stakeholder_id", {"M1", "M2", "T1", "T2", "H1", "L1"}, {""}},
        {"role", roles, {"boss", "Manager"}},
        {"display_name", kText, {}},
        {"email", {"", "m@example.org"}, {}},
        {"organisation", {"", "Org"}, {}}}},
      {"paths", {{"path_id", {"P1", "P2", "P3"}, {""}}, {"title", kText, {}}, {"course", {"", "C1"}, {}}}},
      {"steps",
       {{"step_id", {"S1", "S2", "S3", "S4", "S5"}, {""}},
        {"path_id", {"P1", "P1", "P2"}, {"", "P404"}},
        {"title", kText, {}},
        {"kind", kinds, {"lecture"}},
        {"phase", phases, {"later"}},
        {"open", {"", "0", "3"}, {"soon", "2026-09-x"}},
        {"due", {"", "10", "14"}, {"2026-09-20", "-"}},
        {"effort_hours", {"", "1.5", "0"}, {"lots", "1e999"}},
        {"required", {"", "true", "false", "1", "0"}, {"perhaps"}},
        {"weight", {"", "1", "2.5"}, {"heavy"}},
        {"competencies", {"", "lead", "lead;listen"}, {}},
        {"activity_iri", {"", "https://x.test/s1", "https://x.test/s2"}, {}}}},
      {"prerequisites", {{"step_id", {"S1", "S2", "S3"}, {""}}, {"requires_step_id", {"S1", "S2", "S9"}, {""}}}},
      {"relations",
       {{"source_id", kPersonRefs, {""}},
        {"type", relations, {"interacts", "likes"}},
        {"target_id", {"M1", "T1", "L2", "I1", "nobody"}, {""}},
        {"valid_from", {"", "2026-09-01"}, kBadTimes},
        {"valid_to", {"", "2027-06-30"}, kBadTimes}}},
      {"enrolments",
       {{"enrolment_id", {"E10", "E11", "E12", "E13", "E1"}, {""}},
        {"learner_id", kLearnerIds, {""}},
        {"path_id", {"P1", "P1", "P9"}, {""}},
        {"instance_id", {"", "I1", "I2"}, {}},
        {"start", kTimes, kBadTimes},
        {"planned_end", {"", "2027-02-14"}, kBadTimes},
        {"outcome", outcomes, {"dropped"}},
        {"outcome_time", {"", "2026-12-01T10:00:00Z"}, kBadTimes},
        {"prior_attempts", {"", "0", "2"}, {"-1", "many", "99999999999"}}}},
      {"events",
       {{"learner_id", kLearnerIds, {""}},
        {"time", kTimes, kBadTimes},
        {"verb", verbs, {"flew", "Completed"}},
        {"object_type", otypes, {"thing"}},
        {"object_id", {"", "S1", "S2", "S9", "https://x.test/r", "M1", "L2"}, {}},
        {"actor_id", {"", "M1", "T1", "L2", "ghost"}, {}},
        {"score", {"", "0.5", "1", "-2"}, {"high", "1,5"}},
        {"success", {"", "true", "false"}, {"yep"}},
        {"completion", {"", "true", "0"}, {"done"}},
        {"duration", {"", "PT5M", "90", "P1DT2H"}, {"P1Q", "forever"}},
        {"count", {"", "1", "3"}, {"-1", "x", "4294967296"}}}},
  };
}

// The reference tables every case starts from (the table under test is read in their place).
const std::vector<std::pair<std::string, std::string>> kReferences = {
    {"learners", "learner_id\nL1\nL2\nL3\n"},
    {"stakeholders", "stakeholder_id,role\nM1,manager\nT1,tutor\n"},
    {"paths", "path_id\nP1\nP2\n"},
    {"steps", "step_id,path_id,kind,phase\nS1,P1,elearning,during\nS2,P1,classroom,during\n"},
    {"prerequisites", "step_id,requires_step_id\n"},
    {"relations", "source_id,type,target_id\nL1,reports_to,M1\n"},
    {"enrolments", "enrolment_id,learner_id,path_id,instance_id,start\nE1,L1,P1,I1,2026-09-07\nE2,L2,P1,I1,2026-09-07\n"},
    {"events", "learner_id,time,verb\n"},
};

/// A random table of `rows` records and how many were written.
std::string random_table(Gen& g, const TableGen& t, std::size_t rows) {
  std::string out;
  for (std::size_t c = 0; c < t.columns.size(); ++c) out += (c ? "," : "") + t.columns[c].name;
  out += "\n";
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> fields;
    const bool clean = g.chance(0.5);
    for (const Column& col : t.columns) {
      if (!clean && !col.invalid.empty() && g.chance(0.15)) fields.push_back(g.pick(col.invalid));
      else if (!clean && g.chance(0.02)) fields.push_back(g.pick(col.valid) + g.pick(kBadUtf8));
      else fields.push_back(g.pick(col.valid));
    }
    if (!clean && g.chance(0.05)) fields.pop_back();       // a field short
    if (!clean && g.chance(0.05)) fields.push_back("x");   // a field over
    std::string line;
    for (std::size_t c = 0; c < fields.size(); ++c) line += (c ? "," : "") + csv_field(fields[c]);
    if (line.empty()) line = "\"\"";  // a one-field row with an empty value is not a blank line
    out += line + (g.chance(0.1) ? "\r\n" : "\n");
  }
  return out;
}

struct Scratch {
  fs::path path;
  explicit Scratch(const std::string& name)
      : path(fs::temp_directory_path() / ("lien_prop_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp_dir(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  std::string out;
  for (const std::string& f : files) {
    std::ifstream in(dir / f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out += "== " + f + "\n" + ss.str();
  }
  return out;
}

/// The report balances per source and overall; every rejection points at a record of its source.
void check_accounting(const ReadReport& r, const std::map<std::string, std::uint64_t>& written) {
  CHECK(r.balanced());
  std::uint64_t total = 0;
  for (const auto& [name, n] : written) {
    INFO(name);
    const auto it = r.sources.find(name);
    const SourceCount sc = it == r.sources.end() ? SourceCount{} : it->second;
    CHECK(sc.read == n);
    CHECK(sc.read == sc.accepted + sc.rejected);
    total += n;
  }
  CHECK(r.read == total);
  std::map<std::string, std::set<std::uint64_t>> rejected_rows;
  for (const Rejection& x : r.rejected) {
    lien_test::log_message(x.source + ":" + std::to_string(x.index) + ": " + x.field + ": " + x.reason);
    CHECK(!x.reason.empty());
    CHECK(x.index >= 1);
    CHECK(rejected_rows[x.source].insert(x.index).second);  // a record is rejected once
  }
}

/// Cohort -> CSV -> cohort: every row accepted, the same counts, and the same files written again.
void check_round_trip(const Cohort& c, const std::string& tag) {
  Scratch one(tag + "1"), two(tag + "2");
  write_csv_dir(c, one.path.string());
  const ReadResult back = read_csv_dir(one.path.string());
  for (const Rejection& x : back.report.rejected) INFO(x.source << ":" << x.index << " " << x.field << " " << x.reason);
  CHECK(back.report.rejected.empty());
  CHECK(back.report.read == back.report.accepted);
  CHECK(back.cohort.person_count() == c.person_count());
  CHECK(back.cohort.learner_count() == c.learner_count());
  CHECK(back.cohort.path_count() == c.path_count());
  CHECK(back.cohort.step_count() == c.step_count());
  CHECK(back.cohort.enrolment_count() == c.enrolment_count());
  CHECK(back.cohort.events().size() == c.events().size());
  write_csv_dir(back.cohort, two.path.string());
  CHECK(slurp_dir(one.path) == slurp_dir(two.path));
}

}  // namespace

TEST_CASE("CSV tables: random valid and invalid rows are all accounted for, and what is accepted round-trips") {
  const std::vector<TableGen> gens = tables();
  std::size_t cases = 0, rows_total = 0, rejected_total = 0;
  for (const TableGen& t : gens) {
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
      INFO(t.table << " seed " << seed);
      Gen g(seed * 7919 + t.table.size());
      const std::size_t rows = 1 + g.below(60);
      const std::string text = random_table(g, t, rows);
      CohortBuilder b;
      std::map<std::string, std::uint64_t> written;
      for (const auto& [table, ref] : kReferences) {
        const std::string source = table == t.table ? table + ".csv" : "ref_" + table + ".csv";
        const std::string& body = table == t.table ? text : ref;
        read_csv_table(b, table, body, source);
        written[source] = table == t.table ? rows : static_cast<std::uint64_t>(std::count(ref.begin(), ref.end(), '\n') - 1);
      }
      ReadReport report;
      const Cohort c = b.build(report);
      check_accounting(report, written);
      const SourceCount sc = report.sources[t.table + ".csv"];
      // Accepted records are in the cohort: learners and events are counted one for one.
      if (t.table == "learners") CHECK(c.learner_count() == sc.accepted);
      if (t.table == "events") CHECK(c.events().size() == sc.accepted);
      if (t.table == "paths") CHECK(c.path_count() == sc.accepted);
      check_round_trip(c, t.table + std::to_string(seed));
      ++cases, rows_total += rows, rejected_total += sc.rejected;
    }
  }
  CHECK(cases == 8 * 25);
  // The generator really mixes both kinds: a good share of rows is rejected, and a good share accepted.
  CHECK(rejected_total * 10 > rows_total);
  CHECK((rows_total - rejected_total) * 20 > rows_total);
}

namespace {

const Pool kVerbIris = {"http://adlnet.gov/expapi/verbs/launched", "http://adlnet.gov/expapi/verbs/completed",
                        "http://adlnet.gov/expapi/verbs/experienced", "http://adlnet.gov/expapi/verbs/answered",
                        "http://adlnet.gov/expapi/verbs/passed", "https://example.org/verbs/danced"};

std::string random_statement(Gen& g, std::size_t i) {
  const bool clean = g.chance(0.6);
  auto bad = [&](double p) { return !clean && g.chance(p); };
  std::string actor = R"({"objectType":"Agent","account":{"homePage":"https://lms.test","name":")" +
                      g.pick(kLearnerIds) + R"("}})";
  if (bad(0.1)) actor = R"({"objectType":"Agent"})";
  if (bad(0.05)) actor = R"("L1")";
  std::string verb = R"({"id":")" + g.pick(kVerbIris) + R"("})";
  if (bad(0.1)) verb = R"({"display":{"en":"did"}})";
  std::string object = R"({"objectType":"Activity","id":"https://lms.test/a/)" + std::to_string(g.below(5)) + R"("})";
  if (bad(0.1)) object = R"({"objectType":"Activity"})";
  std::string time = "2026-09-" + std::to_string(10 + g.below(18)) + "T10:00:00Z";
  if (bad(0.1)) time = g.pick(kBadTimes);
  std::string s = R"({"id":"00000000-0000-4000-8000-)" + [&] {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%012zu", i);
    return std::string(buf);
  }() + R"(","actor":)" + actor + R"(,"verb":)" + verb + R"(,"object":)" + object + R"(,"timestamp":")" + time + "\"";
  if (g.chance(0.3)) s += R"(,"result":{"score":{"scaled":)" + std::string(bad(0.2) ? "\"high\"" : "0.5") + "}}";
  s += "}";
  if (bad(0.05)) s.resize(s.size() / 2);  // a line cut short: not JSON
  return s;
}

}  // namespace

TEST_CASE("xAPI: random valid and invalid statements are all accounted for, and what is accepted round-trips") {
  std::size_t cases = 0, statements = 0, rejected = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    INFO("seed " << seed);
    Gen g(seed * 104729);
    const std::size_t n = 1 + g.below(80);
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += random_statement(g, i) + "\n";
    for (bool strict : {false, true}) {
      CohortBuilder b;
      ReadOptions o;
      o.strict = strict;
      read_xapi_text(b, text, "random.ndjson", o);
      ReadReport report;
      const Cohort c = b.build(report);
      check_accounting(report, {{"random.ndjson", n}});
      check_round_trip(c, "xapi" + std::to_string(seed) + (strict ? "s" : ""));
      ++cases, statements += n, rejected += report.rejected.size();
    }
  }
  CHECK(cases == 120);
  CHECK(rejected * 10 > statements);
  CHECK((statements - rejected) * 4 > statements);
}
