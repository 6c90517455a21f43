// The action queue on a hand-made cohort: actions already taken read back from the event log (cooling-off,
// this week's load), priorities, duplicates, the weekly cap with both policies, and a total order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "lien/act/queue.hpp"
#include "lien/core/error.hpp"
#include "toolbox_fixture.hpp"

using namespace lien;
using toolbox::at;
using toolbox::day;

namespace {

// UTC, Monday to Friday. The queue is for Wednesday 2027-03-10 (ISO week 2027-W10, Monday 8 to Sunday 14).
// Actions recorded in the log (object urn:lien:action:<type>[:...], actor = who did it):
//   L1 tutor_call by T1 on Friday 2027-03-05 (last week; 3 working days ago)
//   L2 tutor_call by T1 on 2027-02-15, with a rule suffix (17 working days ago)
//   L3 nudge by CM1 on Monday 2027-03-08 (this week)
//   L4 manager_check_in by T2 on Tuesday 2027-03-09 (this week)
//   L5 tutor_call by T1 on Thursday 2027-03-11 (after the date: not read)
//   L6 look-alike resources that are not actions
Cohort make_cohort() {
  toolbox::Builder b;
  for (const char* l : {"L1", "L2", "L3", "L4", "L5", "L6"}) b.learner(l);
  b.stakeholder("T1", Role::tutor).stakeholder("T2", Role::tutor).stakeholder("CM1", Role::community_manager);
  b.path("P").path("P2");
  b.step("P", "S1", StepKind::elearning, Phase::during, 0, 7);
  b.step("P2", "X1", StepKind::elearning, Phase::during, 0, 7);
  const char* start = "2027-01-04T08:00:00Z";
  for (const char* l : {"L1", "L2", "L3", "L4", "L5", "L6"}) b.enrol((std::string("E") + l).c_str(), l, "P", "G1", start);
  b.enrol("E2b", "L2", "P2", "G3", start);
  const auto res = ObjectKind::resource;
  b.event("L1", "2027-03-05T15:00:00Z", Verb::completed, res, "urn:lien:action:tutor_call", "T1");
  b.event("L2", "2027-02-15T15:00:00Z", Verb::completed, res, "urn:lien:action:tutor_call:inactive-call", "T1");
  b.event("L3", "2027-03-08T09:00:00Z", Verb::other, res, "urn:lien:action:nudge", "CM1");
  b.event("L4", "2027-03-09T09:00:00Z", Verb::completed, res, "urn:lien:action:manager_check_in", "T2");
  b.event("L5", "2027-03-11T09:00:00Z", Verb::completed, res, "urn:lien:action:tutor_call", "T1");
  b.event("L6", "2027-03-09T09:00:00Z", Verb::completed, res, "urn:lien:action:phone", "T1");
  b.event("L6", "2027-03-09T09:00:00Z", Verb::completed, res, "urn:lien:actions:nudge", "T1");
  return b.build();
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

const Time kDate = at("2027-03-10T10:00:00Z");

Action action(const char* enrolment, ActionType type, const char* performer, double p, const char* due,
              std::int32_t priority = 0) {
  const Cohort& c = cohort();
  Action a;
  a.enrolment = c.find_enrolment(enrolment);
  a.learner = c.enrolment(a.enrolment).learner;
  a.type = type;
  a.rule = std::string(to_string(type)) + "-rule";
  a.performer = performer ? c.find_person(performer) : kNoId;
  a.resolved = performer ? Performer::tutor : Performer::nobody;
  a.probability = p;
  a.band = RiskBands{}.band(p);
  a.due = day(due);
  a.priority = priority;
  a.cooling_off_working_days = 10;
  return a;
}

// a1..a10 as in the comments of the first test.
std::vector<Action> actions() {
  return {
      action("EL1", ActionType::tutor_call, "T1", 0.9, "2027-03-12"),        // a1: cooling-off (3 working days ago)
      action("EL2", ActionType::tutor_call, "T1", 0.8, "2027-03-12"),        // a2
      action("EL5", ActionType::tutor_call, "T1", 0.7, "2027-03-12"),        // a3: the later record does not count
      action("EL6", ActionType::tutor_call, "T1", 0.45, "2027-03-17"),       // a4
      action("EL3", ActionType::nudge, "CM1", 0.35, "2027-03-17"),           // a5: cooling-off (this Monday)
      action("EL4", ActionType::progress_review, "T2", 0.3, "2027-03-17"),   // a6
      action("EL2", ActionType::nudge, "CM1", 0.1, "2027-03-24"),            // a7
      action("EL4", ActionType::tutor_call, "T2", 0.6, "2027-03-12"),        // a8
      action("EL6", ActionType::manager_check_in, nullptr, 0.4, "2027-03-17"),  // a9: unassigned
      action("E2b", ActionType::tutor_call, "T1", 0.5, "2027-03-17"),        // a10: L2 again, another enrolment
  };
}

const QueueEntry& entry(const ActionQueue& q, const char* enrolment, ActionType type) {
  for (const QueueEntry& e : q.entries)
    if (e.action.enrolment == cohort().find_enrolment(enrolment) && e.action.type == type) return e;
  throw std::runtime_error("no such entry");
}

const PerformerLoad& load(const ActionQueue& q, PersonId p) {
  for (const PerformerLoad& l : q.load)
    if (l.person == p) return l;
  throw std::runtime_error("no such performer");
}

}  // namespace

TEST_CASE("action resources follow the urn:lien:action:<type> convention") {
  CHECK(action_resource(ActionType::tutor_call) == "urn:lien:action:tutor_call");
  CHECK(parse_action_resource("urn:lien:action:tutor_call") == ActionType::tutor_call);
  CHECK(parse_action_resource("urn:lien:action:escalation:high-risk-escalation") == ActionType::escalation);
  CHECK_FALSE(parse_action_resource("urn:lien:action:phone"));
  CHECK_FALSE(parse_action_resource("urn:lien:actions:nudge"));
  CHECK_FALSE(parse_action_resource("urn:lien:action:"));
  CHECK_FALSE(parse_action_resource("nudge"));
  for (std::size_t t = 0; t < kActionTypeNames.size(); ++t)
    CHECK(parse_action_resource(action_resource(static_cast<ActionType>(t))) == static_cast<ActionType>(t));
  const std::vector<TakenAction> taken = actions_taken(cohort(), kDate);
  REQUIRE(taken.size() == 4);  // L5's record is after the date, L6's are not actions
  CHECK(taken[0].learner == cohort().find_learner("L1"));
  CHECK(taken[0].type == ActionType::tutor_call);
  CHECK(taken[0].actor == cohort().find_person("T1"));
  CHECK(taken[1].time == at("2027-02-15T15:00:00Z"));
  CHECK(actions_taken(cohort(), at("2027-03-12T00:00:00Z")).size() == 5);
}

TEST_CASE("the queue orders by risk and urgency, reads cooling-off from the log, and caps each week") {
  const Cohort& c = cohort();
  QueueOptions o;
  o.weekly_cap = 2;
  const ActionQueue q = build_queue(c, actions(), kDate, o);
  CHECK(q.day == day("2027-03-10"));
  CHECK(q.week == IsoWeek{2027, 10});
  REQUIRE(q.entries.size() == 10);
  // Order: high (due Friday) by probability: a1 a2 a3 a8; medium (due the 17th) by probability: a10 a4 a9 a5 a6;
  // then low: a7.
  const std::vector<std::pair<const char*, ActionType>> order = {
      {"EL1", ActionType::tutor_call}, {"EL2", ActionType::tutor_call},      {"EL5", ActionType::tutor_call},
      {"EL4", ActionType::tutor_call}, {"E2b", ActionType::tutor_call},      {"EL6", ActionType::tutor_call},
      {"EL6", ActionType::manager_check_in}, {"EL3", ActionType::nudge}, {"EL4", ActionType::progress_review},
      {"EL2", ActionType::nudge}};
  for (std::size_t i = 0; i < order.size(); ++i) {
    INFO("rank " << i + 1);
    CHECK(q.entries[i].action.enrolment == c.find_enrolment(order[i].first));
    CHECK(q.entries[i].action.type == order[i].second);
    CHECK(q.entries[i].rank == i + 1);
  }
  // Cooling-off: L1's tutor call 3 working days ago; L3's nudge this Monday.
  const QueueEntry& a1 = entry(q, "EL1", ActionType::tutor_call);
  CHECK(a1.status == QueueStatus::cooling_off);
  CHECK(a1.last_taken == at("2027-03-05T15:00:00Z"));
  CHECK(a1.last_taken_by == c.find_person("T1"));
  CHECK(a1.note == "tutor_call already taken for this learner on 2027-03-05 (3 working days ago; cooling-off 10)");
  CHECK(entry(q, "EL3", ActionType::nudge).status == QueueStatus::cooling_off);
  // L2's tutor call was 17 working days ago: due again. Its second enrolment's tutor call is a duplicate.
  CHECK(entry(q, "EL2", ActionType::tutor_call).status == QueueStatus::scheduled);
  CHECK(entry(q, "E2b", ActionType::tutor_call).status == QueueStatus::duplicate);
  // T1: nothing taken this week (Friday's call was last week, Thursday's is in the future): a2, a3 scheduled,
  // a4 deferred to Monday 2027-03-15.
  CHECK(entry(q, "EL5", ActionType::tutor_call).status == QueueStatus::scheduled);
  CHECK(entry(q, "EL5", ActionType::tutor_call).day == day("2027-03-10"));
  const QueueEntry& a4 = entry(q, "EL6", ActionType::tutor_call);
  CHECK(a4.status == QueueStatus::deferred);
  CHECK(a4.day == day("2027-03-15"));
  CHECK(a4.note.find("weekly cap of 2") != std::string::npos);
  // T2 did a check-in this Tuesday: one slot left, for the high-risk call; the review waits.
  CHECK(entry(q, "EL4", ActionType::tutor_call).status == QueueStatus::scheduled);
  CHECK(entry(q, "EL4", ActionType::progress_review).status == QueueStatus::deferred);
  // CM1 nudged on Monday: one slot left.
  CHECK(entry(q, "EL2", ActionType::nudge).status == QueueStatus::scheduled);
  CHECK(entry(q, "EL6", ActionType::manager_check_in).status == QueueStatus::scheduled);
  CHECK(q.with(QueueStatus::scheduled).size() == 5);
  CHECK(q.with(QueueStatus::deferred).size() == 2);
  // Load per performer, kNoId (unassigned) last.
  const PerformerLoad& t1 = load(q, c.find_person("T1"));
  CHECK(t1.taken_this_week == 0);
  CHECK(t1.scheduled == 2);
  CHECK(t1.deferred == 1);
  const PerformerLoad& t2 = load(q, c.find_person("T2"));
  CHECK(t2.taken_this_week == 1);
  CHECK(t2.scheduled == 1);
  CHECK(load(q, c.find_person("CM1")).taken_this_week == 1);
  CHECK(q.load.back().person == kNoId);
  CHECK(q.load.back().scheduled == 1);
}

TEST_CASE("over the cap: deferred up to next week's cap, then dropped; or dropped at once") {
  const Cohort& c = cohort();
  QueueOptions o;
  o.weekly_cap = 1;
  ActionQueue q = build_queue(c, actions(), kDate, o);
  // T1: a2 scheduled, a3 deferred (next week's only slot), a4 dropped.
  CHECK(entry(q, "EL2", ActionType::tutor_call).status == QueueStatus::scheduled);
  CHECK(entry(q, "EL5", ActionType::tutor_call).status == QueueStatus::deferred);
  const QueueEntry& a4 = entry(q, "EL6", ActionType::tutor_call);
  CHECK(a4.status == QueueStatus::over_cap);
  CHECK(a4.note == "weekly cap of 1 reached for this performer this week and next");
  // T2 already did one this week: the call is deferred, the review dropped.
  CHECK(entry(q, "EL4", ActionType::tutor_call).status == QueueStatus::deferred);
  CHECK(entry(q, "EL4", ActionType::progress_review).status == QueueStatus::over_cap);
  // CM1 used its slot on Monday.
  CHECK(entry(q, "EL2", ActionType::nudge).status == QueueStatus::deferred);

  o.weekly_cap = 2;
  o.over_cap = CapPolicy::drop;
  q = build_queue(c, actions(), kDate, o);
  CHECK(entry(q, "EL6", ActionType::tutor_call).status == QueueStatus::over_cap);
  CHECK(entry(q, "EL6", ActionType::tutor_call).note == "weekly cap of 2 reached for this performer");
  CHECK(entry(q, "EL4", ActionType::progress_review).status == QueueStatus::over_cap);
  CHECK(q.with(QueueStatus::deferred).empty());
}

TEST_CASE("cooling-off: per action, overridden by the options, counted in working days") {
  const Cohort& c = cohort();
  QueueOptions o;
  o.weekly_cap = 10;
  o.cooling_off_working_days = 0;  // never suppress
  ActionQueue q = build_queue(c, actions(), kDate, o);
  CHECK(entry(q, "EL1", ActionType::tutor_call).status == QueueStatus::scheduled);
  CHECK(entry(q, "EL3", ActionType::nudge).status == QueueStatus::scheduled);
  // 3 working days is just enough with a cooling-off of 3, not with 4.
  o.cooling_off_working_days = 3;
  q = build_queue(c, actions(), kDate, o);
  CHECK(entry(q, "EL1", ActionType::tutor_call).status == QueueStatus::scheduled);
  o.cooling_off_working_days = 4;
  q = build_queue(c, actions(), kDate, o);
  CHECK(entry(q, "EL1", ActionType::tutor_call).status == QueueStatus::cooling_off);
  // The action's own cooling-off when the options leave it (-1): 2 lets L1's call through.
  o.cooling_off_working_days = -1;
  std::vector<Action> list = actions();
  list[0].cooling_off_working_days = 2;
  q = build_queue(c, list, kDate, o);
  CHECK(entry(q, "EL1", ActionType::tutor_call).status == QueueStatus::scheduled);
  // A week later (Wednesday 2027-03-17), 8 working days since Friday the 5th: still cooling off with 10; the
  // records of this week are now last week's and Thursday's call to L5 is read.
  q = build_queue(c, actions(), at("2027-03-17T10:00:00Z"), QueueOptions{});
  CHECK(entry(q, "EL1", ActionType::tutor_call).status == QueueStatus::cooling_off);
  CHECK(entry(q, "EL5", ActionType::tutor_call).status == QueueStatus::cooling_off);
  CHECK(load(q, c.find_person("T1")).taken_this_week == 0);
}

TEST_CASE("the queue's order is total: the input order never matters") {
  const Cohort& c = cohort();
  std::vector<Action> list = actions();
  // Same band, due day and probability: rule priority, then learner id break the tie.
  list.push_back(action("EL3", ActionType::tutor_call, "T2", 0.8, "2027-03-12", 5));
  list.push_back(action("EL6", ActionType::escalation, "T2", 0.8, "2027-03-12", 5));
  const ActionQueue q = build_queue(c, list, kDate, QueueOptions{});
  std::reverse(list.begin(), list.end());
  const ActionQueue r = build_queue(c, list, kDate, QueueOptions{});
  REQUIRE(q.entries.size() == r.entries.size());
  for (std::size_t i = 0; i < q.entries.size(); ++i) {
    CHECK(q.entries[i].action.enrolment == r.entries[i].action.enrolment);
    CHECK(q.entries[i].action.type == r.entries[i].action.type);
    CHECK(q.entries[i].status == r.entries[i].status);
  }
  // 0.8 high: the two priority-5 actions first (L3 before L6), then a2 (priority 0).
  CHECK(q.entries[1].action.enrolment == c.find_enrolment("EL3"));
  CHECK(q.entries[2].action.enrolment == c.find_enrolment("EL6"));
  CHECK(q.entries[3].action.enrolment == c.find_enrolment("EL2"));
}

TEST_CASE("the queue refuses bad options and actions that do not fit the cohort") {
  const Cohort& c = cohort();
  QueueOptions o;
  o.weekly_cap = 0;
  CHECK_THROWS_WITH(build_queue(c, actions(), kDate, o), Catch::Contains("weekly_cap"));
  o.weekly_cap = 3;
  o.cooling_off_working_days = -2;
  CHECK_THROWS_AS(build_queue(c, actions(), kDate, o), InvalidArgument);
  std::vector<Action> list = actions();
  list[2].enrolment = 999;
  CHECK_THROWS_WITH(build_queue(c, list, kDate, QueueOptions{}), Catch::Contains("action 2 names an unknown enrolment"));
  list = actions();
  list[1].learner = c.find_learner("L6");
  CHECK_THROWS_WITH(build_queue(c, list, kDate, QueueOptions{}), Catch::Contains("another learner's"));
  list = actions();
  list[0].performer = 5000;
  CHECK_THROWS_WITH(build_queue(c, list, kDate, QueueOptions{}), Catch::Contains("unknown performer"));
  CHECK(build_queue(c, {}, kDate, QueueOptions{}).entries.empty());
}
