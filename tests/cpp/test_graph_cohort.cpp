// Graph analytics on a small hand-made cohort: the window, the Calendar-based isolation rule, per-learner
// signals, community health and its change, stakeholder load and buddy matching. Every expected value is
// worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "lien/core/error.hpp"
#include "lien/graph/buddy.hpp"
#include "lien/graph/health.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/graph/learner_signals.hpp"
#include "lien/graph/load.hpp"
#include "lien/model/cohort.hpp"

using namespace lien;

namespace {

// Also used for file-scope constants, outside any test: no REQUIRE here.
Time at(const char* s) {
  ParsedTimestamp p;
  if (!parse_timestamp(s, p)) throw std::runtime_error(std::string("bad timestamp in test: ") + s);
  return p.ms;
}

// UTC, Monday to Friday, Wednesday 2027-01-20 a holiday. 2027-01-04 is a Monday.
//   learners L1 (team A) L2 (A) L3 (B) L4 (B) L5 (C) L6 (-) L7 (A) L8 (-)
//   managers: L1, L3 -> M1; L4, L7 -> M2.  tutors: T1 of instance G1, T2 of L2, T3 of G2.  trainer R1 of G1.
//   path P: required S1..S4, optional S5.
//   G1: E1 L1, E2 L2, E3 L3, E4 L4, E5 L5, E6 L6 (withdrawn 01-20), all from 01-04; E8 L8 from 01-18.
//   G2: E7 L7, E9 L1, from 01-04.
Cohort make_cohort() {
  CohortBuilder b(Calendar("UTC0", kMondayToFriday, {days_from_civil(2027, 1, 20)}));
  const auto src = b.source("hand-made");
  std::uint64_t line = 0;
  auto ref = [&] { return RecordRef{src, ++line}; };
  const char* teams[] = {"A", "A", "B", "B", "C", "", "A", ""};
  const char* learners[] = {"L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"};
  for (int i = 0; i < 8; ++i) REQUIRE(b.add_learner({learners[i], "", "", teams[i], "", "", {}}, ref()));
  for (const char* m : {"M1", "M2"}) REQUIRE(b.add_stakeholder({m, Role::manager, "", "", ""}, ref()));
  for (const char* t : {"T1", "T2", "T3"}) REQUIRE(b.add_stakeholder({t, Role::tutor, "", "", ""}, ref()));
  REQUIRE(b.add_stakeholder({"R1", Role::trainer, "", "", ""}, ref()));
  REQUIRE(b.add_path({"P", "", ""}, ref()));
  for (const char* s : {"S1", "S2", "S3", "S4", "S5"}) {
    StepRecord r;
    r.path = "P", r.id = s, r.required = std::string_view(s) != "S5";
    REQUIRE(b.add_step(r, ref()));
  }
  for (auto [l, m] : {std::pair{"L1", "M1"}, {"L3", "M1"}, {"L4", "M2"}, {"L7", "M2"}})
    REQUIRE(b.add_relation({l, m, RelationType::reports_to, kNoTime, kNoTime}, ref()));
  REQUIRE(b.add_relation({"T1", "G1", RelationType::tutors, kNoTime, kNoTime}, ref()));
  REQUIRE(b.add_relation({"T2", "L2", RelationType::tutors, kNoTime, kNoTime}, ref()));
  REQUIRE(b.add_relation({"T3", "G2", RelationType::tutors, kNoTime, kNoTime}, ref()));
  REQUIRE(b.add_relation({"R1", "G1", RelationType::trains, kNoTime, kNoTime}, ref()));
  const Time start = at("2027-01-04T08:00:00Z");
  for (int i = 1; i <= 9; ++i) {
    static const char* ids[] = {"", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9"};
    static const char* who[] = {"", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L1"};
    EnrolmentRecord e{ids[i], who[i], "P", (i == 7 || i == 9) ? "G2" : "G1", start, kNoTime, Outcome::active, kNoTime, -1};
    if (i == 6) e.outcome = Outcome::withdrawn, e.outcome_time = at("2027-01-20T12:00:00Z");
    if (i == 8) e.start = at("2027-01-18T08:00:00Z");
    REQUIRE(b.add_enrolment(e, ref()));
  }
  auto event = [&](const char* learner, const char* when, Verb verb, ObjectKind kind, const char* object,
                   const char* actor = "", std::uint32_t count = 1, Tri completion = Tri::unknown) {
    EventRecord e;
    e.learner = learner, e.time = at(when), e.verb = verb, e.object_kind = kind, e.object = object;
    e.actor = actor, e.count = count, e.completion = completion;
    REQUIRE(b.add_event(e, ref()));
  };
  const auto person = ObjectKind::person, step = ObjectKind::step;
  // Peer contacts in the window [01-11, 01-23).
  event("L1", "2027-01-12T10:00:00Z", Verb::messaged, person, "L2", "", 3);
  event("L2", "2027-01-13T10:00:00Z", Verb::replied, person, "L1");
  event("L2", "2027-01-14T10:00:00Z", Verb::messaged, person, "L3");
  event("L3", "2027-01-14T10:00:00Z", Verb::posted, person, "L1");
  event("L4", "2027-01-15T10:00:00Z", Verb::replied, ObjectKind::none, "", "L3");  // L3 replied to L4
  event("L1", "2027-01-15T10:00:00Z", Verb::messaged, person, "L7");            // L7 is not in G1
  event("L5", "2027-01-19T10:00:00Z", Verb::posted, ObjectKind::none, "");       // not a contact
  // Before and after the window.
  event("L5", "2027-01-05T10:00:00Z", Verb::messaged, person, "L6");
  event("L1", "2027-01-25T10:00:00Z", Verb::messaged, person, "L5");
  // Manager and tutor contacts.
  event("L1", "2027-01-06T10:00:00Z", Verb::met, ObjectKind::none, "", "M1");
  event("L1", "2027-01-18T10:00:00Z", Verb::messaged, person, "M1");
  event("L3", "2027-01-20T10:00:00Z", Verb::replied, ObjectKind::none, "", "T1");
  // Progress.
  event("L1", "2027-01-05T10:00:00Z", Verb::completed, step, "S1");
  event("L1", "2027-01-12T11:00:00Z", Verb::completed, step, "S2");
  event("L2", "2027-01-06T10:00:00Z", Verb::completed, step, "S1");
  event("L2", "2027-01-21T10:00:00Z", Verb::passed, step, "S1");  // the same step again
  event("L2", "2027-01-21T11:00:00Z", Verb::experienced, step, "S2", "", 1, Tri::yes);
  event("L3", "2027-01-07T10:00:00Z", Verb::completed, step, "S1");
  event("L3", "2027-01-08T10:00:00Z", Verb::completed, step, "S2");
  event("L3", "2027-01-13T10:00:00Z", Verb::completed, step, "S3");
  event("L3", "2027-01-14T09:00:00Z", Verb::completed, step, "S5");  // optional
  event("L6", "2027-01-07T10:00:00Z", Verb::completed, step, "S1");
  ReadReport report;
  Cohort c = b.build(report);
  REQUIRE(report.rejected.empty());
  return c;
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

const TimeWindow kWindow{at("2027-01-11T00:00:00Z"), at("2027-01-23T00:00:00Z")};
const TimeWindow kBefore{at("2027-01-04T00:00:00Z"), at("2027-01-10T23:59:59Z")};

InstanceId g1() {
  for (InstanceId i = 0; i < cohort().instances().size(); ++i)
    if (cohort().instances()[i] == "G1") return i;
  FAIL("no instance G1");
  return kNoId;
}
LearnerId L(const char* id) { return cohort().find_learner(id); }
EnrolmentId E(const char* id) { return cohort().find_enrolment(id); }

}  // namespace

TEST_CASE("the peer graph of an instance keeps the window's contacts between its members") {
  const auto g = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  // E6 withdrew during the window (still a member); E8 started in it; E7, E9 are in G2.
  REQUIRE(g.vertex_count() == 7);
  for (const char* l : {"L1", "L2", "L3", "L4", "L5", "L6", "L8"}) CHECK(g.vertex_of(L(l)) != kNoVertex);
  CHECK(g.vertex_of(L("L7")) == kNoVertex);
  CHECK(g.members()[g.vertex_of(L("L8"))].since == at("2027-01-18T08:00:00Z"));
  // Ties: L1-L2, L2-L3, L3-L1, L3-L4. L5-L6 is before the window, L1-L5 after it, L1-L7 outside the group.
  CHECK(g.tie_count() == 4);
  CHECK(g.density() == Approx(4.0 / 21.0));
  const Vertex v1 = g.vertex_of(L("L1")), v2 = g.vertex_of(L("L2")), v3 = g.vertex_of(L("L3")),
               v4 = g.vertex_of(L("L4")), v5 = g.vertex_of(L("L5"));
  CHECK(g.sent(v1, v2) == 3);  // one event with count 3
  CHECK(g.sent(v2, v1) == 1);
  CHECK(g.sent(v3, v1) == 1);  // posted on L1's thread
  CHECK(g.sent(v1, v3) == 0);
  CHECK(g.sent(v3, v4) == 1);  // logged in L4's log with actor L3
  CHECK(g.degree(v5) == 0);
  CHECK(g.replies_received(v1) == 1);
  CHECK(g.replies_received(v4) == 1);
  CHECK(g.replies_received(v3) == 0);
  // Last contacts look back before the window, never past its end.
  CHECK(g.last_contact(v5) == at("2027-01-05T10:00:00Z"));
  CHECK(g.last_contact(v1) == at("2027-01-14T10:00:00Z"));
  CHECK(g.last_contact(g.vertex_of(L("L8"))) == kNoTime);
}

TEST_CASE("a window that holds no contact gives a graph without ties") {
  const TimeWindow quiet{at("2027-01-26T00:00:00Z"), at("2027-02-26T00:00:00Z")};
  const auto g = InteractionGraph::of_instance(cohort(), g1(), quiet);
  CHECK(g.tie_count() == 0);
  // The contact of 01-25 is before this window: it dates L1's last contact but makes no tie.
  CHECK(g.last_contact(g.vertex_of(L("L1"))) == at("2027-01-25T10:00:00Z"));
}

TEST_CASE("per-learner signals: ties, reciprocity, replies, core distance") {
  const auto g = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  const auto s = learner_signals(cohort(), g);
  auto of = [&](const char* l) -> const LearnerSignals& { return s[g.vertex_of(L(l))]; };
  CHECK(of("L1").peer_degree == 2);
  CHECK(of("L1").reciprocity == 0.5);  // L2 both ways, L3 only towards L1
  CHECK(of("L1").sent == 3);
  CHECK(of("L1").received == 2);
  CHECK(of("L1").replies_received == 1);
  CHECK(of("L2").reciprocity == 0.5);
  CHECK(of("L3").peer_degree == 3);
  CHECK(of("L3").reciprocity == 0.0);
  CHECK(of("L5").peer_degree == 0);
  CHECK(of("L5").reciprocity == 0.0);
  CHECK(of("L1").enrolment == E("E1"));
  // Triangle L1-L2-L3 is the 2-core; L4 hangs off L3; L5, L6, L8 are cut off.
  CHECK(of("L1").core_distance == 0);
  CHECK(of("L3").core_distance == 0);
  CHECK(of("L4").core_distance == 1);
  CHECK(of("L5").core_distance == kUnreachable);
  CHECK(of("L8").core_distance == kUnreachable);
}

TEST_CASE("isolation counts working days on the cohort calendar, holidays excluded") {
  const auto g = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  auto run = [&](int n) {
    SignalOptions o;
    o.isolation_working_days = n;
    return learner_signals(cohort(), g, o);
  };
  const auto s = run(10);
  auto of = [&](const std::vector<LearnerSignals>& v, const char* l) -> const LearnerSignals& {
    return v[g.vertex_of(L(l))];
  };
  // To Saturday 01-23. L1's last peer contact Thu 01-14: Fri 15, Mon 18, Tue 19, (Wed 20 holiday), Thu 21,
  // Fri 22 = 5. L3: 4. L5 from Tue 01-05: 3 + 5 + 4 = 12. L8 never, joined Mon 01-18: 19, 21, 22 = 3.
  CHECK(of(s, "L1").working_days_without_peers == 5);
  CHECK(of(s, "L3").working_days_without_peers == 4);
  CHECK(of(s, "L5").working_days_without_peers == 12);
  CHECK(of(s, "L8").working_days_without_peers == 3);
  CHECK(of(s, "L5").isolated);
  CHECK(of(s, "L6").isolated);
  CHECK_FALSE(of(s, "L8").isolated);  // a newcomer is not isolated yet
  CHECK_FALSE(of(s, "L1").isolated);
  const auto s5 = run(5);
  CHECK(of(s5, "L1").isolated);  // 5 working days reach the threshold
  CHECK_FALSE(of(s5, "L3").isolated);
  const auto s3 = run(3);
  CHECK(of(s3, "L8").isolated);
  CHECK(of(s3, "L3").isolated);
  // Without the holiday L1 would be at 6.
  CHECK(Calendar().working_days_between(at("2027-01-14T10:00:00Z"), kWindow.to) == 6);
}

TEST_CASE("manager and tutor engagement") {
  const auto g = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  const auto s = learner_signals(cohort(), g);
  auto of = [&](const char* l) -> const LearnerSignals& { return s[g.vertex_of(L(l))]; };
  // L1 and M1: met on 01-06 (before the window), messaged on 01-18 (in it). The window is 12 days.
  CHECK(of("L1").manager.people == 1);
  CHECK(of("L1").manager.last_contact == at("2027-01-18T10:00:00Z"));
  CHECK(of("L1").manager.contacts == 1);
  CHECK(of("L1").manager.contacts_per_month == Approx(365.2425 / 12.0 / 12.0));
  CHECK(of("L3").manager.people == 1);
  CHECK(of("L3").manager.last_contact == kNoTime);
  CHECK(of("L3").manager.contacts == 0);
  CHECK(of("L2").manager.people == 0);
  // Tutors: T1 for the whole instance, T2 for L2 as well.
  CHECK(of("L3").tutor.people == 1);
  CHECK(of("L3").tutor.contacts == 1);
  CHECK(of("L3").tutor.last_contact == at("2027-01-20T10:00:00Z"));
  CHECK(of("L2").tutor.people == 2);
  CHECK(of("L2").tutor.contacts == 0);
}

TEST_CASE("community health of the instance and how it moved since the previous window") {
  const auto before = community_health(InteractionGraph::of_instance(cohort(), g1(), kBefore));
  const auto after = community_health(InteractionGraph::of_instance(cohort(), g1(), kWindow));
  // Before: six members (L8 not yet), one tie L5-L6: five components, L1..L4 isolated.
  CHECK(before.members == 6);
  CHECK(before.ties == 1);
  CHECK(before.components == 5);
  CHECK(before.isolated == std::vector<LearnerId>{L("L1"), L("L2"), L("L3"), L("L4")});
  // After: {L1, L2, L3, L4}, {L5}, {L6}, {L8}.
  CHECK(after.components == 4);
  CHECK(after.largest_component == 4);
  CHECK(after.isolated == std::vector<LearnerId>{L("L5"), L("L6"), L("L8")});
  // Only L3 lies between others (L4 and L1, L4 and L2): raw 2, normalised 2 * 2 / (6 * 5).
  REQUIRE(after.brokers.size() == 1);
  CHECK(after.brokers[0].learner == L("L3"));
  CHECK(after.brokers[0].betweenness == Approx(4.0 / 30.0));
  const HealthChange d = health_change(before, after);
  CHECK(d.members == 1);
  CHECK(d.components == -1);
  CHECK(d.isolated == -1);
  CHECK(d.density == Approx(4.0 / 21.0 - 1.0 / 15.0));
  CHECK(d.modularity == Approx(after.communities.modularity - before.communities.modularity));
  CHECK(d.became_isolated == std::vector<LearnerId>{L("L5"), L("L6"), L("L8")});
  CHECK(d.no_longer_isolated == std::vector<LearnerId>{L("L1"), L("L2"), L("L3"), L("L4")});
}

TEST_CASE("graphs and signals are the same when built twice") {
  const auto a = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  const auto b = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  const auto sa = learner_signals(cohort(), a), sb = learner_signals(cohort(), b);
  REQUIRE(sa.size() == sb.size());
  for (std::size_t i = 0; i < sa.size(); ++i) {
    CHECK(sa[i].learner == sb[i].learner);
    CHECK(sa[i].reciprocity == sb[i].reciprocity);
    CHECK(sa[i].core_distance == sb[i].core_distance);
    CHECK(sa[i].manager.contacts_per_month == sb[i].manager.contacts_per_month);
  }
  const auto ha = community_health(a), hb = community_health(b);
  CHECK(ha.betweenness == hb.betweenness);
  CHECK(ha.communities.community == hb.communities.community);
  CHECK(ha.communities.modularity == hb.communities.modularity);
}

TEST_CASE("stakeholder load counts at-risk learners per manager, tutor and trainer") {
  // Bands (2 = at risk): E1 2, E2 0, E3 1, E4 2, E5 0, E6 2 (withdrawn before as_of), E7 2, E8 0, E9 2.
  std::vector<std::uint8_t> band(cohort().enrolment_count(), 0);
  for (const char* e : {"E1", "E4", "E6", "E7", "E9"}) band[E(e)] = 2;
  band[E("E3")] = 1;
  const PersonId M1 = cohort().find_person("M1"), M2 = cohort().find_person("M2");
  const PersonId T1 = cohort().find_person("T1"), T2 = cohort().find_person("T2"), T3 = cohort().find_person("T3");
  const LoadReport r = stakeholder_load(cohort(), band, 2, kWindow.to);
  // M1: L1 (at risk twice, counted once) and L3 (band 1). M2: L4 and L7, both at risk.
  REQUIRE(r.managers.size() == 2);
  CHECK(r.managers[0].person == M2);
  CHECK(r.managers[0].learners == 2);
  CHECK(r.managers[0].at_risk == 2);
  CHECK(r.managers[1].person == M1);
  CHECK(r.managers[1].learners == 2);
  CHECK(r.managers[1].at_risk == 1);
  // T1 (instance G1): L1 L2 L3 L4 L5 L8 (L6 withdrew), at risk L1 L4. T3 (G2): L7 and L1. T2: L2.
  REQUIRE(r.tutors.size() == 3);
  CHECK(r.tutors[0].person == T1);
  CHECK(r.tutors[0].learners == 6);
  CHECK(r.tutors[0].at_risk == 2);
  CHECK(r.tutors[1].person == T3);
  CHECK(r.tutors[1].learners == 2);
  CHECK(r.tutors[1].at_risk == 2);
  CHECK(r.tutors[2].person == T2);
  CHECK(r.tutors[2].at_risk == 0);
  REQUIRE(r.trainers.size() == 1);
  CHECK(r.trainers[0].learners == 6);
  CHECK(r.trainers[0].at_risk == 2);
  // A lower threshold puts L3 at risk too.
  CHECK(stakeholder_load(cohort(), band, 1, kWindow.to).managers[0].at_risk == 2);
  // Before anyone started, nobody carries anyone.
  CHECK(stakeholder_load(cohort(), band, 2, at("2027-01-01T00:00:00Z")).tutors.empty());
  CHECK_THROWS_WITH(stakeholder_load(cohort(), std::vector<std::uint8_t>(3, 0), 2, kWindow.to),
                    Catch::Contains("3 risk bands for 9 enrolments"));
}

TEST_CASE("required steps done count distinct required steps since the enrolment started") {
  CHECK(required_steps_done(cohort(), E("E1"), kWindow.to) == 2);
  CHECK(required_steps_done(cohort(), E("E2"), kWindow.to) == 2);  // S1 twice, S2 by completion = yes
  CHECK(required_steps_done(cohort(), E("E3"), kWindow.to) == 3);  // S5 is optional
  CHECK(required_steps_done(cohort(), E("E3"), at("2027-01-08T12:00:00Z")) == 2);
  CHECK(required_steps_done(cohort(), E("E4"), kWindow.to) == 0);
}

TEST_CASE("buddy matching on the cohort: eligible buddies, the documented score, the cap") {
  const auto g = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  const EnrolmentId seekers[] = {E("E4"), E("E5"), E("E8")};
  BuddyOptions o;
  o.cap = 1;
  const BuddyPlan plan = match_buddies(cohort(), g, Span<EnrolmentId>(seekers, 3), kWindow.to, o);
  // Buddies: E1 (2 steps, last acted Mon 01-18: 3 idle working days), E2 (2 steps, 01-21: 1), E3 (3 steps,
  // 01-14 — the tutor's reply of 01-20 is not L3's activity: 5). E6 withdrew; seekers are never buddies.
  REQUIRE(plan.candidates.size() == 9);
  auto find = [&](const char* s, const char* b) -> const BuddyPair& {
    for (const auto& p : plan.candidates)
      if (p.seeker == E(s) && p.buddy == E(b)) return p;
    FAIL("no candidate " << s << " -> " << b);
    return plan.candidates[0];
  };
  // E4 (L4, team B) -> E3 (L3, team B): 3 ahead (ahead 1), same team, 1 hop (reach 1), 5 idle of 10.
  const BuddyPair& p43 = find("E4", "E3");
  CHECK(p43.steps_ahead == 3);
  CHECK_FALSE(p43.other_team);
  CHECK(p43.distance == 1);
  CHECK(p43.working_days_since_active == 5);
  CHECK(p43.score == Approx(0.40 * 1 + 0.25 * 1 + 0.15 * (1 - 5.0 / 11)));
  // E4 -> E1 (L1, team A): 2 ahead, other team, 2 hops (reach 1/2), 3 idle.
  const BuddyPair& p41 = find("E4", "E1");
  CHECK(p41.other_team);
  CHECK(p41.distance == 2);
  CHECK(p41.score == Approx(0.40 * 2 / 3 + 0.20 + 0.25 * 0.5 + 0.15 * (1 - 3.0 / 11)));
  // E8 (L8, no team, no tie) -> E2: unreachable, team unknown.
  const BuddyPair& p82 = find("E8", "E2");
  CHECK(p82.distance == kUnreachable);
  CHECK_FALSE(p82.other_team);
  CHECK(p82.score == Approx(0.40 * 2 / 3 + 0.15 * (1 - 1.0 / 11)));
  // Cap 1, three buddies for three seekers: everyone is paired with a different buddy.
  REQUIRE(plan.pairs.size() == 3);
  CHECK(plan.unmatched.empty());
  std::vector<EnrolmentId> used;
  double total = 0;
  for (const auto& p : plan.pairs) used.push_back(p.buddy), total += p.score;
  std::sort(used.begin(), used.end());
  CHECK(std::adjacent_find(used.begin(), used.end()) == used.end());
  CHECK(plan.total_score == Approx(total));
  // The best of the 6 one-to-one assignments, enumerated here.
  const char* buddies[] = {"E1", "E2", "E3"};
  int perm[] = {0, 1, 2};
  double best = 0;
  do {
    best = std::max(best, find("E4", buddies[perm[0]]).score + find("E5", buddies[perm[1]]).score +
                              find("E8", buddies[perm[2]]).score);
  } while (std::next_permutation(perm, perm + 3));
  CHECK(plan.total_score == Approx(best).epsilon(1e-5));
  // Cap 3: each seeker takes its best buddy, E3, which now takes all three.
  o.cap = 3;
  const BuddyPlan wide = match_buddies(cohort(), g, Span<EnrolmentId>(seekers, 3), kWindow.to, o);
  REQUIRE(wide.pairs.size() == 3);
  for (const auto& p : wide.pairs) CHECK(p.buddy == E("E3"));
  // Cap 1 with a single buddy able to help: one learner paired, the others reported unmatched.
  o.cap = 1;
  o.active_within_working_days = 1;  // only E2 (1 idle day) stays active
  const BuddyPlan narrow = match_buddies(cohort(), g, Span<EnrolmentId>(seekers, 3), kWindow.to, o);
  REQUIRE(narrow.pairs.size() == 1);
  CHECK(narrow.pairs[0].buddy == E("E2"));
  CHECK(narrow.unmatched.size() == 2);
}

TEST_CASE("bad arguments to the cohort analytics are refused") {
  const auto g = InteractionGraph::of_instance(cohort(), g1(), kWindow);
  CHECK_THROWS_WITH(InteractionGraph::of_instance(cohort(), g1(), {kNoTime, kWindow.to}),
                    Catch::Contains("needs both bounds"));
  CHECK_THROWS_WITH(InteractionGraph::of_instance(cohort(), g1(), {kWindow.to, kWindow.from}),
                    Catch::Contains("from > to"));
  CHECK_THROWS_WITH(InteractionGraph::of_instance(cohort(), 99, kWindow), Catch::Contains("unknown path instance"));
  CHECK_THROWS_WITH(InteractionGraph::build(cohort(), {{L("L1")}, {L("L1")}}, kWindow),
                    Catch::Contains("'L1' is given twice"));
  CHECK_THROWS_WITH(InteractionGraph::build(cohort(), {{L("L1")}, {1234}}, kWindow),
                    Catch::Contains("member 1 is not a learner"));
  SignalOptions so;
  so.isolation_working_days = 0;
  CHECK_THROWS_WITH(learner_signals(cohort(), g, so), Catch::Contains("isolation_working_days"));
  CHECK_THROWS_WITH(learner_signals(cohort(), InteractionGraph::from_arcs(2, {{0, 1, 1}})),
                    Catch::Contains("not built from a cohort"));
  const EnrolmentId twice[] = {E("E4"), E("E4")};
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(twice, 2), kWindow.to),
                    Catch::Contains("'E4' is given twice"));
  const EnrolmentId unknown[] = {777};
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(unknown, 1), kWindow.to),
                    Catch::Contains("unknown enrolment"));
  const EnrolmentId one[] = {E("E4")};
  BuddyOptions bo;
  bo.cap = 0;
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(one, 1), kWindow.to, bo), Catch::Contains("cap"));
  bo = {};
  bo.active_within_working_days = -1;
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(one, 1), kWindow.to, bo),
                    Catch::Contains("active_within_working_days"));
  bo = {};
  bo.ahead_saturation = 0;
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(one, 1), kWindow.to, bo),
                    Catch::Contains("ahead_saturation"));
  bo = {};
  bo.w_team = -1;
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(one, 1), kWindow.to, bo),
                    Catch::Contains("finite and >= 0"));
  bo = {};
  bo.w_ahead = bo.w_team = bo.w_reach = bo.w_active = 0;
  CHECK_THROWS_WITH(match_buddies(cohort(), g, Span<EnrolmentId>(one, 1), kWindow.to, bo),
                    Catch::Contains("at least one score weight"));
}
