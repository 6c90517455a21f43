// The canonical CSV tables: reading (every rejection reason, file-level errors, encodings, local times), the
// example programme, and writing back (read(write(c)) == c, and write(read(write(c))) byte-identical).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "lien/io/read.hpp"

using namespace lien;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(LIEN_SOURCE_DIR) + "/tests/data/csv/";
const std::string kExample = std::string(LIEN_SOURCE_DIR) + "/examples/data/managers-2027";
const char* kParis = "CET-1CEST,M3.5.0,M10.5.0/3";

Time at(const char* s) {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp(s, p));
  REQUIRE(p.has_offset);
  return p.ms;
}

const Rejection* rejection_at(const ReadReport& r, const std::string& source, std::uint64_t line) {
  for (const auto& x : r.rejected)
    if (x.source == source && x.index == line) return &x;
  return nullptr;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// Every source balances on its own: each row read was accepted or rejected, once.
void check_balanced(const ReadReport& r) {
  CHECK(r.balanced());
  std::uint64_t read = 0;
  for (const auto& [name, c] : r.sources) {
    INFO(name);
    CHECK(c.read == c.accepted + c.rejected);
    std::uint64_t listed = 0;
    for (const auto& x : r.rejected) listed += x.source == name;
    CHECK(listed == c.rejected);
    read += c.read;
  }
  CHECK(read == r.read);
}

/// A fresh, empty folder under the system temp directory, removed when the test ends.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    static int counter = 0;
    path = fs::temp_directory_path() / ("lien_test_csv_" + name + "_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path / file, std::ios::binary) << text;
  }
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Reads one table (as the tables named in `before` declare what it refers to), returns the builder's report.
ReadReport read_rows(const std::string& table, const std::string& text,
                     const std::vector<std::pair<std::string, std::string>>& before = {}) {
  CohortBuilder b;
  for (const auto& [t, body] : before) read_csv_table(b, t, body, t + ".csv");
  read_csv_table(b, table, text, table + ".csv");
  ReadReport r = b.report();
  check_balanced(r);
  return r;
}

/// The rejection of the only data row of `text` in `table` (REQUIREs there is one).
Rejection only_rejection(const std::string& table, const std::string& text) {
  const ReadReport r = read_rows(table, text);
  REQUIRE(r.read == 1);
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].index == 2);
  CHECK(r.rejected[0].source == table + ".csv");
  return r.rejected[0];
}

std::uint32_t float_bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

/// A seeded generator, so every randomised test is the same on every run and platform.
struct SplitMix64 {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  bool coin() { return next() & 1; }
};

}  // namespace

// ---- a well-formed folder -------------------------------------------------------------------------------------

TEST_CASE("a complete folder loads: BOM, CRLF, quoting, columns in any order, local times") {
  const ReadResult r = read_csv_dir(kData + "small");
  check_balanced(r.report);
  CHECK(r.report.rejected.empty());
  CHECK(r.report.read == 3 + 4 + 1 + 3 + 1 + 4 + 3 + 8);
  const Cohort& c = r.cohort;

  // calendar.json: Paris, French holidays and one more day.
  CHECK(c.calendar().time_zone() == kParis);
  CHECK(c.calendar().is_holiday(days_from_civil(2026, 12, 24)));
  CHECK(c.calendar().is_holiday(days_from_civil(2026, 11, 11)));
  CHECK(c.calendar().is_holiday(days_from_civil(2199, 12, 25)));
  CHECK_FALSE(c.calendar().is_holiday(days_from_civil(2026, 12, 23)));

  // learners.csv: BOM, CRLF, a quoted comma, doubled quotes and a quoted line break, UTF-8.
  REQUIRE(c.learner_count() == 3);
  const Person& ann = c.person(c.find_person("L1"));
  CHECK(ann.display_name == "Dupont, Ann");
  CHECK(c.person(c.find_person("L2")).display_name == "Bob \"the builder\"\r\nMartin");
  CHECK(c.person(c.find_person("L3")).display_name == "Zo\xC3\xA9 \xC3\x9Cn\xC3\xAF" "code");
  CHECK(c.learner(c.find_learner("L1")).team == "Sales");
  CHECK(c.learner(c.find_learner("L2")).site.empty());
  const auto& pa = c.protected_attributes();
  CHECK(pa.column("gender")[c.find_learner("L1")] == "F");
  CHECK(pa.column("gender")[c.find_learner("L3")].empty());
  CHECK(pa.column("age_band")[c.find_learner("L3")] == "45-54");
  CHECK(pa.column("protected_nationality")[c.find_learner("L1")] == "FR");

  // stakeholders.csv and relations.csv.
  CHECK(c.person(c.find_person("M1")).role == Role::manager);
  CHECK(c.person(c.find_person("ORG")).role == Role::training_org);
  CHECK(c.person(c.find_person("TR1")).organisation == "Training Co");
  const EnrolmentId e1 = c.find_enrolment("E1"), e3 = c.find_enrolment("E3");
  CHECK(c.managers(c.find_learner("L1"), at("2026-10-01T00:00:00Z")) == std::vector<PersonId>{c.find_person("M1")});
  CHECK(c.managers(c.find_learner("L1"), at("2025-12-31T12:00:00Z")).empty());  // 2026-01-01 local = 2025-12-31T23:00Z
  CHECK(c.managers(c.find_learner("L1"), at("2025-12-31T23:00:00Z")).size() == 1);
  CHECK(c.tutors(e1, at("2026-10-01T00:00:00Z")) == std::vector<PersonId>{c.find_person("T1")});
  CHECK(c.tutors(e1, at("2026-12-31T23:00:00Z")).empty());  // valid_to 2027-01-01T00:00+01:00
  CHECK(c.trainers(e1, at("2026-10-01T00:00:00Z")) == std::vector<PersonId>{c.find_person("TR1")});

  // paths.csv without `course` (defaults to the id); steps.csv with its columns shuffled.
  REQUIRE(c.path_count() == 1);
  CHECK(c.path(0).title == "Path, one");
  CHECK(c.path(0).course == "P1");
  const Step& s1 = c.step(c.find_step("S1"));
  CHECK(s1.kind == StepKind::elearning);
  CHECK(s1.phase == Phase::before);
  CHECK(s1.window.relative);
  CHECK(s1.window.open == 0);
  CHECK(s1.window.due == 7);
  CHECK(s1.effort_hours == 1.5f);
  CHECK(s1.title == "Intro");
  REQUIRE(s1.competencies.size() == 2);
  CHECK(c.competencies()[s1.competencies[0]] == "comm");
  CHECK(c.competencies()[s1.competencies[1]] == "lead");
  CHECK(c.find_step_by_iri("https://lms.example.org/s1") == c.find_step("S1"));
  const Step& s2 = c.step(c.find_step("S2"));
  CHECK_FALSE(s2.window.relative);
  CHECK(s2.window.open == days_from_civil(2026, 9, 21));
  CHECK(s2.weight == 2.0f);
  CHECK(s2.required);
  const Step& s3 = c.step(c.find_step("S3"));
  CHECK(s3.window.open == -3);
  CHECK(s3.window.due == 30);
  CHECK_FALSE(s3.required);
  CHECK(s3.weight == 0.5f);
  CHECK(s3.effort_hours == 0.0f);
  CHECK(c.path(0).prerequisites_of(s2) == std::vector<StepId>{c.find_step("S1")});

  // enrolments.csv: a date-only start is the start of the local day; instance defaults to the path.
  CHECK(c.enrolment(e1).start == at("2026-09-06T22:00:00Z"));
  CHECK(c.enrolment(e1).planned_end == at("2026-12-17T23:00:00Z"));
  CHECK(c.enrolment(e1).prior_attempts == 0);
  const Enrolment& e2 = c.enrolment(c.find_enrolment("E2"));
  CHECK(e2.start == at("2026-09-07T07:00:00Z"));
  CHECK(e2.outcome == Outcome::withdrawn);
  CHECK(e2.outcome_time == at("2026-10-15T16:00:00Z"));
  CHECK(e2.prior_attempts == 1);
  CHECK(c.enrolment(e3).outcome == Outcome::completed);
  CHECK(c.enrolment(e3).prior_attempts == -1);
  CHECK(c.instances()[c.enrolment(e3).instance] == "P1");
  CHECK(c.instances()[e2.instance] == "G1");

  // events.csv (CRLF): offset-less times are Paris time, on both sides of the DST change.
  const EventLog& log = c.events();
  REQUIRE(log.size() == 8);
  const LearnerId l1 = c.find_learner("L1"), l2 = c.find_learner("L2"), l3 = c.find_learner("L3");
  REQUIRE(log.end(l1) - log.begin(l1) == 4);
  std::size_t i = log.begin(l1);
  CHECK(log.time(i) == at("2026-09-08T08:00:00Z"));  // CEST
  CHECK(log.verb(i) == Verb::launched);
  CHECK(log.object(i) == c.find_step("S1"));
  CHECK(std::isnan(log.score(i)));
  CHECK(std::isnan(log.duration(i)));
  CHECK(log.success(i) == Tri::unknown);
  CHECK(log.count(i) == 1);
  ++i;
  CHECK(log.time(i) == at("2026-09-08T08:30:00Z"));
  CHECK(log.completion(i) == Tri::yes);
  CHECK(log.duration(i) == 1800.0f);
  ++i;  // 2026-10-25T02:30 local happens twice: the first (CEST) reading wins
  CHECK(log.time(i) == at("2026-10-25T00:30:00Z"));
  CHECK(log.verb(i) == Verb::other);
  CHECK(log.object_kind(i) == ObjectKind::none);
  CHECK(log.score(i) == -0.25f);
  CHECK(log.success(i) == Tri::no);
  CHECK(log.completion(i) == Tri::no);
  CHECK(log.duration(i) == 1000.0f);
  ++i;
  CHECK(log.time(i) == at("2026-11-02T09:00:00Z"));  // CET
  CHECK(log.object_kind(i) == ObjectKind::resource);
  CHECK(c.resources()[log.object(i)] == "https://lms.example.org/r?a=1,b=2");
  CHECK(log.duration(i) == 75.5f);
  i = log.begin(l2);
  CHECK(log.time(i) == at("2026-09-20T22:00:00Z"));  // date only: the start of the local day
  CHECK(log.verb(i) == Verb::absent);
  CHECK(log.actor(i) == c.find_person("TR1"));
  CHECK(log.count(i + 1) == 3);
  CHECK(log.object(i + 1) == c.find_person("T1"));
  i = log.begin(l3);
  CHECK(log.time(i) == at("2026-11-20T15:00:00.250Z"));
  CHECK(log.score(i) == 0.85f);
  CHECK(log.success(i) == Tri::yes);
  CHECK(log.time(i + 1) == at("2026-11-21T08:00:00Z"));
  CHECK(log.verb(i + 1) == Verb::replied);
}

TEST_CASE("without calendar.json, times are UTC and there are no holidays") {
  const ReadResult r = read_csv_dir(kData + "minimal");
  check_balanced(r.report);
  CHECK(r.report.rejected.empty());
  CHECK(r.cohort.calendar().time_zone() == "UTC0");
  CHECK(r.cohort.calendar().holidays().empty());
  CHECK(r.cohort.enrolment(0).start == at("2026-09-07T00:00:00Z"));
  // stakeholders, relations and prerequisites are optional tables.
  CHECK(r.cohort.person_count() == 1);
  CHECK(r.report.sources.count("stakeholders.csv") == 0);
}

// ---- rejections, row by row --------------------------------------------------------------------------------------

TEST_CASE("each bad events row is rejected with its line, column and reason") {
  CohortBuilder b;
  read_csv_table(b, "learners", "learner_id\nL1\n", "learners.csv");
  read_csv_table(b, "paths", "path_id\nP1\n", "paths.csv");
  read_csv_table(b, "steps", "step_id,path_id,kind,phase\nS1,P1,assessment,during\n", "steps.csv");
  read_csv_table(b, "events", slurp(kData + "rejections/events.csv"), "events.csv");
  const ReadReport& r = b.report();
  check_balanced(r);
  struct Expect {
    std::uint64_t line;
    const char* field;
    const char* reason;  // a part of the reason
  };
  const Expect expected[] = {
      {3, "object_id", "invalid UTF-8"},
      {4, "", "expected 11 fields, found 3"},
      {5, "", "expected 11 fields, found 13"},
      {6, "time", "expected a timestamp"},
      {7, "time", "day does not exist in that month"},
      {8, "time", "time of day out of range"},
      {9, "time", "year outside 1970-2199"},
      {10, "verb", "unknown verb 'jumped'"},
      {11, "object_type", "unknown object type 'course'"},
      {12, "score", "scaled score must lie in [-1, 1]"},
      {13, "score", "expected a number with '.' as decimal separator"},
      {14, "score", "not a finite number"},
      {15, "score", "not a finite number"},
      {16, "success", "expected true or false"},
      {17, "count", "must be at least 1"},
      {18, "count", "must not be negative"},
      {19, "count", "expected an integer"},
      {20, "duration", "expected a number"},
      {21, "duration", "ISO 8601 duration"},
      {22, "duration", "seconds >= 0"},
      {23, "learner_id", "missing required value"},
      {24, "verb", "missing required value"},
      {25, "object_type", "object id is given without its type"},
      {26, "object_id", "quote inside an unquoted field"},
      {27, "object_id", "unexpected character after a closing quote"},
      {28, "score", "number out of range"},
      {33, "object_id", "unterminated quoted field (it runs to the end of the file)"},
  };
  for (const Expect& e : expected) {
    INFO("line " << e.line);
    const Rejection* x = rejection_at(r, "events.csv", e.line);
    REQUIRE(x);
    CHECK(x->field == e.field);
    CHECK(contains(x->reason, e.reason));
  }
  // Lines 2, 29 (a quoted line break: the next record is on line 31) and 31 are accepted; line 32 is blank and
  // line 34 is part of the unterminated field of line 33.
  CHECK(r.rejected.size() == std::size(expected));
  const SourceCount& n = r.sources.at("events.csv");
  CHECK(n.read == std::size(expected) + 3);
  CHECK(n.accepted == 3);
  CHECK(n.rejected == std::size(expected));
  for (std::uint64_t ok : {2, 29, 31}) CHECK_FALSE(rejection_at(r, "events.csv", ok));
  ReadReport built;
  const Cohort c = b.build(built);
  REQUIRE(c.events().size() == 3);
  CHECK(c.resources()[c.events().object(1)] == "two\nlines");
  CHECK(c.events().success(2) == Tri::yes);
  CHECK(c.events().completion(2) == Tri::yes);
  CHECK(c.events().duration(2) == 3600.0f);
  CHECK(c.events().count(2) == 2);
}

TEST_CASE("people tables: unknown roles, duplicates, declared interactions") {
  SECTION("unknown role") {
    const Rejection x = only_rejection("stakeholders", "stakeholder_id,role\nX1,boss\n");
    CHECK(x.field == "role");
    CHECK(contains(x.reason, "unknown role 'boss'"));
  }
  SECTION("learners are not stakeholders") {
    CHECK(only_rejection("stakeholders", "stakeholder_id,role\nX1,learner\n").field == "role");
  }
  SECTION("duplicate learner id, naming the first line") {
    const ReadReport r = read_rows("learners", "learner_id\nL1\nL2\nL1\n");
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].index == 4);
    CHECK(r.rejected[0].field == "learner_id");
    CHECK(contains(r.rejected[0].reason, "duplicate person id 'L1' (first at learners.csv:2)"));
  }
  SECTION("a stakeholder id already used by a learner") {
    const ReadReport r = read_rows("stakeholders", "stakeholder_id,role\nL1,manager\n", {{"learners", "learner_id\nL1\n"}});
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].source == "stakeholders.csv");
    CHECK(contains(r.rejected[0].reason, "duplicate person id 'L1'"));
  }
  SECTION("an unknown relation type; interactions cannot be declared") {
    CHECK(contains(only_rejection("relations", "source_id,type,target_id\nA,knows,B\n").reason,
                   "unknown relation type 'knows'"));
    const Rejection x = only_rejection("relations", "source_id,type,target_id\nA,interacts,B\n");
    CHECK(x.field == "type");
    CHECK(contains(x.reason, "unknown relation type 'interacts'"));
  }
  SECTION("a relation that ends before it starts, and a bad date in it") {
    CHECK(only_rejection("relations", "source_id,type,target_id,valid_from,valid_to\nA,reports_to,B,2026-05-01,2026-04-01\n")
              .field == "valid_to");
    const Rejection x = only_rejection("relations", "source_id,type,target_id,valid_from\nA,reports_to,B,2026-04-31\n");
    CHECK(x.field == "valid_from");
    CHECK(contains(x.reason, "day does not exist"));
  }
  SECTION("invalid UTF-8 in a name names the column, never the value") {
    const Rejection x = only_rejection("learners", "learner_id,display_name\nL1,Ren\xE9\n");
    CHECK(x.field == "display_name");
    CHECK(x.reason == "invalid UTF-8");
    // Overlong encodings, surrogates and truncated sequences are invalid too.
    for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80", "\x80"})
      CHECK(only_rejection("learners", std::string("learner_id,team\nL1,") + bad + "\n").field == "team");
  }
}

TEST_CASE("path tables: kinds, phases, windows, numbers, booleans") {
  const std::string head = "step_id,path_id,kind,phase,open,due,effort_hours,required,weight\n";
  SECTION("unknown kind and phase") {
    const Rejection k = only_rejection("steps", head + "S1,P1,webinar,during,,,,,\n");
    CHECK(k.field == "kind");
    CHECK(contains(k.reason, "unknown step kind 'webinar' (expected one of elearning, classroom"));
    CHECK(only_rejection("steps", head + "S1,P1,elearning,later,,,,,\n").field == "phase");
  }
  SECTION("windows: dates or signed offsets, never a mix") {
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,14,,,,\n").field == "open");
    CHECK(contains(only_rejection("steps", head + "S1,P1,elearning,during,+x,,,,\n").reason, "signed day offset"));
    CHECK(contains(only_rejection("steps", head + "S1,P1,elearning,during,,2026-13-01,,,\n").reason, "month out of range"));
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,,+99999,,,\n").field == "due");
    const Rejection mix = only_rejection("steps", head + "S1,P1,elearning,during,+0,2026-10-01,,,\n");
    CHECK(mix.field == "due");
    CHECK(contains(mix.reason, "mix an absolute date and a day offset"));
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,+10,+3,,,\n").reason == "due before the step opens");
    const ReadReport ok = read_rows("steps", head + "S1,P1,elearning,during,-7,+0,,,\nS2,P1,review,after,,+30,,,\n");
    CHECK(ok.rejected.empty());
  }
  SECTION("numbers and booleans") {
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,,,abc,,\n").field == "effort_hours");
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,,,-1,,\n").field == "effort_hours");
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,,,,maybe,\n").field == "required");
    CHECK(only_rejection("steps", head + "S1,P1,elearning,during,,,,,inf\n").field == "weight");
    CHECK(contains(only_rejection("steps", head + "S1,P1,elearning,during,,,\"1,5\",,\n").reason, "'.' as decimal"));
  }
  SECTION("duplicate step and path ids, a second step with the same activity IRI") {
    CHECK(contains(read_rows("steps", head + "S1,P1,elearning,during,,,,,\nS1,P1,elearning,during,,,,,\n")
                       .rejected.at(0).reason,
                   "duplicate step id 'S1'"));
    CHECK(contains(read_rows("paths", "path_id\nP1\nP1\n").rejected.at(0).reason, "duplicate path id 'P1'"));
    const ReadReport r = read_rows("steps", "step_id,path_id,kind,phase,activity_iri\nS1,P1,elearning,during,http://a\n"
                                            "S2,P1,elearning,during,http://a\n");
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].field == "activity_iri");
  }
}

TEST_CASE("enrolments: outcomes, times, prior attempts, duplicates") {
  const std::string head = "enrolment_id,learner_id,path_id,start,planned_end,outcome,outcome_time,prior_attempts\n";
  CHECK(contains(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,,dropped,,\n").reason, "unknown outcome 'dropped'"));
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,,,,,\n").field == "start");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,,withdrawn,,\n").field == "outcome_time");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,,,2026-10-01,\n").field == "outcome_time");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,2026-09-01,,,\n").field == "planned_end");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,,,,-1\n").field == "prior_attempts");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,,,,three\n").field == "prior_attempts");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07,,,,3000000000\n").reason == "integer out of range");
  CHECK(only_rejection("enrolments", head + "E1,L1,P1,2026-09-07T10:00:00+25:00,,,,\n").field == "start");
  const ReadReport r = read_rows("enrolments", head + "E1,L1,P1,2026-09-07,,,,\nE1,L2,P1,2026-09-07,,,,\n");
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].index == 3);
  CHECK(contains(r.rejected[0].reason, "duplicate enrolment id 'E1'"));
}

TEST_CASE("references that never resolve are rejected by the build, with the CSV line") {
  TempDir dir("refs");
  dir.write("learners.csv", "learner_id\nL1\n");
  dir.write("paths.csv", "path_id\nP1\n");
  dir.write("steps.csv", "step_id,path_id,kind,phase\nS1,P1,elearning,during\nS2,P9,elearning,during\n");
  dir.write("enrolments.csv", "enrolment_id,learner_id,path_id,start\nE1,L1,P1,2026-09-07\nE2,L7,P1,2026-09-07\n");
  dir.write("events.csv", "learner_id,time,verb,object_type,object_id\nL1,2026-09-08T10:00:00Z,launched,step,S1\n"
                          "L8,2026-09-08T10:00:00Z,launched,,\nL1,2026-09-08T10:00:00Z,launched,step,S9\n");
  const ReadResult r = read_csv_dir(dir.str());
  check_balanced(r.report);
  REQUIRE(r.report.rejected.size() == 4);
  CHECK(rejection_at(r.report, "steps.csv", 3)->reason == "step in no path: path 'P9' is not declared");
  CHECK(rejection_at(r.report, "enrolments.csv", 3)->reason == "unknown learner 'L7'");
  CHECK(rejection_at(r.report, "events.csv", 3)->reason == "unknown learner 'L8'");
  CHECK(rejection_at(r.report, "events.csv", 4)->reason == "unknown step 'S9'");
  CHECK(r.cohort.events().size() == 1);
}

TEST_CASE("fields of any length and content survive quoting, across the scanner's 64-byte blocks") {
  SplitMix64 rng{42};
  const char alphabet[] = {'a', 'b', ',', '"', '\n', '\r', ' ', '\xC3', '\xA9', ';'};
  std::vector<std::pair<std::string, std::string>> rows;
  std::string text = "path_id,title,course\n";
  for (int i = 0; i < 600; ++i) {
    auto field = [&]() {
      std::string f;
      const std::size_t len = rng.below(4) == 0 ? 60 + rng.below(20) : rng.below(150);  // around block size too
      while (f.size() < len) {
        const char c = alphabet[rng.below(std::size(alphabet))];
        if (c == '\xC3') f += "\xC3\xA9";  // keep UTF-8 valid
        else if (c != '\xA9') f += c;
      }
      return f;
    };
    auto write = [&](const std::string& f) {
      const bool must = f.find_first_of(",\"\r\n") != std::string::npos;
      if (!must && rng.below(3) != 0) return f;
      std::string q = "\"";
      for (char c : f) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      return q + "\"";
    };
    rows.emplace_back(field(), "c" + field());
    text += "P" + std::to_string(i) + "," + write(rows.back().first) + "," + write(rows.back().second);
    text += rng.below(2) ? "\r\n" : "\n";
  }
  CohortBuilder b;
  read_csv_table(b, "paths", text, "paths.csv");
  ReadReport r;
  const Cohort c = b.build(r);
  check_balanced(r);
  REQUIRE(r.rejected.empty());
  REQUIRE(c.path_count() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    const Path& p = c.path(c.find_path("P" + std::to_string(i)));
    CHECK(p.title == rows[i].first);
    CHECK(p.course == rows[i].second);
  }
}

TEST_CASE("mangled files never crash the reader, and every row is accounted for") {
  const std::string original = slurp(kData + "small/events.csv");
  SplitMix64 rng{7};
  const char bytes[] = {'"', ',', '\n', '\r', '\xFF', '\xC3', 'x', '\0', '+', '-'};
  int header_errors = 0;
  for (int round = 0; round < 400; ++round) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(rng.below(6));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at_ = rng.below(text.size());
      switch (rng.below(3)) {
        case 0: text[at_] = bytes[rng.below(std::size(bytes))]; break;
        case 1: text.insert(at_, 1, bytes[rng.below(std::size(bytes))]); break;
        default: text.resize(at_); break;
      }
    }
    CohortBuilder b;
    read_csv_table(b, "learners", "learner_id\nL1\nL2\nL3\n", "learners.csv");
    try {
      read_csv_table(b, "events", text, "events.csv");
    } catch (const ParseError&) {
      ++header_errors;  // the mutation hit the header line
      continue;
    }
    ReadReport r;
    b.build(r);
    INFO("round " << round);
    CHECK(r.balanced());
    const SourceCount& n = r.sources.at("events.csv");
    CHECK(n.read == n.accepted + n.rejected);
  }
  CHECK(header_errors < 400);
}

// ---- file-level errors -------------------------------------------------------------------------------------------

TEST_CASE("a file that cannot be read at all is an error naming it") {
  SECTION("missing folder") {
    CHECK_THROWS_AS(read_csv_dir(kData + "no_such_folder"), NotFound);
    CHECK_THROWS_WITH(read_csv_dir(kData + "no_such_folder"), Catch::Contains("no_such_folder"));
    CHECK_THROWS_AS(read_csv_dir(kData + "small/learners.csv"), NotFound);
  }
  SECTION("missing required table") {
    CHECK_THROWS_AS(read_csv_dir(kData + "no_events"), NotFound);
    CHECK_THROWS_WITH(read_csv_dir(kData + "no_events"), Catch::Contains("events.csv"));
  }
  SECTION("unknown column") {
    CHECK_THROWS_AS(read_csv_dir(kData + "unknown_column"), ParseError);
    CHECK_THROWS_WITH(read_csv_dir(kData + "unknown_column"),
                      Catch::Contains("steps.csv:1") && Catch::Contains("unknown column 'colour'"));
  }
  SECTION("missing required column") {
    CHECK_THROWS_AS(read_csv_dir(kData + "missing_column"), ParseError);
    CHECK_THROWS_WITH(read_csv_dir(kData + "missing_column"),
                      Catch::Contains("enrolments.csv") && Catch::Contains("missing required column 'start'"));
  }
  SECTION("a column twice, no header, a broken header, an unknown table") {
    CohortBuilder b;
    CHECK_THROWS_WITH(read_csv_table(b, "paths", "path_id,title,path_id\n", "paths.csv"),
                      Catch::Contains("column 'path_id' appears twice"));
    CHECK_THROWS_WITH(read_csv_table(b, "paths", "", "paths.csv"), Catch::Contains("paths.csv: no header row"));
    CHECK_THROWS_AS(read_csv_table(b, "paths", "\"path_id\n", "paths.csv"), ParseError);
    CHECK_THROWS_AS(read_csv_table(b, "courses", "id\n", "courses.csv"), InvalidArgument);
    // protected_* columns are for learners only
    CHECK_THROWS_AS(read_csv_table(b, "paths", "path_id,protected_x\n", "paths.csv"), ParseError);
  }
  SECTION("calendar.json") {
    CHECK_THROWS_AS(read_csv_dir(kData + "bad_calendar"), ParseError);
    CHECK_THROWS_WITH(read_csv_dir(kData + "bad_calendar"),
                      Catch::Contains("calendar.json") && Catch::Contains("time_zone"));
    TempDir dir("calendar");
    for (const char* f : {"learners.csv", "paths.csv", "steps.csv", "enrolments.csv", "events.csv"})
      fs::copy_file(kData + "minimal/" + f, dir.path / f);
    const std::pair<const char*, const char*> bad[] = {
        {"{\"time_zone\": \"UTC0\",", "not valid JSON"},
        {"[]", "expected a JSON object"},
        {"{\"timezone\": \"UTC0\"}", "unknown key 'timezone'"},
        {"{\"working_days\": \"Mon-Fry\"}", "working_days"},
        {"{\"holidays\": [\"de\"]}", "holidays[0]"},
        {"{\"holidays\": [\"2026-02-30\"]}", "holidays[0]"},
        {"{\"holidays\": \"fr\"}", "holidays"},
    };
    for (const auto& [text, part] : bad) {
      INFO(text);
      dir.write("calendar.json", text);
      CHECK_THROWS_WITH(read_csv_dir(dir.str()), Catch::Contains("calendar.json") && Catch::Contains(part));
    }
    dir.write("calendar.json", "{\"working_days\": \"Sun-Thu\", \"holidays\": []}");
    CHECK(read_csv_dir(dir.str()).cohort.calendar().working_days() == 0x4F);
  }
  SECTION("a table that is not a readable file") {
    TempDir dir("unreadable");
    for (const char* f : {"learners.csv", "paths.csv", "steps.csv", "enrolments.csv"})
      fs::copy_file(kData + "minimal/" + f, dir.path / f);
    fs::create_directory(dir.path / "events.csv");
    CHECK_THROWS_AS(read_csv_dir(dir.str()), IoError);
    CHECK_THROWS_WITH(read_csv_dir(dir.str()), Catch::Contains("events.csv"));
  }
}

// ---- the example programme ---------------------------------------------------------------------------------------

TEST_CASE("the example programme loads with the counts its generator printed") {
  const ReadResult r = read_csv_dir(kExample);
  check_balanced(r.report);
  CHECK(r.report.rejected.empty());
  const Cohort& c = r.cohort;
  // examples/data/generate_managers_2027.py prints these counts.
  CHECK(c.learner_count() == 40);
  CHECK(c.person_count() == 55);
  CHECK(c.path_count() == 1);
  CHECK(c.step_count() == 18);
  CHECK(c.enrolment_count() == 40);
  CHECK(c.instances().size() == 2);
  CHECK(c.calendar().time_zone() == kParis);
  std::map<Outcome, int> outcomes;
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) ++outcomes[c.enrolment(e).outcome];
  CHECK(outcomes[Outcome::active] == 36);
  CHECK(outcomes[Outcome::withdrawn] == 4);
  CHECK(outcomes[Outcome::completed] == 0);
  std::map<std::string_view, std::size_t> verbs;
  const EventLog& log = c.events();
  for (std::size_t i = 0; i < log.size(); ++i) ++verbs[to_string(log.verb(i))];
  const std::map<std::string_view, std::size_t> expected = {
      {"absent", 42},     {"answered", 35},  {"attempted", 132}, {"attended", 154}, {"completed", 237},
      {"experienced", 504}, {"failed", 10},  {"initialized", 233}, {"launched", 261}, {"messaged", 423},
      {"met", 157},       {"passed", 117},   {"posted", 219},    {"replied", 337}};
  CHECK(verbs == expected);
  CHECK(log.size() == 2861);
  CHECK(r.report.sources.at("events.csv").read == 2861);
  CHECK(r.report.sources.at("relations.csv").accepted == 60);
  CHECK(c.graph().instance_relations().size() == 4);
  // Every learner has a manager, and the learner who changed team has the right one on each side of the change.
  const LearnerId l22 = c.find_learner("LRN-022");
  CHECK(c.person(c.managers(l22, at("2026-10-01T12:00:00Z")).at(0)).id == "MGR-03");
  CHECK(c.person(c.managers(l22, at("2026-10-20T12:00:00Z")).at(0)).id == "MGR-05");
  for (LearnerId l = 0; l < c.learner_count(); ++l) CHECK(c.managers(l, at("2026-11-27T12:00:00Z")).size() == 1);
  // Each group has its tutor; events run from September to 27 November 2026 (Paris time).
  const EnrolmentId a = c.find_enrolment("ENR-LRN-001"), bgroup = c.find_enrolment("ENR-LRN-021");
  CHECK(c.person(c.tutors(a, at("2026-10-01T12:00:00Z")).at(0)).id == "TUT-01");
  CHECK(c.person(c.tutors(bgroup, at("2026-10-01T12:00:00Z")).at(0)).id == "TUT-02");
  Time first = log.time(0), last = log.time(0);
  for (std::size_t i = 0; i < log.size(); ++i) first = std::min(first, log.time(i)), last = std::max(last, log.time(i));
  CHECK(c.calendar().local_day(first) >= days_from_civil(2026, 9, 7));
  CHECK(c.calendar().local_day(last) == days_from_civil(2026, 11, 27));
  // Withdrawn learners have no event after their withdrawal.
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) {
    const Enrolment& en = c.enrolment(e);
    if (en.outcome != Outcome::withdrawn) continue;
    CHECK(log.upper_bound(en.learner, en.outcome_time) == log.end(en.learner));
  }
}

// ---- writing -----------------------------------------------------------------------------------------------------

namespace {

const char* const kTables[] = {"calendar.json",     "learners.csv",  "stakeholders.csv", "relations.csv", "paths.csv",
                               "steps.csv",         "prerequisites.csv", "enrolments.csv", "events.csv"};

void check_same_files(const fs::path& a, const fs::path& b) {
  for (const char* t : kTables) {
    INFO(t);
    REQUIRE(fs::exists(a / t));
    REQUIRE(fs::exists(b / t));
    CHECK(slurp(a / t) == slurp(b / t));
  }
}

/// Two cohorts hold the same data, compared through external ids (numeric ids may be renumbered).
void check_same_cohort(const Cohort& x, const Cohort& y) {
  CHECK(x.calendar().time_zone() == y.calendar().time_zone());
  CHECK(x.calendar().working_days() == y.calendar().working_days());
  CHECK(x.calendar().holidays() == y.calendar().holidays());
  REQUIRE(x.person_count() == y.person_count());
  REQUIRE(x.learner_count() == y.learner_count());
  for (PersonId p = 0; p < x.person_count(); ++p) {
    const Person& a = x.person(p);
    const PersonId q = y.find_person(a.id);
    REQUIRE(q != kNoId);
    const Person& b = y.person(q);
    CHECK(a.role == b.role);
    CHECK(a.display_name == b.display_name);
    CHECK(a.email == b.email);
    if (a.role != Role::learner) CHECK(a.organisation == b.organisation);
  }
  for (const auto& name : x.protected_attributes().names())
    for (LearnerId l = 0; l < x.learner_count(); ++l)
      CHECK(x.protected_attributes().column(name)[l] == y.protected_attributes().column(name)[y.find_learner(x.learner_id(l))]);
  REQUIRE(x.step_count() == y.step_count());
  for (StepId s = 0; s < x.step_count(); ++s) {
    const Step& a = x.step(s);
    const Step& b = y.step(y.find_step(a.id));
    CHECK(x.path(a.path).id == y.path(b.path).id);
    CHECK(a.title == b.title);
    CHECK(a.kind == b.kind);
    CHECK(a.phase == b.phase);
    CHECK(a.window.open == b.window.open);
    CHECK(a.window.due == b.window.due);
    if (a.window.open != kNoDay || a.window.due != kNoDay) CHECK(a.window.relative == b.window.relative);
    CHECK(float_bits(a.effort_hours) == float_bits(b.effort_hours));
    CHECK(float_bits(a.weight) == float_bits(b.weight));
    CHECK(a.required == b.required);
    CHECK(a.activity_iri == b.activity_iri);
    REQUIRE(a.competencies.size() == b.competencies.size());
    for (std::size_t k = 0; k < a.competencies.size(); ++k)
      CHECK(x.competencies()[a.competencies[k]] == y.competencies()[b.competencies[k]]);
    std::vector<std::string> pa, pb;
    for (StepId r : x.path(a.path).prerequisites_of(a)) pa.push_back(x.step(r).id);
    for (StepId r : y.path(b.path).prerequisites_of(b)) pb.push_back(y.step(r).id);
    CHECK(pa == pb);
  }
  REQUIRE(x.enrolment_count() == y.enrolment_count());
  for (EnrolmentId e = 0; e < x.enrolment_count(); ++e) {
    const Enrolment& a = x.enrolment(e);
    const Enrolment& b = y.enrolment(y.find_enrolment(a.id));
    CHECK(x.learner_id(a.learner) == y.learner_id(b.learner));
    CHECK(x.instances()[a.instance] == y.instances()[b.instance]);
    CHECK(a.start == b.start);
    CHECK(a.planned_end == b.planned_end);
    CHECK(a.outcome == b.outcome);
    CHECK(a.outcome_time == b.outcome_time);
    CHECK(a.prior_attempts == b.prior_attempts);
  }
  const EventLog& ex = x.events();
  const EventLog& ey = y.events();
  REQUIRE(ex.size() == ey.size());
  auto object_name = [](const Cohort& c, std::size_t i) -> std::string {
    const EventLog& log = c.events();
    switch (log.object_kind(i)) {
      case ObjectKind::step: return c.step(log.object(i)).id;
      case ObjectKind::resource: return std::string(c.resources()[log.object(i)]);
      case ObjectKind::person: return c.person(log.object(i)).id;
      default: return "";
    }
  };
  for (LearnerId l = 0; l < x.learner_count(); ++l) {
    const LearnerId m = y.find_learner(x.learner_id(l));
    REQUIRE(ex.end(l) - ex.begin(l) == ey.end(m) - ey.begin(m));
    for (std::size_t i = ex.begin(l), j = ey.begin(m); i < ex.end(l); ++i, ++j) {
      CHECK(ex.time(i) == ey.time(j));
      CHECK(ex.verb(i) == ey.verb(j));
      CHECK(ex.object_kind(i) == ey.object_kind(j));
      CHECK(object_name(x, i) == object_name(y, j));
      CHECK((ex.actor(i) == kNoId ? "" : x.person(ex.actor(i)).id) == (ey.actor(j) == kNoId ? "" : y.person(ey.actor(j)).id));
      CHECK(float_bits(ex.score(i)) == float_bits(ey.score(j)));
      CHECK(float_bits(ex.duration(i)) == float_bits(ey.duration(j)));
      CHECK(ex.success(i) == ey.success(j));
      CHECK(ex.completion(i) == ey.completion(j));
      CHECK(ex.count(i) == ey.count(j));
    }
  }
  CHECK(x.graph().relation_count() == y.graph().relation_count());
  CHECK(x.graph().instance_relations().size() == y.graph().instance_relations().size());
}


/// A cohort with everything the format can carry: awkward text, every float, interleaved people, a DST zone.
Cohort random_cohort(std::uint64_t seed) {
  SplitMix64 rng{seed};
  std::vector<Day> holidays = Calendar::french_holidays(kMinYear, kMaxYear);
  holidays.push_back(days_from_civil(2027, 6, 1));
  CohortBuilder b(Calendar("EST5EDT,M3.2.0,M11.1.0", 0x3E, holidays));  // Tue-Sat
  const std::uint32_t src = b.source("random");
  std::uint64_t line = 0;
  auto ref = [&]() { return RecordRef{src, ++line}; };
  const char* const texts[] = {"", "plain", "with, comma", "with \"quotes\"", "two\nlines", "crlf\r\nend",
                               "\xC3\xA9t\xC3\xA9", " spaced ", "tab\there", ",", "\"", "trailing\r"};
  auto text = [&]() { return std::string(texts[rng.below(std::size(texts))]); };
  auto any_float = [&](float lo, float hi) {  // random bit patterns within [lo, hi]
    for (;;) {
      std::uint32_t u = static_cast<std::uint32_t>(rng.next());
      float f;
      std::memcpy(&f, &u, sizeof f);
      if (std::isfinite(f) && f >= lo && f <= hi) return f;
      if (rng.below(4) == 0) return lo + (hi - lo) * static_cast<float>(rng.below(1000)) / 1000.0f;
    }
  };
  auto any_time = [&]() { return at("2026-01-01T00:00:00Z") + static_cast<Time>(rng.below(400ull * 86400000)); };
  std::vector<std::string> people, learners;
  std::deque<std::string> storage;  // the records hold views: their text must not move
  auto keep = [&](std::string s) -> std::string_view { return storage.emplace_back(std::move(s)); };
  for (int i = 0; i < 60; ++i) {
    const std::string id = (i % 3 == 1 ? "S-" : "L-") + std::to_string(i) + (i % 7 == 0 ? ",x" : "");
    if (i % 3 == 1) {
      StakeholderRecord r;
      r.id = keep(id);
      r.role = static_cast<Role>(1 + rng.below(7));
      r.display_name = keep(text()), r.email = keep(text()), r.organisation = keep(text());
      REQUIRE(b.add_stakeholder(r, ref()));
    } else {
      LearnerRecord r;
      r.id = keep(id);
      r.display_name = keep(text()), r.email = keep(text()), r.team = keep(text()), r.site = keep(text());
      r.job = keep(text());
      if (rng.coin()) r.protected_attributes.emplace_back("gender", rng.coin() ? "F" : "M");
      if (rng.coin()) r.protected_attributes.emplace_back("protected_zz", text() + "z");
      if (rng.coin()) r.protected_attributes.emplace_back("protected_aa", "a" + text());
      REQUIRE(b.add_learner(r, ref()));
      learners.push_back(id);
    }
    people.push_back(id);
  }
  for (int p = 0; p < 3; ++p) {
    const std::string pid = "P" + std::to_string(p);
    REQUIRE(b.add_path({keep(pid), keep(text()), p == 1 ? std::string_view() : keep("course-" + text())}, ref()));
    for (int s = 0; s < 6; ++s) {
      StepRecord r;
      r.path = keep(pid);
      r.id = keep(pid + "-S" + std::to_string(s));
      r.title = keep(text());
      r.kind = static_cast<StepKind>(rng.below(8));
      r.phase = static_cast<Phase>(rng.below(4));
      r.window.relative = rng.coin();
      if (rng.below(4)) {
        const Day o = r.window.relative ? static_cast<Day>(rng.below(40)) - 10 : days_from_civil(2026, 9, 1) + static_cast<Day>(rng.below(90));
        r.window.open = o;
        r.window.due = rng.coin() ? o + static_cast<Day>(rng.below(30)) : kNoDay;
      }
      r.effort_hours = any_float(0, 1e6f);
      r.required = rng.coin();
      r.weight = any_float(0, 100);
      for (int k = 0; k < static_cast<int>(rng.below(3)); ++k) r.competencies.push_back(keep("comp " + std::to_string(rng.below(5))));
      if (rng.coin()) r.activity_iri = keep("https://lms.example.org/a?x=" + std::string(r.id) + ",y");
      REQUIRE(b.add_step(r, ref()));
      if (s > 0 && rng.coin()) REQUIRE(b.add_prerequisite({r.id, keep(pid + "-S" + std::to_string(rng.below(s)))}, ref()));
    }
  }
  for (std::size_t i = 0; i < learners.size(); ++i) {
    EnrolmentRecord e;
    e.id = keep("E" + std::to_string(i));
    e.learner = keep(learners[i]);
    e.path = keep("P" + std::to_string(i == 0 ? 0 : rng.below(3)));
    e.instance = i == 0 || rng.coin() ? keep(std::string(e.path) + "/g" + std::to_string(i == 0 ? 0 : rng.below(2)))
                                      : std::string_view();
    e.start = any_time();
    e.planned_end = rng.coin() ? e.start + static_cast<Time>(rng.below(1000000000)) : kNoTime;
    e.outcome = static_cast<Outcome>(rng.below(3));
    e.outcome_time = e.outcome == Outcome::active ? kNoTime : e.start + static_cast<Time>(rng.below(1000000000));
    e.prior_attempts = static_cast<std::int32_t>(rng.below(4)) - 1;
    REQUIRE(b.add_enrolment(e, ref()));
  }
  for (int k = 0; k < 80; ++k) {
    RelationRecord r;
    r.source = keep(people[rng.below(people.size())]);
    r.type = static_cast<RelationType>(rng.below(5));
    r.target = keep(people[rng.below(people.size())]);
    if (r.source == r.target) continue;
    if (rng.coin()) r.valid_from = any_time();
    if (rng.coin()) r.valid_to = r.valid_from == kNoTime ? any_time() : r.valid_from + static_cast<Time>(rng.below(1000000));
    REQUIRE(b.add_relation(r, ref()));
  }
  REQUIRE(b.add_relation({keep(people[1]), "P0/g0", RelationType::tutors, kNoTime, kNoTime}, ref()));
  for (int k = 0; k < 3000; ++k) {
    EventRecord e;
    e.learner = keep(learners[rng.below(learners.size())]);
    e.time = any_time() + static_cast<Time>(rng.below(1000));  // milliseconds too
    e.verb = static_cast<Verb>(rng.below(15));
    e.object_kind = static_cast<ObjectKind>(rng.below(4));
    if (e.object_kind == ObjectKind::step) e.object = keep("P" + std::to_string(rng.below(3)) + "-S" + std::to_string(rng.below(6)));
    if (e.object_kind == ObjectKind::resource) e.object = keep("res:" + text() + std::to_string(rng.below(50)));
    if (e.object_kind == ObjectKind::person) e.object = keep(people[rng.below(people.size())]);
    if (rng.coin()) e.actor = keep(people[rng.below(people.size())]);
    if (rng.coin()) e.score = any_float(-1, 1);
    if (rng.coin()) e.duration = any_float(0, 3e7f);
    e.success = static_cast<Tri>(rng.below(3));
    e.completion = static_cast<Tri>(rng.below(3));
    e.count = rng.below(4) ? 1u : static_cast<std::uint32_t>(1 + rng.below(4000000000u));
    REQUIRE(b.add_event(e, ref()));
  }
  ReadReport report;
  Cohort c = b.build(report);
  REQUIRE(report.rejected.empty());
  return c;
}

}  // namespace

TEST_CASE("the example programme written back reads the same, and rewrites byte for byte") {
  const ReadResult first = read_csv_dir(kExample);
  TempDir one("write1"), two("write2");
  write_csv_dir(first.cohort, one.str());
  const ReadResult second = read_csv_dir(one.str());
  check_balanced(second.report);
  CHECK(second.report.rejected.empty());
  CHECK(second.report.read == first.report.read);
  check_same_cohort(first.cohort, second.cohort);
  write_csv_dir(second.cohort, two.str());
  check_same_files(one.path, two.path);
  // Canonical form: UTC instants, windows as written, the French holidays as "fr".
  const std::string events = slurp(one.path / "events.csv");
  CHECK(events.rfind("learner_id,time,verb,object_type,object_id,actor_id,score,success,completion,duration,count\n", 0) == 0);
  CHECK(contains(slurp(one.path / "steps.csv"), ",+14,+14,"));
  // Instants exactly as format_timestamp_utc writes them: the first event row is learner 0's first event.
  const EventLog& log = first.cohort.events();
  const std::size_t row_start = events.find('\n') + 1;
  const std::string row = events.substr(row_start, events.find('\n', row_start) - row_start);
  CHECK(row.rfind(first.cohort.learner_id(0) + "," + format_timestamp_utc(log.time(log.begin(0))) + ",", 0) == 0);
  CHECK(slurp(one.path / "calendar.json") ==
        "{\n  \"time_zone\": \"CET-1CEST,M3.5.0,M10.5.0/3\",\n  \"working_days\": \"Mon-Fri\",\n  \"holidays\": [\"fr\"]\n}\n");
}

TEST_CASE("a randomised cohort survives write, read, write bit for bit") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    const Cohort original = random_cohort(seed);
    TempDir one("rand1"), two("rand2");
    write_csv_dir(original, one.str());
    const ReadResult back = read_csv_dir(one.str());
    check_balanced(back.report);
    for (const auto& x : back.report.rejected) INFO(x.source << ":" << x.index << " " << x.field << " " << x.reason);
    REQUIRE(back.report.rejected.empty());
    check_same_cohort(original, back.cohort);
    write_csv_dir(back.cohort, two.str());
    check_same_files(one.path, two.path);
    CHECK(contains(slurp(one.path / "calendar.json"), "[\"fr\", \"2027-06-01\"]"));
    CHECK(contains(slurp(one.path / "calendar.json"), "\"Tue-Sat\""));
  }
}

TEST_CASE("write_csv_dir creates the folder and reports what it cannot write") {
  const ReadResult r = read_csv_dir(kData + "small");
  TempDir dir("create");
  const fs::path nested = dir.path / "a" / "b";
  write_csv_dir(r.cohort, nested.string());
  for (const char* t : kTables) CHECK(fs::exists(nested / t));
  // Quoting: the display name with a comma, quotes and a line break comes back whole.
  CHECK(contains(slurp(nested / "learners.csv"), "\"Bob \"\"the builder\"\"\r\nMartin\""));
  dir.write("blocker", "a file, not a folder");
  CHECK_THROWS_AS(write_csv_dir(r.cohort, (dir.path / "blocker").string()), IoError);
  // A competency id holding the separator cannot be written faithfully: refused, not split.
  CohortBuilder b;
  const std::uint32_t src = b.source("api");
  REQUIRE(b.add_path({"P", "", ""}, {src, 1}));
  StepRecord s;
  s.path = "P", s.id = "S1", s.competencies = {"a;b"};
  REQUIRE(b.add_step(s, {src, 2}));
  ReadReport rep;
  const Cohort c = b.build(rep);
  CHECK_THROWS_WITH(write_csv_dir(c, (dir.path / "sep").string()), Catch::Contains("'S1'"));
}
