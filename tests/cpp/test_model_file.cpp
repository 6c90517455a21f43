// Model files: round trips that keep every bit, the committed fixtures written by Python from the documented
// format (tests/data/models/make_fixtures.py), every truncation and every bit flip refused, each reason a file is
// refused, and atomic writes that never leave a half-written model.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <simdjson.h>

#include "lien/core/digest.hpp"
#include "lien/core/error.hpp"
#include "lien/features/features.hpp"
#include "lien/risk/model.hpp"
#include "model_cohort.hpp"

using namespace lien;
using Catch::Matchers::Contains;
using lien_test::first_start;
using lien_test::make_cohort;

namespace {

constexpr Time kDay = kMsPerDay;
const std::string kModels = std::string(LIEN_TEST_DATA_DIR) + "/models/";

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) out.push_back(e->d_name);
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// A fresh empty directory, removed with its files at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tpl = std::string(base && *base ? base : "/tmp") + "/lien_model_XXXXXX";
    std::vector<char> buf(tpl.begin(), tpl.end());
    buf.push_back('\0');
    REQUIRE(mkdtemp(buf.data()) != nullptr);
    path = buf.data();
  }
  ~TempDir() {
    for (const std::string& f : list_dir(path)) {
      const std::string p = path + "/" + f;
      struct stat st;
      if (stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) rmdir(p.c_str());
      else unlink(p.c_str());
    }
    chmod(path.c_str(), 0700);
    rmdir(path.c_str());
  }
};

/// The text with its checksum recomputed, as a tool editing a model file on purpose would do.
std::string reseal(std::string text) {
  const std::size_t at = text.rfind("\"checksum\"");
  REQUIRE(at != std::string::npos);
  const std::string hex = to_hex(sha256(std::string_view(text).substr(0, at)));
  return text.substr(0, at) + "\"checksum\": \"sha256:" + hex + "\"\n}\n";
}

/// Replaces the first occurrence of `from` (which must occur) by `to`, and reseals.
std::string edit(const std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return reseal(text.substr(0, at) + to + text.substr(at + from.size()));
}

/// Removes the top-level member `name` (its lines, up to the next top-level member), and reseals.
std::string without_member(const std::string& text, const std::string& name) {
  const std::size_t at = text.find("\n  \"" + name + "\": ");
  REQUIRE(at != std::string::npos);
  const std::size_t next = text.find("\n  \"", at + 1);
  REQUIRE(next != std::string::npos);
  return reseal(text.substr(0, at) + text.substr(next));
}

std::string model_error(const std::string& text) {
  try {
    RiskModel::from_json(text);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(accepted)";
}

bool identical(const std::vector<RiskScore>& a, const std::vector<RiskScore>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const RiskScore &x = a[i], &y = b[i];
    if (x.enrolment != y.enrolment || !same_bits(x.logit, y.logit) || !same_bits(x.probability, y.probability) ||
        x.band != y.band || x.drivers.size() != y.drivers.size() || !same_bits(x.withdraw_by_end, y.withdraw_by_end) ||
        x.withdraw_within.size() != y.withdraw_within.size())
      return false;
    for (std::size_t k = 0; k < x.drivers.size(); ++k)
      if (x.drivers[k].feature != y.drivers[k].feature || !same_bits(x.drivers[k].contribution, y.drivers[k].contribution))
        return false;
    for (std::size_t k = 0; k < x.withdraw_within.size(); ++k)
      if (!same_bits(x.withdraw_within[k], y.withdraw_within[k])) return false;
  }
  return true;
}

const Cohort& history() {
  static const Cohort c = [] {
    lien_test::CohortParams p;
    p.learners = 150;
    return make_cohort(p);
  }();
  return c;
}
const Cohort& later() {
  static const Cohort c = [] {
    lien_test::CohortParams p;
    p.learners = 80;
    p.seed = 31;
    return make_cohort(p);
  }();
  return c;
}

/// A small model (5 features): a small file, for the byte-by-byte tests.
const RiskModel& small_model() {
  static const RiskModel m = [] {
    RiskModelOptions o;
    o.folds = 3;
    o.features.features = {"inactive_working_days", "active_days_14d", "activity_events_total", "overdue_required_steps",
                           "next_deadline_working_days"};
    return RiskModel::fit(history(), o);
  }();
  return m;
}

}  // namespace

TEST_CASE("a model round-trips through its file with every bit of its scores") {
  TempDir dir;
  RiskModelOptions o;
  o.folds = 3;
  for (CalibrationMethod cal : {CalibrationMethod::platt, CalibrationMethod::isotonic, CalibrationMethod::none}) {
    o.calibration = cal;
    o.survival.enabled = cal != CalibrationMethod::none;
    const RiskModel m = RiskModel::fit(history(), o);
    const std::string path = dir.path + "/model.json";
    m.save(path);
    CHECK(read_file(path) == m.to_json());
    const RiskModel back = RiskModel::load(path);
    CHECK(back.to_json() == m.to_json());
    CHECK(back.training().format_version == "1.0");
    CHECK(back.training().lien_version == lien_version_string());
    CHECK(back.spec() == m.spec());
    ScoreOptions so;
    so.top_k = 0;
    so.horizons_days = {7, 28, 90};
    for (int day : {0, 9, 23, 40}) {
      const Time as_of = first_start() + day * kDay + 3 * kMsPerHour;
      CHECK(identical(back.score(later(), as_of, so), m.score(later(), as_of, so)));
    }
    CHECK(identical(RiskModel::from_json(m.to_json()).score(later(), first_start() + 30 * kDay),
                    m.score(later(), first_start() + 30 * kDay)));
  }
  CHECK(list_dir(dir.path) == std::vector<std::string>{"model.json"});  // no temporary file left behind
}

TEST_CASE("custom feature descriptions survive the file, escapes and all") {
  const auto source = [](const Cohort&, Span<Landmark> rows) {
    CustomFeature f;
    f.id = "overtime_hours";
    f.unit = "heures sup.";
    f.description = "Heures \"sup\" déclarées\\mois\n(RH)\t\x01 — €";
    for (const Landmark& r : rows) f.values.push_back(static_cast<double>(r.enrolment % 5));
    return std::vector<CustomFeature>{f};
  };
  RiskModelOptions o;
  o.folds = 3;
  o.features.features = {"inactive_working_days", "active_days_14d"};
  const RiskModel m = RiskModel::fit(history(), o, source);
  const RiskModel back = RiskModel::from_json(m.to_json());
  REQUIRE(back.spec().size() == 3);
  CHECK(back.spec()[2].id == "overtime_hours");
  CHECK_FALSE(back.spec()[2].builtin);
  CHECK(back.spec()[2].unit == "heures sup.");
  CHECK(back.spec()[2].description == "Heures \"sup\" déclarées\\mois\n(RH)\t\x01 — €");
  ScoreOptions so;
  so.custom = source;
  so.lang = Lang::fr;
  CHECK(identical(back.score(later(), first_start() + 20 * kDay, so), m.score(later(), first_start() + 20 * kDay, so)));
}

TEST_CASE("the committed fixture, written by Python from the documented format, loads and scores as documented") {
  const RiskModel m = RiskModel::load(kModels + "tiny.json");
  CHECK(m.options().horizon_days == 28);
  CHECK(m.options().target == Target::within_horizon);
  CHECK(m.options().calibration == CalibrationMethod::platt);
  CHECK(m.options().top_k == 2);
  CHECK(m.options().observed_until == kNoTime);
  CHECK(m.spec().ids() == std::vector<std::string>{"inactive_working_days", "active_days_14d", "overdue_required_steps"});
  CHECK(m.training().rows == 1200);
  CHECK(m.training().positives == 240);
  CHECK(m.training().cv.c_index == 0.81);
  CHECK(m.training().observed_until == first_start() + 77 * kDay);
  CHECK(m.survival().bin_starts() == std::vector<std::int32_t>{0, 2, 4});

  simdjson::dom::parser parser;
  const simdjson::dom::element expected = parser.load(kModels + "tiny_expected.json");
  std::vector<int> horizons;
  for (simdjson::dom::element h : expected["horizons_days"].get_array())
    horizons.push_back(static_cast<int>(h.get_int64().value()));
  // A cohort holding the rows' enrolments (their start and planned end are all the survival part reads).
  CohortBuilder b;
  const std::uint32_t src = b.source("fixture");
  std::uint64_t line = 0;
  b.add_path({"P", "", ""}, {src, ++line});
  FeatureMatrix x;
  x.spec = builtin_spec(FeatureOptions{m.spec().ids()});
  std::vector<simdjson::dom::element> rows;
  for (simdjson::dom::element r : expected["rows"].get_array()) rows.push_back(r);
  x.values.resize(static_cast<Index>(rows.size()), 3);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string id = "F" + std::to_string(i);
    REQUIRE(b.add_learner({id, "", "", "", "", "", {}}, {src, ++line}));
    REQUIRE(b.add_enrolment({"E" + id, id, "P", "", rows[i]["start"].get_int64().value(),
                             rows[i]["planned_end"].get_int64().value(),
                             Outcome::active, kNoTime, -1},
                            {src, ++line}));
    std::size_t j = 0;
    for (simdjson::dom::element v : rows[i]["x"].get_array())
      x.values(static_cast<Index>(i), static_cast<Index>(j++)) = v.get_double().value();
    x.enrolments.push_back(static_cast<EnrolmentId>(i));
    x.as_of.push_back(rows[i]["as_of"].get_int64().value());
  }
  ReadReport report;
  const Cohort c = b.build(report);
  REQUIRE(report.rejected.empty());
  ScoreOptions so;
  so.horizons_days = horizons;
  std::vector<RiskScore> out;
  m.score(c, x, so, out);
  REQUIRE(out.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    const RiskScore& s = out[i];
    CHECK(s.logit == Approx(rows[i]["logit"].get_double().value()).epsilon(1e-13));
    CHECK(s.probability == Approx(rows[i]["probability"].get_double().value()).epsilon(1e-13));
    CHECK(std::string(to_string(s.band)) == std::string(rows[i]["band"].get_string().value()));
    REQUIRE(s.drivers.size() == 2);  // the file's top_k
    std::size_t k = 0;
    for (simdjson::dom::element f : rows[i]["drivers"].get_array()) {
      if (k < 2) CHECK(s.drivers[k].feature == std::string(f.get_string().value()));
      ++k;
    }
    k = 0;
    for (simdjson::dom::element v : rows[i]["contributions"].get_array()) {
      if (k < 2) CHECK(s.drivers[k].contribution == Approx(v.get_double().value()).epsilon(1e-13));
      ++k;
    }
    REQUIRE(s.withdraw_within.size() == horizons.size());
    k = 0;
    for (simdjson::dom::element v : rows[i]["withdraw_within"].get_array())
      CHECK(s.withdraw_within[k++] == Approx(v.get_double().value()).epsilon(1e-12));
    CHECK(s.withdraw_by_end == Approx(rows[i]["withdraw_by_end"].get_double().value()).epsilon(1e-12).margin(1e-300));
  }
}

TEST_CASE("fixtures: an isotonic model without survival, a newer minor version, a newer major version") {
  const RiskModel iso = RiskModel::load(kModels + "tiny_isotonic.json");
  CHECK_FALSE(iso.has_survival());
  CHECK(iso.options().calibration == CalibrationMethod::isotonic);
  CHECK(iso.calibrate(-3.0) == 0.05);                                // clipped below the first breakpoint
  CHECK(iso.calibrate(-1.25) == Approx(0.075).epsilon(1e-15));       // half-way between -2 and -0.5
  CHECK(iso.calibrate(2.0) == 0.7);
  // A newer minor version adds members this build ignores.
  const RiskModel minor = RiskModel::load(kModels + "newer_minor.json");
  CHECK(minor.training().format_version == "1.7");
  CHECK(minor.logistic().intercept() == -1.75);
  // A newer major version is refused, saying so, whatever else is in it.
  CHECK_THROWS_AS(RiskModel::load(kModels + "newer_major.json"), ModelError);
  CHECK_THROWS_WITH(RiskModel::load(kModels + "newer_major.json"),
                    Contains("newer_major.json") && Contains("format version 2.0 is newer") && Contains("upgrade"));
  const std::string newer = read_file(kModels + "newer_major.json");
  const std::string zeroed = newer.substr(0, newer.size() - 68) + std::string(64, '0') + newer.substr(newer.size() - 4);
  CHECK_THAT(model_error(zeroed), Contains("newer"));  // version first: a bad checksum does not hide it
}

TEST_CASE("every truncation of a model file is refused") {
  for (const std::string& text : {small_model().to_json(), read_file(kModels + "tiny.json")}) {
    REQUIRE_NOTHROW(RiskModel::from_json(text));
    std::vector<std::size_t> accepted, other;
    for (std::size_t n = 0; n < text.size(); ++n) {
      try {
        RiskModel::from_json(std::string_view(text.data(), n));
        accepted.push_back(n);
      } catch (const ModelError&) {
      } catch (...) {
        other.push_back(n);
      }
    }
    INFO("file of " << text.size() << " bytes");
    CHECK(accepted.empty());
    CHECK(other.empty());
  }
}

TEST_CASE("every single-bit flip of a model file is refused") {
  std::string text = small_model().to_json();
  std::size_t accepted = 0, other = 0, tried = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      text[i] = static_cast<char>(text[i] ^ (1 << bit));
      ++tried;
      try {
        RiskModel::from_json(text);
        ++accepted;
      } catch (const ModelError&) {
      } catch (...) {
        ++other;
      }
      text[i] = static_cast<char>(text[i] ^ (1 << bit));
    }
  CHECK(tried == 8 * text.size());
  CHECK(accepted == 0);
  CHECK(other == 0);
  CHECK_NOTHROW(RiskModel::from_json(text));
}

TEST_CASE("each reason to refuse a model file has its own message") {
  const std::string good = small_model().to_json();
  REQUIRE_NOTHROW(RiskModel::from_json(good));
  CHECK_THAT(model_error(""), Contains("empty"));
  CHECK_THAT(model_error("[1, 2]"), Contains("not a JSON object"));
  CHECK_THAT(model_error("{\"format\": \"lien.risk_model\""), Contains("not a complete JSON document"));
  // Checksum.
  const std::size_t at = good.rfind("sha256:") + 7;
  std::string bad = good;
  bad[at] = bad[at] == '0' ? '1' : '0';
  CHECK_THAT(model_error(bad), Contains("checksum mismatch"));
  // A changed parameter or count, even by one digit.
  for (const char* key : {"\"intercept\": ", "\"rows\": "}) {
    bad = good;
    const std::size_t d = bad.find_first_of("123456789", bad.find(key));
    bad[d] = bad[d] == '1' ? '2' : '1';
    CHECK_THAT(model_error(bad), Contains("checksum mismatch"));
  }
  CHECK_THAT(model_error(good.substr(0, good.size() - 1) + " \n"), Contains("does not end with its checksum"));
  CHECK_THAT(model_error(good + "\n"), Contains("does not end with its checksum"));
  bad = good;
  bad.replace(good.rfind("sha256:"), 7, "md5:");
  CHECK_THAT(model_error(bad), Contains("does not end with its checksum"));
  // Format and version.
  CHECK_THAT(model_error(edit(good, "\"lien.risk_model\"", "\"lien.other\"")), Contains("format is 'lien.other'"));
  CHECK_THAT(model_error(edit(good, "\"format_version\": \"1.0\"", "\"format_version\": \"3.2\"")),
             Contains("format version 3.2 is newer"));
  CHECK_THAT(model_error(edit(good, "\"format_version\": \"1.0\"", "\"format_version\": \"0.9\"")),
             Contains("format version 0.9 is not supported"));
  CHECK_THAT(model_error(edit(good, "\"format_version\": \"1.0\"", "\"format_version\": \"one\"")),
             Contains("not MAJOR.MINOR"));
  CHECK_THAT(model_error(edit(good, "\"format_version\": \"1.0\"", "\"format_version\": 1.0")),
             Contains("format_version: expected a string"));
  CHECK_NOTHROW(RiskModel::from_json(edit(good, "\"format_version\": \"1.0\"", "\"format_version\": \"1.12\"")));
  // Features this build does not know, or cannot hold.
  CHECK_THAT(model_error(edit(good, "\"id\": \"overdue_required_steps\"", "\"id\": \"overdue_optional_steps\"")),
             Contains("feature 'overdue_optional_steps' is not known to this build"));
  CHECK_THAT(model_error(edit(good, "\"id\": \"overdue_required_steps\", \"unit\": \"steps\", \"builtin\": true",
                              "\"id\": \"gender\", \"unit\": \"\", \"builtin\": false, \"description\": \"\"")),
             Contains("names a protected attribute"));
  CHECK_THAT(model_error(edit(good, "\"id\": \"next_deadline_working_days\", \"unit\": \"working days\", \"builtin\": true",
                              "\"id\": \"inactive_working_days\", \"unit\": \"working days\", \"builtin\": true")),
             Contains("appears twice"));
  // Every top-level member is required.
  for (const char* member : {"format", "format_version", "lien_version", "options", "features", "scaler", "logistic",
                             "calibration", "survival", "training"}) {
    INFO(member);
    CHECK_THAT(model_error(without_member(good, member)), Contains(std::string(member) + ": missing"));
  }
  // ... and nested ones, named by their path.
  CHECK_THAT(model_error(edit(good, "    \"horizon_days\": 28,\n", "")), Contains("options.horizon_days: missing"));
  CHECK_THAT(model_error(edit(good, "\"medium_from\": 0.2, ", "")), Contains("options.bands.medium_from: missing"));
  CHECK_THAT(model_error(edit(good, "    \"positives\"", "    \"positive\"")), Contains("training.positives: missing"));
  // Wrong types.
  CHECK_THAT(model_error(edit(good, "\"horizon_days\": 28", "\"horizon_days\": \"28\"")),
             Contains("options.horizon_days: expected an integer"));
  CHECK_THAT(model_error(edit(good, "\"horizon_days\": 28", "\"horizon_days\": 28.5")),
             Contains("options.horizon_days: expected an integer"));
  CHECK_THAT(model_error(edit(good, "\"horizon_days\": 28", "\"horizon_days\": 0")),
             Contains("options.horizon_days: expected an integer in 1..36500"));
  CHECK_THAT(model_error(edit(good, "\"l2\": 0.001", "\"l2\": null")), Contains("options.l2: expected a number"));
  CHECK_THAT(model_error(edit(good, "\"target\": \"within_horizon\"", "\"target\": \"soon\"")),
             Contains("options.target: unknown target 'soon'"));
  CHECK_THAT(model_error(edit(good, "\"enabled\": true", "\"enabled\": 1")),
             Contains("options.survival.enabled: expected true or false"));
  CHECK_THAT(model_error(edit(good, "\"builtin\": true", "\"builtin\": \"yes\"")),
             Contains("features[0].builtin: expected true or false"));
  CHECK_THAT(model_error(edit(good, "\"mean\": [", "\"mean\": [\"x\", ")), Contains("scaler.mean"));
  CHECK_THAT(model_error(edit(good, "\"mean\": [", "\"mean\": [1.0, ")), Contains("scaler.mean: expected 5 numbers, found 6"));
  CHECK_THAT(model_error(edit(good, "\"scale\": [", "\"scale\": [0.0, ")), Contains("scaler.scale: expected 5 numbers"));
  CHECK_THAT(model_error(edit(good, "\"coefficients\": [", "\"coefficients\": \"none\", \"unused\": [")),
             Contains("logistic.coefficients: expected an array"));
  CHECK_THAT(model_error(edit(good, "\"first_landmark\": \"", "\"first_landmark\": \"x")),
             Contains("training.first_landmark: expected an ISO 8601 UTC timestamp"));
  // Parts that contradict each other, or parameters a model cannot have.
  CHECK_THAT(model_error(edit(good, "{\"method\": \"platt\"", "{\"method\": \"isotonic\"")),
             Contains("calibration.method: 'isotonic' differs from options.calibration 'platt'"));
  CHECK_THAT(model_error(edit(good, "\"enabled\": true", "\"enabled\": false")),
             Contains("survival: present although options.survival.enabled is false"));
  CHECK_THAT(model_error(edit(good, "  \"survival\": {\n", "  \"survival\": null, \"unused\": {\n")),
             Contains("survival: missing although options.survival.enabled is true"));
  const std::size_t s0 = good.find("\"scale\": [") + 10;
  const std::string first_scale = good.substr(s0, good.find(',', s0) - s0);
  CHECK_THAT(model_error(edit(good, "\"scale\": [" + first_scale, "\"scale\": [-1.0")), Contains("scaler"));
  CHECK_THAT(model_error(edit(good, "\"medium_from\": 0.2", "\"medium_from\": 0.7")), Contains("RiskBands"));
  CHECK_THAT(model_error(edit(good, "\"folds\": 3,", "\"folds\": 1,")), Contains("options.folds"));
}

TEST_CASE("load: a missing file, a directory, an empty file") {
  TempDir dir;
  CHECK_THROWS_AS(RiskModel::load(dir.path + "/none.json"), NotFound);
  CHECK_THROWS_WITH(RiskModel::load(dir.path + "/none.json"), Contains("none.json") && Contains("does not exist"));
  CHECK_THROWS_AS(RiskModel::load(dir.path), IoError);
  write_file(dir.path + "/empty.json", "");
  CHECK_THROWS_AS(RiskModel::load(dir.path + "/empty.json"), ModelError);
  CHECK_THROWS_WITH(RiskModel::load(dir.path + "/empty.json"), Contains("empty.json") && Contains("empty"));
  CHECK_THROWS_AS(RiskModel().to_json(), InvalidArgument);
}

TEST_CASE("saving is atomic: a failed save leaves no file, and never a half-written one") {
  TempDir dir;
  const RiskModel& m = small_model();
  // A directory that does not exist: nothing is created.
  CHECK_THROWS_AS(m.save(dir.path + "/missing/model.json"), IoError);
  CHECK_THROWS_WITH(m.save(dir.path + "/missing/model.json"), Contains("missing/model.json"));
  CHECK(list_dir(dir.path).empty());
  // The target is a directory: the rename fails and the temporary file is removed.
  const std::string sub = dir.path + "/taken";
  REQUIRE(mkdir(sub.c_str(), 0700) == 0);
  CHECK_THROWS_AS(m.save(sub), IoError);
  CHECK(list_dir(dir.path) == std::vector<std::string>{"taken"});
  rmdir(sub.c_str());
  // A write that fails half-way (the file-size limit of the process is below the file's size): the model
  // already at the path stays as it was, and no temporary file is left.
  const std::string path = dir.path + "/model.json";
  const std::string previous = read_file(kModels + "tiny.json");
  write_file(path, previous);
  const std::string text = m.to_json();
  REQUIRE(text.size() > 2000);
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 1000;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  bool threw_io = false;
  std::string message;
  try {
    m.save(path);
  } catch (const IoError& e) {
    threw_io = true;
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, old_handler);
  CHECK(threw_io);
  CHECK_THAT(message, Contains("writing"));
  CHECK(read_file(path) == previous);
  CHECK(list_dir(dir.path) == std::vector<std::string>{"model.json"});
  // And with the limit lifted, the same save replaces it.
  m.save(path);
  CHECK(read_file(path) == text);
  CHECK(list_dir(dir.path) == std::vector<std::string>{"model.json"});
}
