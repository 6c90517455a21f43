// The cohort summary on a hand-made cohort: outcomes at a date, risk bands, open actions, by instance, team and
// site. Every count is worked out in the comments.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lien/act/queue.hpp"
#include "lien/analytics/summary.hpp"
#include "lien/core/error.hpp"
#include "toolbox_fixture.hpp"

using namespace lien;
using toolbox::at;

namespace {

// Learners (team, site): L1 (A, Lyon), L2 (A, Paris), L3 (B, Lyon), L4 (B, -), L5 (-, Paris), L6 (A, Lyon).
// As of 2027-03-10:
//   G1: E1 L1 active; E2 L2 completed 2027-03-01; E3 L3 withdrawn 2027-02-01
//   G2: E4 L4 active; E5 L5 active; E6 L6 starts 2027-04-01 (not counted); E7 L1 withdraws 2027-03-20 (still
//       active at the date)
// Scores: E1 high, E4 medium, E7 low, E3 high (withdrawn: ignored); E5 has none.
// Queue: E1 two open actions (scheduled, deferred), E4 one suppressed by cooling-off, E5 one scheduled.
Cohort make_cohort() {
  toolbox::Builder b;
  b.learner("L1", "A", "Lyon").learner("L2", "A", "Paris").learner("L3", "B", "Lyon");
  b.learner("L4", "B", "").learner("L5", "", "Paris").learner("L6", "A", "Lyon");
  b.path("P");
  b.step("P", "S1", StepKind::elearning, Phase::during, 0, 7);
  const char* start = "2027-01-04T08:00:00Z";
  b.enrol("E1", "L1", "P", "G1", start);
  b.enrol("E2", "L2", "P", "G1", start, Outcome::completed, "2027-03-01T12:00:00Z");
  b.enrol("E3", "L3", "P", "G1", start, Outcome::withdrawn, "2027-02-01T12:00:00Z");
  b.enrol("E4", "L4", "P", "G2", start);
  b.enrol("E5", "L5", "P", "G2", start);
  b.enrol("E6", "L6", "P", "G2", "2027-04-01T08:00:00Z");
  b.enrol("E7", "L1", "P", "G2", "2027-02-01T08:00:00Z", Outcome::withdrawn, "2027-03-20T12:00:00Z");
  return b.build();
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

const Time kDate = at("2027-03-10T10:00:00Z");

QueueEntry entry(const char* enrolment, ActionType type, QueueStatus status) {
  QueueEntry e;
  e.action.enrolment = cohort().find_enrolment(enrolment);
  e.action.learner = cohort().enrolment(e.action.enrolment).learner;
  e.action.type = type;
  e.status = status;
  return e;
}

const GroupSummary& group(const std::vector<GroupSummary>& v, const std::string& key) {
  for (const GroupSummary& g : v)
    if (g.key == key) return g;
  throw std::runtime_error("no group " + key);
}

void check(const GroupSummary& g, std::uint32_t enrolled, std::uint32_t active, std::uint32_t completed,
           std::uint32_t withdrawn, std::array<std::uint32_t, 3> bands, std::uint32_t unscored, std::uint32_t open) {
  INFO("group '" << g.key << "'");
  CHECK(g.enrolled == enrolled);
  CHECK(g.active == active);
  CHECK(g.completed == completed);
  CHECK(g.withdrawn == withdrawn);
  CHECK(g.at_risk == bands);
  CHECK(g.unscored == unscored);
  CHECK(g.actions_open == open);
}

}  // namespace

TEST_CASE("the cohort summary counts outcomes, bands and open actions, in total and by group") {
  const Cohort& c = cohort();
  const std::vector<RiskScore> scores{toolbox::score(c, "E1", 0.7), toolbox::score(c, "E4", 0.3),
                                      toolbox::score(c, "E7", 0.1), toolbox::score(c, "E3", 0.9)};
  ActionQueue q;
  q.entries = {entry("E1", ActionType::tutor_call, QueueStatus::scheduled),
               entry("E1", ActionType::nudge, QueueStatus::deferred),
               entry("E4", ActionType::nudge, QueueStatus::cooling_off),
               entry("E5", ActionType::community_event, QueueStatus::scheduled),
               entry("E5", ActionType::nudge, QueueStatus::over_cap)};
  const CohortSummary s = summarize(c, kDate, scores, &q);
  CHECK(s.as_of == kDate);
  check(s.total, 6, 4, 1, 1, {1, 1, 1}, 1, 3);
  REQUIRE(s.by_instance.size() == 2);
  CHECK(s.by_instance[0].key == "G1");
  check(group(s.by_instance, "G1"), 3, 1, 1, 1, {0, 0, 1}, 0, 2);
  check(group(s.by_instance, "G2"), 3, 3, 0, 0, {1, 1, 0}, 1, 1);
  REQUIRE(s.by_team.size() == 3);
  CHECK(s.by_team[0].key == "");  // unknown team, sorted first
  check(group(s.by_team, ""), 1, 1, 0, 0, {0, 0, 0}, 1, 1);
  check(group(s.by_team, "A"), 3, 2, 1, 0, {1, 0, 1}, 0, 2);
  check(group(s.by_team, "B"), 2, 1, 0, 1, {0, 1, 0}, 0, 0);
  REQUIRE(s.by_site.size() == 3);
  check(group(s.by_site, ""), 1, 1, 0, 0, {0, 1, 0}, 0, 0);
  check(group(s.by_site, "Lyon"), 3, 2, 0, 1, {1, 0, 1}, 0, 2);
  check(group(s.by_site, "Paris"), 2, 1, 1, 0, {0, 0, 0}, 1, 1);
}

TEST_CASE("the summary at other dates, without scores or a queue") {
  const Cohort& c = cohort();
  // After 2027-03-20 E7 has withdrawn; after 2027-04-01 E6 has started.
  const CohortSummary later = summarize(c, at("2027-04-02T00:00:00Z"));
  check(later.total, 7, 4, 1, 2, {0, 0, 0}, 4, 0);
  // Before everything: nobody.
  const CohortSummary before = summarize(c, at("2026-12-01T00:00:00Z"));
  check(before.total, 0, 0, 0, 0, {0, 0, 0}, 0, 0);
  CHECK(before.by_instance.empty());
}

TEST_CASE("the summary refuses unknown and repeated scores") {
  const Cohort& c = cohort();
  RiskScore bad = toolbox::score(c, "E1", 0.5);
  bad.enrolment = 77;
  CHECK_THROWS_WITH(summarize(c, kDate, std::vector<RiskScore>{bad}), Catch::Contains("unknown enrolment"));
  const std::vector<RiskScore> twice{toolbox::score(c, "E1", 0.5), toolbox::score(c, "E1", 0.2)};
  CHECK_THROWS_WITH(summarize(c, kDate, twice), Catch::Contains("two scores for enrolment 'E1'"));
}

TEST_CASE("the toolbox refuses a missing date instead of overflowing the calendar") {
  const Cohort& c = cohort();
  CHECK_THROWS_WITH(summarize(c, kNoTime), Catch::Contains("summarize: as_of is missing or outside 1970-2199"));
  CHECK_THROWS_AS(summarize(c, 200000 * kMsPerDay), InvalidArgument);  // year 2517
  CHECK_THROWS_AS(build_queue(c, {}, kNoTime), InvalidArgument);
}
