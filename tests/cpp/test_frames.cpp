// Tables given as columns (lien/io/frames.hpp): the same records and rejections as the CSV reader's, with
// indices that are row positions.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "lien/io/frames.hpp"
#include "lien/io/read.hpp"

using namespace lien;

namespace {
const char* kLearners = "learner_id,team\nL1,a\nL2,b\n";
const char* kPaths = "path_id\nP\n";
const char* kSteps = "step_id,path_id,kind,phase,open,due\nS1,P,elearning,during,+0,+14\n";
const char* kEnrolments = "enrolment_id,learner_id,path_id,start\nE1,L1,P,2027-01-04\nE2,L2,P,2027-01-04\n";

void reference_tables(CohortBuilder& b) {
  read_csv_table(b, "learners", kLearners, "learners");
  read_csv_table(b, "paths", kPaths, "paths");
  read_csv_table(b, "steps", kSteps, "steps");
  read_csv_table(b, "enrolments", kEnrolments, "enrolments");
}

FrameColumn strings(const std::vector<std::int32_t>& codes, std::vector<std::string_view> uniques) {
  FrameColumn c;
  c.kind = FrameColumn::Kind::strings;
  c.codes = codes.data();
  c.uniques = std::move(uniques);
  return c;
}

const Rejection* find(const ReadReport& r, const std::string& source, std::uint64_t index) {
  for (const auto& x : r.rejected)
    if (x.source == source && x.index == index) return &x;
  return nullptr;
}
}  // namespace

TEST_CASE("events from columns: the CSV reader's cohort, rejections by row position") {
  // Rows: 0 good, 1 unknown verb, 2 bad timestamp, 3 score out of range, 4 missing learner, 5 good (person object).
  const std::string csv =
      "learner_id,time,verb,object_type,object_id,score\n"
      "L1,2027-01-05T09:00:00Z,completed,step,S1,\n"
      "L1,2027-01-06T09:00:00Z,jumped,,,\n"
      "L2,2027-02-30T09:00:00Z,launched,,,\n"
      "L2,2027-01-07T09:00:00Z,passed,step,S1,1.5\n"
      ",2027-01-07T09:00:00Z,launched,,,\n"
      "L2,2027-01-08T10:00:00Z,messaged,person,L1,\n";
  CohortBuilder via_csv;
  reference_tables(via_csv);
  read_csv_table(via_csv, "events", csv, "events");
  ReadReport csv_report;
  const Cohort a = via_csv.build(csv_report);

  const std::vector<std::int32_t> learner = {0, 0, 1, 1, -1, 1};
  const std::vector<std::int32_t> verb = {0, 1, 2, 3, 2, 4};
  const std::vector<std::int32_t> otype = {0, -1, -1, 0, -1, 1};
  const std::vector<std::int32_t> object = {0, -1, -1, 0, -1, 1};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> score = {nan, nan, nan, 1.5, nan, nan};
  const std::vector<std::int32_t> time = {0, 1, 2, 3, 3, 4};
  EventFrame f;
  f.rows = 6;
  f.learner_id = strings(learner, {"L1", "L2"});
  f.verb = strings(verb, {"completed", "jumped", "launched", "passed", "messaged"});
  f.object_type = strings(otype, {"step", "person"});
  f.object_id = strings(object, {"S1", "L1"});
  f.time = strings(time, {"2027-01-05T09:00:00Z", "2027-01-06T09:00:00Z", "2027-02-30T09:00:00Z",
                          "2027-01-07T09:00:00Z", "2027-01-08T10:00:00Z"});
  f.score.kind = FrameColumn::Kind::numbers;
  f.score.numbers = score.data();
  CohortBuilder via_frame;
  reference_tables(via_frame);
  CHECK(read_event_frame(via_frame, f, "events") == 2);
  ReadReport frame_report;
  const Cohort b = via_frame.build(frame_report);

  REQUIRE(a.events().size() == 2);
  REQUIRE(b.events().size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(a.events().time(i) == b.events().time(i));
    CHECK(a.events().verb(i) == b.events().verb(i));
    CHECK(a.events().object(i) == b.events().object(i));
    CHECK(a.events().object_kind(i) == b.events().object_kind(i));
  }
  // The same rejections in the same order; CSV indices are lines (header = line 1), frame indices positions.
  REQUIRE(csv_report.rejected.size() == frame_report.rejected.size());
  for (std::size_t i = 0; i < csv_report.rejected.size(); ++i) {
    const Rejection &x = csv_report.rejected[i], &y = frame_report.rejected[i];
    if (x.source != "events") continue;
    CHECK(x.index == y.index + 2);
    CHECK(x.field == y.field);
    CHECK(x.reason == y.reason);
  }
  REQUIRE(find(frame_report, "events", 1));
  CHECK(find(frame_report, "events", 1)->field == "verb");
  CHECK(find(frame_report, "events", 2)->reason == "day does not exist in that month");
  CHECK(find(frame_report, "events", 3)->field == "score");
  CHECK(find(frame_report, "events", 4)->reason == "missing required value");
  CHECK(frame_report.balanced());
}

TEST_CASE("events from columns: instants, local wall-clock readings, numbers") {
  const Calendar paris("CET-1CEST,M3.5.0,M10.5.0/3", kMondayToFriday, {});
  CohortBuilder b(paris);
  reference_tables(b);
  const std::vector<std::int32_t> learner = {0, 0, 0};
  const std::vector<std::int32_t> verb = {0, 0, 0};
  const Time nine_utc = paris.start_of_day(days_from_civil(2027, 1, 5)) + 9 * 3600000 + 3600000;  // 09:00 UTC
  const std::vector<std::int64_t> t = {nine_utc + 3600000, nine_utc + 3600000, kNoTime};        // 10:00 as read
  const std::vector<double> count = {2, 2.5, 1};
  EventFrame f;
  f.rows = 3;
  f.learner_id = strings(learner, {"L1"});
  f.verb = strings(verb, {"launched"});
  f.time.kind = FrameColumn::Kind::instants;
  f.time.instants = t.data();
  f.time.local = true;  // 10:00 wall clock in Paris, UTC+1 in January: 09:00 UTC
  f.count.kind = FrameColumn::Kind::numbers;
  f.count.numbers = count.data();
  CHECK(read_event_frame(b, f, "events") == 1);
  ReadReport r;
  const Cohort c = b.build(r);
  REQUIRE(c.events().size() == 1);
  CHECK(c.events().time(0) == nine_utc);
  CHECK(c.events().count(0) == 2);
  REQUIRE(find(r, "events", 1));
  CHECK(find(r, "events", 1)->reason == "expected an integer");
  CHECK(find(r, "events", 2)->reason == "missing required value");
}

TEST_CASE("events from columns: a missing required column or a bad code is the caller's error") {
  CohortBuilder b;
  const std::vector<std::int32_t> codes = {0, 3};
  EventFrame f;
  f.rows = 2;
  f.learner_id = strings(codes, {"L1"});
  f.verb = strings(codes, {"launched"});
  CHECK_THROWS_AS(read_event_frame(b, f, "events"), ParseError);  // no time column
  f.time = strings(codes, {"2027-01-05"});
  CHECK_THROWS_AS(read_event_frame(b, f, "events"), InvalidArgument);  // code 3 of 1 value
}

TEST_CASE("small tables from columns go through the CSV row code") {
  CohortBuilder b;
  const std::vector<std::string> names = {"enrolment_id", "learner_id", "path_id", "start", "outcome"};
  const std::vector<std::vector<std::string_view>> cols = {
      {"E1", "E2"}, {"L1", "L2"}, {"P", "P"}, {"2027-01-04", "2027-01-04"}, {"active", "gone"}};
  read_table_columns(b, "enrolments", names, cols, "enrolments");
  ReadReport r;
  (void)b.build(r);
  const Rejection* x = find(r, "enrolments", 1);
  REQUIRE(x);
  CHECK(x->field == "outcome");
  CHECK(x->reason.rfind("unknown outcome 'gone'", 0) == 0);
  CohortBuilder b2;
  CHECK_THROWS_AS(read_table_columns(b2, "enrolments", {"enrolment_id", "colour"}, {{"E1"}, {"red"}}, "enrolments"),
                  ParseError);
  CHECK_THROWS_AS(read_table_columns(b2, "enrolments", {"enrolment_id"}, {{"E1"}, {"x"}}, "enrolments"),
                  InvalidArgument);
}
