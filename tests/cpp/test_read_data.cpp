// read_data picks the reader by what the path is; the example programme read as CSV and as xAPI statements
// (mapped onto the same folder's reference tables) gives the same cohort: same people, enrolments and events.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "lien/core/error.hpp"
#include "lien/io/read.hpp"
#include "lien/model/counts.hpp"

using namespace lien;

namespace {
const std::string kExample = std::string(LIEN_SOURCE_DIR) + "/examples/data/managers-2027";
const std::string kStatements = std::string(LIEN_SOURCE_DIR) + "/examples/data/managers-2027.ndjson";
}  // namespace

TEST_CASE("read_data reads a folder as CSV tables and a file as xAPI", "[io]") {
  const ReadResult csv = read_data(kExample);
  const ReadResult direct = read_csv_dir(kExample);
  CHECK(csv.report.read == direct.report.read);
  CHECK(csv.cohort.events().size() == direct.cohort.events().size());
  CHECK(csv.report.rejected.empty());

  const ReadResult xapi = read_data(kStatements);
  CHECK(xapi.report.read == 2861);  // one statement per event row of events.csv
  CHECK(xapi.cohort.events().size() > 0);
}

TEST_CASE("read_data refuses a missing path and an empty one, naming them", "[io]") {
  CHECK_THROWS_AS(read_data(""), InvalidArgument);
  try {
    read_data(kExample + "/no-such-thing");
    FAIL("no exception");
  } catch (const NotFound& e) {
    CHECK(std::string(e.what()).find("no-such-thing") != std::string::npos);
  }
}

TEST_CASE("xAPI statements mapped onto the CSV reference tables give back the CSV cohort", "[io]") {
  const ReadResult csv = read_csv_dir(kExample);
  const ReadResult xapi = read_xapi_file_with_tables(kStatements, kExample);
  INFO(xapi.report.rejected.size() << " rejections");
  CHECK(xapi.report.rejected.empty());
  const CohortCounts a = count_records(csv.cohort), b = count_records(xapi.cohort);
  CHECK(a.learners == b.learners);
  CHECK(a.stakeholders == b.stakeholders);
  CHECK(a.paths == b.paths);
  CHECK(a.steps == b.steps);
  CHECK(a.enrolments == b.enrolments);
  CHECK(a.events == b.events);
  CHECK(a.events_by_verb == b.events_by_verb);
  CHECK(a.enrolments_by_outcome == b.enrolments_by_outcome);
  CHECK(a.interactions == b.interactions);
  // Event by event, in the log's order (per learner, by time): same learner, time, verb and object kind.
  const EventLog& x = csv.cohort.events();
  const EventLog& y = xapi.cohort.events();
  REQUIRE(x.size() == y.size());
  auto learner_id = [](const Cohort& c, const EventLog& log, std::size_t i) {
    return c.person(c.learner(log.learner_of(i)).person).id;
  };
  std::size_t same = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    same += learner_id(csv.cohort, x, i) == learner_id(xapi.cohort, y, i) && x.time(i) == y.time(i) &&
            x.verb(i) == y.verb(i) && x.object_kind(i) == y.object_kind(i) && x.count(i) == y.count(i);
  CHECK(same == x.size());
}

TEST_CASE("read_xapi_file_with_tables names a missing tables folder", "[io]") {
  CHECK_THROWS_AS(read_xapi_file_with_tables(kStatements, kExample + "/missing"), NotFound);
}
