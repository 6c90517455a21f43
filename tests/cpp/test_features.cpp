// Features: hand-computed values on a small Paris cohort, no leak past as_of, population rules, custom
// features, explanation sentences, determinism.
//
// The main cohort (all instants UTC; Paris is UTC+2 in May 2027, French public holidays):
//   path P (course C1), relative windows from the start day Monday 2027-04-05:
//     S1 elearning  required  due day 7  (Apr 12)  before
//     S2 assessment required  due day 21 (Apr 26)  during
//     S3 classroom  required  due day 28 (May 3)   during
//     S4 elearning  required  undated, prerequisite of S5
//     S5 assignment required  due day 35 (May 10)  intersession
//     S6 virtual    optional  due day 14 (Apr 19)  during
//     S7 review     optional  due day 60 (Jun 4)   after
//     S8 elearning  required  due day 42 (May 17, Whit Monday)  intersession
//     S9 classroom  optional  due day 30 (May 5)   during
//   as_of = Wednesday 2027-05-12T10:00:00Z (12:00 in Paris).
// Working days in May 2027 skip Saturday 1 (Labour Day), Thursday 6 (Ascension), Saturday 8 and Monday 17.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "lien/features/features.hpp"
#include "lien/model/cohort.hpp"

using namespace lien;

namespace {

Time at(const char* s) {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp(s, p));
  REQUIRE(p.has_offset);
  return p.ms;
}

const char* kParis = "CET-1CEST,M3.5.0,M10.5.0/3";
Calendar paris() { return Calendar(kParis, kMondayToFriday, Calendar::french_holidays(2026, 2028)); }

struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

struct Fixture {
  CohortBuilder b;
  std::uint32_t src;
  std::uint64_t line = 1;
  explicit Fixture(Calendar cal = paris()) : b(std::move(cal)), src(b.source("test")) {}
  RecordRef next() { return RecordRef{src, ++line}; }
  void learner(const char* id, const char* gender = "") {
    LearnerRecord r{id, "", "", "", "", "", {}};
    if (*gender) r.protected_attributes = {{"gender", gender}, {"disability", "N"}};
    REQUIRE(b.add_learner(r, next()));
  }
  void stakeholder(const char* id, Role role) { REQUIRE(b.add_stakeholder({id, role, "", "", ""}, next())); }
  void step(const char* path, const char* id, StepKind kind, Phase phase, Day due, bool required) {
    StepRecord s;
    s.path = path, s.id = id, s.kind = kind, s.phase = phase, s.required = required;
    s.window = StepWindow{true, kNoDay, due};
    REQUIRE(b.add_step(s, next()));
  }
  void enrol(const char* id, const char* learner, const char* path, const char* inst, Time start,
             Outcome outcome = Outcome::active, Time outcome_time = kNoTime, int prior = -1) {
    REQUIRE(b.add_enrolment({id, learner, path, inst, start, kNoTime, outcome, outcome_time, prior}, next()));
  }
  void event(const char* learner, const char* when, Verb verb, ObjectKind kind = ObjectKind::none,
             const char* object = "", std::uint32_t count = 1, const char* actor = "",
             float score = std::numeric_limits<float>::quiet_NaN()) {
    EventRecord e;
    e.learner = learner, e.time = at(when), e.verb = verb, e.object_kind = kind, e.object = object;
    e.count = count, e.actor = actor, e.score = score;
    REQUIRE(b.add_event(e, next()));
  }
  Cohort build() {
    ReadReport r;
    Cohort c = b.build(r);
    REQUIRE(r.rejected.empty());
    return c;
  }
};

const char* kAsOf = "2027-05-12T10:00:00Z";

struct Variant {
  std::string gender_l1 = "F";
  bool future = false;  // outcomes, relations and enrolments that only exist after as_of
  std::vector<EventRecord> extra;
};

Cohort build_main(const Variant& v = {}) {
  Fixture f;
  f.learner("L1", v.gender_l1.c_str());
  for (const char* id : {"L2", "L3", "L4", "L5", "L6", "L7"}) f.learner(id, "M");
  f.stakeholder("M1", Role::manager);
  f.stakeholder("M2", Role::manager);
  f.stakeholder("T1", Role::tutor);
  f.stakeholder("TR", Role::trainer);
  REQUIRE(f.b.add_path({"P", "Leadership", "C1"}, f.next()));
  REQUIRE(f.b.add_path({"P0", "Leadership (2026)", "C1"}, f.next()));
  REQUIRE(f.b.add_path({"Q", "Excel", "C2"}, f.next()));
  f.step("P", "S1", StepKind::elearning, Phase::before, 7, true);
  f.step("P", "S2", StepKind::assessment, Phase::during, 21, true);
  f.step("P", "S3", StepKind::classroom, Phase::during, 28, true);
  f.step("P", "S4", StepKind::elearning, Phase::during, kNoDay, true);
  f.step("P", "S5", StepKind::assignment, Phase::intersession, 35, true);
  f.step("P", "S6", StepKind::virtual_class, Phase::during, 14, false);
  f.step("P", "S7", StepKind::review, Phase::after, 60, false);
  f.step("P", "S8", StepKind::elearning, Phase::intersession, 42, true);
  f.step("P", "S9", StepKind::classroom, Phase::during, 30, false);
  REQUIRE(f.b.add_prerequisite({"S5", "S4"}, f.next()));
  REQUIRE(f.b.add_relation({"L1", "M1", RelationType::reports_to, kNoTime, kNoTime}, f.next()));
  REQUIRE(f.b.add_relation({"L1", "M2", RelationType::reports_to, kNoTime, at("2027-04-01T00:00:00Z")}, f.next()));
  REQUIRE(f.b.add_relation({"T1", "G1", RelationType::tutors, kNoTime, kNoTime}, f.next()));
  if (v.future) {
    REQUIRE(f.b.add_relation({"L3", "M1", RelationType::reports_to, at("2027-05-12T10:00:00.001Z"), kNoTime}, f.next()));
    REQUIRE(f.b.add_relation({"T1", "L2", RelationType::tutors, at("2027-05-13T00:00:00Z"), kNoTime}, f.next()));
  }
  const Time start = at("2027-04-05T08:00:00Z");
  const Time as_of = at(kAsOf);
  f.enrol("E1", "L1", "P", "G1", start, Outcome::active, kNoTime, 0);
  f.enrol("E0", "L1", "P0", "", at("2026-01-05T08:00:00Z"), Outcome::completed, at("2026-12-01T00:00:00Z"));
  f.enrol("E1b", "L1", "Q", "", at("2027-04-01T08:00:00Z"), v.future ? Outcome::withdrawn : Outcome::active,
          v.future ? as_of + 1 : kNoTime);
  f.enrol("E2", "L2", "P", "G1", start, v.future ? Outcome::withdrawn : Outcome::active,
          v.future ? at("2027-05-13T00:00:00Z") : kNoTime);
  f.enrol("E3", "L3", "P", "G1", start, v.future ? Outcome::completed : Outcome::active,
          v.future ? at("2027-05-15T00:00:00Z") : kNoTime);
  f.enrol("E4", "L6", "P", "G1", start, Outcome::withdrawn, at("2027-05-01T00:00:00Z"));
  f.enrol("E5", "L7", "P", "G1", at("2027-05-20T08:00:00Z"));
  f.enrol("E6", "L4", "P", "G2", as_of);
  f.enrol("E7", "L5", "P", "G2", start, Outcome::completed, as_of);
  if (v.future) f.enrol("E8", "L1", "P", "G3", at("2027-05-20T08:00:00Z"));

  // L1: the learner the hand computation follows.
  f.event("L1", "2027-04-09T09:00:00Z", Verb::completed, ObjectKind::step, "S1");
  f.event("L1", "2027-04-16T09:00:00Z", Verb::met, ObjectKind::person, "L1", 1, "M1");  // manager meets L1
  f.event("L1", "2027-04-19T09:00:00Z", Verb::absent, ObjectKind::step, "S6", 1, "TR");  // trainer marks absent
  f.event("L1", "2027-04-22T09:00:00Z", Verb::failed, ObjectKind::step, "S2", 2, "", 0.3f);
  f.event("L1", "2027-04-23T09:00:00Z", Verb::passed, ObjectKind::step, "S2", 1, "", 0.8f);
  f.event("L1", "2027-04-28T09:00:00Z", Verb::launched, ObjectKind::resource, "R1", 14);
  f.event("L1", "2027-05-03T07:00:00Z", Verb::attended, ObjectKind::step, "S3");
  f.event("L1", "2027-05-05T09:00:00Z", Verb::launched, ObjectKind::resource, "R1", 3);
  f.event("L1", "2027-05-06T09:00:00Z", Verb::messaged, ObjectKind::person, "L2", 2);
  f.event("L1", "2027-05-07T09:00:00Z", Verb::launched, ObjectKind::resource, "R1", 2);
  f.event("L1", "2027-05-10T09:00:00Z", Verb::met, ObjectKind::person, "L1", 1, "M2");  // M2 no longer manages L1
  f.event("L1", "2027-05-10T21:30:00Z", Verb::launched, ObjectKind::resource, "R1", 1);  // 23:30 Paris, May 10
  f.event("L1", "2027-05-10T22:30:00Z", Verb::launched, ObjectKind::resource, "R2", 1);  // 00:30 Paris, May 11
  f.event("L1", kAsOf, Verb::experienced, ObjectKind::resource, "R2", 1);                // exactly at as_of: in
  f.event("L1", "2027-05-12T10:00:00.001Z", Verb::launched, ObjectKind::resource, "R1", 100);  // 1 ms later: out
  f.event("L1", "2027-05-12T11:00:00Z", Verb::met, ObjectKind::person, "L1", 1, "M1");
  f.event("L1", "2027-05-12T11:00:00Z", Verb::failed, ObjectKind::step, "S5", 1, "", 0.1f);
  // L2: a peer.
  f.event("L2", "2027-04-20T09:00:00Z", Verb::launched, ObjectKind::resource, "R1", 5);
  f.event("L2", "2027-05-11T09:00:00Z", Verb::replied, ObjectKind::person, "L1", 1);
  // L3: last active on Friday 30 April.
  f.event("L3", "2027-04-26T09:00:00Z", Verb::launched, ObjectKind::resource, "R1", 2);
  f.event("L3", "2027-04-30T15:00:00Z", Verb::launched, ObjectKind::resource, "R1", 4);
  // L6 withdrew before as_of; its activity must not weigh on the group median.
  f.event("L6", "2027-04-28T09:00:00Z", Verb::launched, ObjectKind::resource, "R1", 1000);
  for (const EventRecord& e : v.extra) REQUIRE(f.b.add_event(e, f.next()));
  return f.build();
}

double value(const FeatureMatrix& m, const Cohort& c, const char* enrolment, FeatureId f) {
  const EnrolmentId e = c.find_enrolment(enrolment);
  for (std::size_t r = 0; r < m.rows(); ++r)
    if (m.enrolments[r] == e) return m.at(r, to_string(f));
  FAIL("no row for enrolment " << enrolment);
  return 0;
}

bool identical(const FeatureMatrix& a, const FeatureMatrix& b) {
  if (a.values.rows() != b.values.rows() || a.values.cols() != b.values.cols()) return false;
  if (a.enrolments != b.enrolments || a.as_of != b.as_of || a.spec != b.spec) return false;
  return std::memcmp(a.values.data(), b.values.data(), sizeof(double) * static_cast<std::size_t>(a.values.size())) == 0;
}

}  // namespace

TEST_CASE("every built-in feature has a stable snake_case id, a unit and en/fr texts, and none names a protected attribute") {
  CHECK(kFeatures.size() == kFeatureCount);
  for (std::size_t i = 0; i < kFeatures.size(); ++i) {
    const FeatureInfo& f = kFeatures[i];
    INFO(f.name);
    CHECK(static_cast<std::size_t>(f.id) == i);
    CHECK_FALSE(f.unit.empty());
    CHECK_FALSE(f.description_en.empty());
    CHECK_FALSE(f.description_fr.empty());
    CHECK_FALSE((f.en.many.empty() && f.en.one.empty()));
    CHECK_FALSE((f.fr.many.empty() && f.fr.one.empty()));
    for (char ch : f.name) CHECK(((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'));
    CHECK_FALSE(is_protected_attribute(std::string(f.name)));
    for (const char* p : {"gender", "age_band", "disab", "protected", "ethnic", "nationality"})
      CHECK(f.name.find(p) == std::string_view::npos);
    for (std::size_t j = 0; j < i; ++j) CHECK(kFeatures[j].name != f.name);
  }
  // The ids are part of model files and of the C ABI: these pins fail if one is renamed or moved.
  CHECK(to_string(FeatureId::inactive_working_days) == "inactive_working_days");
  CHECK(static_cast<int>(FeatureId::required_done_share) == 9);
  CHECK(static_cast<int>(FeatureId::peer_interactions_28d) == 20);
  CHECK(static_cast<int>(FeatureId::activity_events_total_vs_instance) == 36);
}

TEST_CASE("hand-computed features of one learner on the Paris calendar") {
  const Cohort c = build_main();
  const FeatureMatrix m = extract(c, at(kAsOf));
  REQUIRE(m.cols() == kFeatureCount);
  auto v = [&](FeatureId f) { return value(m, c, "E1", f); };
  // Activity: local days Apr 9, 22, 23, 28, May 3, 5, 6, 7, 10, 11 (22:30Z on May 10 is 00:30 on May 11 in
  // summer time), 12 (the event exactly at as_of); the one 1 ms after as_of is not read.
  CHECK(v(FeatureId::inactive_working_days) == 0);
  CHECK(v(FeatureId::active_days_7d) == 5);    // May 6, 7, 10, 11, 12
  CHECK(v(FeatureId::active_days_14d) == 7);   // + May 3, 5 (Apr 28 is 14 days back)
  CHECK(v(FeatureId::active_days_28d) == 10);  // + Apr 22, 23, 28
  CHECK(v(FeatureId::activity_events_28d) == 28);  // counts: 2+1+14+1+3+2+2+1+1+1
  CHECK(v(FeatureId::activity_events_total) == 29);
  // Weekly counts, oldest to newest: 0, 17, 4, 7 -> slope (-0.5*17 + 0.5*4 + 1.5*7) / 5.
  CHECK(v(FeatureId::activity_trend) == Approx(0.8));
  CHECK(v(FeatureId::active_weeks_4w) == 3);
  {
    const double gaps[] = {1, 5, 5, 2, 1, 1, 3, 1, 1};
    double mean = 0, ss = 0;
    for (double g : gaps) mean += g / 9;
    for (double g : gaps) ss += (g - mean) * (g - mean) / 9;
    CHECK(v(FeatureId::activity_gap_cv) == Approx(std::sqrt(ss) / mean));
    CHECK(v(FeatureId::activity_gap_cv) == Approx(0.72801).epsilon(1e-4));
  }
  // Pace: due before May 12: S1, S2, S3 (attended), S5 (May 10) and its undated prerequisite S4 -> 3 of 5.
  CHECK(v(FeatureId::required_done_share) == Approx(0.6));
  CHECK(v(FeatureId::overdue_required_steps) == 2);
  CHECK(v(FeatureId::behind_schedule_working_days) == 2);  // May 11, 12 since S4/S5's May 10
  CHECK(v(FeatureId::next_deadline_working_days) == 2);    // S8 on Whit Monday May 17: May 13, 14
  CHECK(v(FeatureId::has_upcoming_deadline) == 1);
  // Assessments: S2 failed (0.3, count 2) then passed (0.8); S5 (assignment, May 10) never attempted; the
  // failed S5 attempt at 11:00 comes after as_of.
  CHECK(v(FeatureId::has_assessment_score) == 1);
  CHECK(v(FeatureId::assessment_mean_score) == Approx((0.3f + 0.8f) / 2.0));
  CHECK(v(FeatureId::assessment_last_score) == Approx(0.8f));
  CHECK(v(FeatureId::assessment_failed_attempts) == 2);
  CHECK(v(FeatureId::assessment_missed) == 1);
  // Sessions: S3 attended, S6 marked absent by the trainer, S9 (May 5) without a record.
  CHECK(v(FeatureId::attendance_rate) == Approx(1.0 / 3.0));
  // Peers: L1 messaged L2 (count 2, in L1's log), L2 replied (in L2's log) on May 11.
  CHECK(v(FeatureId::peer_interactions_28d) == 3);
  CHECK(v(FeatureId::peer_silence_working_days) == 1);
  CHECK(v(FeatureId::isolated_from_peers) == 0);
  // Manager M1 met L1 on Friday Apr 16; M2's May 10 meeting does not count (M2 stopped being a manager).
  CHECK(v(FeatureId::has_manager) == 1);
  CHECK(v(FeatureId::manager_silence_working_days) == 17);
  CHECK(v(FeatureId::has_tutor) == 1);  // T1 tutors instance G1; never in touch: since the start
  CHECK(v(FeatureId::tutor_silence_working_days) == 26);
  CHECK(v(FeatureId::enrolment_age_working_days) == 26);
  CHECK(v(FeatureId::phase_before) == 0);
  CHECK(v(FeatureId::phase_during) == 0);
  CHECK(v(FeatureId::phase_intersession) == 1);  // the next dated step is S8
  CHECK(v(FeatureId::phase_after) == 0);
  CHECK(v(FeatureId::prior_attempts) == 1);         // E0 on P0, same course C1 (declared 0)
  CHECK(v(FeatureId::concurrent_enrolments) == 1);  // E1b on Q (E0 completed)
  // Group G1 at as_of: E1, E2, E3 (E4 withdrew, E5 starts later). active_days_28d 10, 2, 2; events 28, 6, 6;
  // total 29, 6, 6.
  CHECK(v(FeatureId::active_days_28d_vs_instance) == Approx(11.0 / 3.0));
  CHECK(v(FeatureId::activity_events_28d_vs_instance) == Approx(29.0 / 7.0));
  CHECK(v(FeatureId::activity_events_total_vs_instance) == Approx(30.0 / 7.0));
  // The stakeholder features agree with the cohort's own relation queries.
  const LearnerId l1 = c.find_learner("L1");
  CHECK(c.managers(l1, at(kAsOf)) == std::vector<PersonId>{c.find_person("M1")});
  CHECK(c.tutors(c.find_enrolment("E1"), at(kAsOf)) == std::vector<PersonId>{c.find_person("T1")});
}

TEST_CASE("inactivity across a weekend and two holidays; peers seen from both sides") {
  const Cohort c = build_main();
  const FeatureMatrix m = extract(c, at(kAsOf));
  // L3's last activity: Friday Apr 30. Working days since: May 3, 4, 5, 7, 10, 11, 12 (May 1 and 6 are off).
  CHECK(value(m, c, "E3", FeatureId::inactive_working_days) == 7);
  CHECK(value(m, c, "E3", FeatureId::active_days_28d) == 2);
  CHECK(value(m, c, "E3", FeatureId::has_manager) == 0);
  CHECK(value(m, c, "E3", FeatureId::manager_silence_working_days) == 26);
  CHECK(value(m, c, "E3", FeatureId::peer_silence_working_days) == 26);
  CHECK(value(m, c, "E3", FeatureId::isolated_from_peers) == 1);
  CHECK(value(m, c, "E3", FeatureId::required_done_share) == 0);
  CHECK(value(m, c, "E3", FeatureId::overdue_required_steps) == 5);
  CHECK(value(m, c, "E3", FeatureId::behind_schedule_working_days) == 21);  // since S1's Apr 12
  CHECK(value(m, c, "E3", FeatureId::assessment_missed) == 2);
  CHECK(value(m, c, "E3", FeatureId::attendance_rate) == 0);  // S3 and S9 passed without a record
  CHECK(value(m, c, "E3", FeatureId::active_days_28d_vs_instance) == Approx(3.0 / 3.0));
  // L2 replied to L1 (its own log) and was messaged by L1 (L1's log, count 2).
  CHECK(value(m, c, "E2", FeatureId::peer_interactions_28d) == 3);
  CHECK(value(m, c, "E2", FeatureId::peer_silence_working_days) == 1);
  CHECK(value(m, c, "E2", FeatureId::inactive_working_days) == 1);
  CHECK(value(m, c, "E2", FeatureId::has_tutor) == 1);
  // Winter time: 23:30Z on Thursday Mar 4 2027 is Friday 00:30 in Paris, so the active day is the Friday.
  Fixture f;
  f.learner("A");
  REQUIRE(f.b.add_path({"P", "", ""}, f.next()));
  f.enrol("E", "A", "P", "", at("2027-03-01T08:00:00Z"));
  f.event("A", "2027-03-04T23:30:00Z", Verb::launched);
  const Cohort w = f.build();
  const FeatureMatrix mw = extract(w, at("2027-03-08T12:00:00Z"));
  CHECK(value(mw, w, "E", FeatureId::inactive_working_days) == 1);  // Monday only (Thursday's UTC day would give 2)
  CHECK(value(mw, w, "E", FeatureId::active_days_7d) == 1);
  CHECK(value(mw, w, "E", FeatureId::enrolment_age_working_days) == 5);
}

TEST_CASE("an enrolment with no event at all gets the documented fill values") {
  const Cohort c = build_main();
  const FeatureMatrix m = extract(c, at(kAsOf));
  auto v = [&](FeatureId f) { return value(m, c, "E6", f); };  // starts exactly at as_of
  CHECK(v(FeatureId::inactive_working_days) == 0);
  CHECK(v(FeatureId::enrolment_age_working_days) == 0);
  CHECK(v(FeatureId::active_days_28d) == 0);
  CHECK(v(FeatureId::activity_trend) == 0);
  CHECK(v(FeatureId::activity_gap_cv) == 0);
  CHECK(v(FeatureId::required_done_share) == 1);
  CHECK(v(FeatureId::next_deadline_working_days) == 4);  // S1 due May 19: May 13, 14, 18, 19
  CHECK(v(FeatureId::phase_before) == 1);
  CHECK(v(FeatureId::has_assessment_score) == 0);
  CHECK(v(FeatureId::assessment_mean_score) == 0);
  CHECK(v(FeatureId::assessment_last_score) == 0);
  CHECK(v(FeatureId::attendance_rate) == 1);
  CHECK(v(FeatureId::peer_silence_working_days) == 0);
  CHECK(v(FeatureId::has_tutor) == 0);
  CHECK(v(FeatureId::prior_attempts) == 0);
  CHECK(v(FeatureId::active_days_28d_vs_instance) == 1);  // alone in G2 at as_of (E7 completed at as_of)
  for (Eigen::Index i = 0; i < m.values.size(); ++i) REQUIRE(std::isfinite(m.values.data()[i]));

  // No step ahead and no dated step at all.
  Fixture f;
  f.learner("A");
  REQUIRE(f.b.add_path({"P", "", ""}, f.next()));
  f.enrol("E", "A", "P", "", at("2027-03-01T08:00:00Z"));
  const Cohort w = f.build();
  FeatureOptions o;
  o.deadline_horizon_working_days = 30;
  const FeatureMatrix mw = extract(w, at("2027-03-08T12:00:00Z"), o);
  CHECK(value(mw, w, "E", FeatureId::next_deadline_working_days) == 30);
  CHECK(value(mw, w, "E", FeatureId::has_upcoming_deadline) == 0);
  CHECK(value(mw, w, "E", FeatureId::phase_during) == 1);
}

TEST_CASE("population at as_of: started at or before, not ended at or before") {
  const Cohort c = build_main();
  const Time as_of = at(kAsOf);
  std::vector<EnrolmentId> want;
  for (const char* id : {"E1", "E1b", "E2", "E3", "E6"}) want.push_back(c.find_enrolment(id));
  std::sort(want.begin(), want.end());
  CHECK(population(c, as_of) == want);
  const FeatureMatrix m = extract(c, as_of);
  CHECK(m.enrolments == want);
  CHECK(m.as_of == std::vector<Time>(want.size(), as_of));
  // One millisecond earlier, E6 has not started and E7 has not completed yet.
  const auto before = population(c, as_of - 1);
  CHECK(std::find(before.begin(), before.end(), c.find_enrolment("E6")) == before.end());
  CHECK(std::find(before.begin(), before.end(), c.find_enrolment("E7")) != before.end());
  // Rows outside the population are refused, naming the enrolment.
  const std::vector<Landmark> bad = {{c.find_enrolment("E5"), as_of}};
  CHECK_THROWS_WITH(extract(c, Span<Landmark>(bad)), Catch::Contains("'E5' starts at"));
  const std::vector<Landmark> ended = {{c.find_enrolment("E4"), as_of}};
  CHECK_THROWS_WITH(extract(c, Span<Landmark>(ended)), Catch::Contains("'E4' was withdrawn"));
  const std::vector<Landmark> unknown = {{9999, as_of}};
  CHECK_THROWS_AS(extract(c, Span<Landmark>(unknown)), InvalidArgument);
  const std::vector<Landmark> no_time = {{c.find_enrolment("E1"), kNoTime}};
  CHECK_THROWS_AS(extract(c, Span<Landmark>(no_time)), InvalidArgument);
  const std::vector<Landmark> far = {{c.find_enrolment("E1"), std::numeric_limits<Time>::max()}};
  CHECK_THROWS_WITH(extract(c, Span<Landmark>(far)), Catch::Contains("outside 1970-2199"));
  CHECK_THROWS_WITH(extract(c, std::numeric_limits<Time>::max()), Catch::Contains("outside 1970-2199"));
  CHECK(extract(c, at("1970-01-02T00:00:00Z")).rows() == 0);
}

TEST_CASE("nothing after as_of leaks in: random later events, outcomes, relations and enrolments") {
  const Time as_of = at(kAsOf);
  const std::vector<Time> instants = {at("2027-04-20T16:00:00Z"), at("2027-05-03T07:00:00Z"), as_of};
  const Cohort base = build_main();
  FeatureOptions o;
  const FeatureMatrix m0 = extract(base, as_of, o);
  const auto rows0 = landmarks(base, instants);
  const FeatureMatrix l0 = extract(base, Span<Landmark>(rows0), o);
  static const char* kLearners[] = {"L1", "L2", "L3", "L4", "L5", "L6", "L7"};
  static const char* kSteps[] = {"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"};
  static const char* kPeople[] = {"L1", "L2", "L3", "M1", "M2", "T1", "TR"};
  static const char* kResources[] = {"R1", "R2", "R3"};
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    SplitMix rng{seed};
    Variant var;
    var.future = seed % 2 == 0;
    const int n = 50 + rng.below(200);
    for (int i = 0; i < n; ++i) {
      EventRecord e;
      e.learner = kLearners[rng.below(7)];
      e.time = as_of + 1 + (rng.below(4) == 0 ? 0 : static_cast<Time>(rng.next() % (60 * kMsPerDay)));
      e.verb = static_cast<Verb>(rng.below(static_cast<int>(kVerbNames.size())));
      e.object_kind = static_cast<ObjectKind>(rng.below(4));
      if (e.object_kind == ObjectKind::step) e.object = kSteps[rng.below(9)];
      if (e.object_kind == ObjectKind::resource) e.object = kResources[rng.below(3)];
      if (e.object_kind == ObjectKind::person) e.object = kPeople[rng.below(7)];
      if (rng.below(3) == 0) e.actor = kPeople[rng.below(7)];
      if (rng.below(2) == 0) e.score = static_cast<float>(rng.below(201) - 100) / 100.0f;
      e.success = static_cast<Tri>(rng.below(3));
      e.completion = static_cast<Tri>(rng.below(3));
      e.count = 1 + static_cast<std::uint32_t>(rng.below(30));
      var.extra.push_back(e);
    }
    const Cohort c = build_main(var);
    REQUIRE(c.events().size() == base.events().size() + var.extra.size());
    CHECK(identical(extract(c, as_of, o), m0));
    const auto rows = landmarks(c, instants);
    REQUIRE(rows.size() == rows0.size());
    CHECK(identical(extract(c, Span<Landmark>(rows), o), l0));
  }
}

TEST_CASE("protected attributes change nothing") {
  const Time as_of = at(kAsOf);
  const FeatureMatrix a = extract(build_main(), as_of);
  Variant v;
  v.gender_l1 = "M";
  const FeatureMatrix b = extract(build_main(v), as_of);
  v.gender_l1 = "";
  const FeatureMatrix d = extract(build_main(v), as_of);
  CHECK(identical(a, b));
  CHECK(identical(a, d));
  for (const auto& col : a.spec.columns()) CHECK_FALSE(is_protected_attribute(col.id));
}

TEST_CASE("landmarks: one pass per learner gives the same rows as one extraction per instant, in any row order") {
  const Cohort c = build_main();
  const std::vector<Time> instants = {at("2027-04-06T12:00:00Z"), at("2027-04-23T09:00:00Z"),
                                      at("2027-04-28T20:00:00Z"), at(kAsOf)};
  std::vector<Landmark> rows = landmarks(c, instants);
  REQUIRE(rows.size() > 10);
  // Reverse the order and ask some rows twice: each row is computed on its own terms.
  std::reverse(rows.begin(), rows.end());
  rows.push_back(rows[3]);
  const FeatureMatrix m = extract(c, rows);  // a vector of landmarks converts to the Span
  REQUIRE(m.rows() == rows.size());
  for (Time t : instants) {
    const FeatureMatrix one = extract(c, t);
    for (std::size_t r = 0; r < m.rows(); ++r) {
      if (m.as_of[r] != t) continue;
      const auto it = std::find(one.enrolments.begin(), one.enrolments.end(), m.enrolments[r]);
      REQUIRE(it != one.enrolments.end());
      const auto k = static_cast<Eigen::Index>(it - one.enrolments.begin());
      for (Eigen::Index j = 0; j < m.values.cols(); ++j) {
        INFO("row " << r << " feature " << m.spec[static_cast<std::size_t>(j)].id);
        CHECK(m.values(static_cast<Eigen::Index>(r), j) == one.values(k, j));
      }
    }
  }
  // Only E1 asked: the group median still counts its peers (computed alone), so the ratios are unchanged.
  const std::vector<Landmark> single = {{c.find_enrolment("E1"), at(kAsOf)}};
  const FeatureMatrix s = extract(c, Span<Landmark>(single));
  const FeatureMatrix full = extract(c, at(kAsOf));
  CHECK(s.at(0, "active_days_28d_vs_instance") == value(full, c, "E1", FeatureId::active_days_28d_vs_instance));
  CHECK(s.at(0, "activity_events_total_vs_instance") ==
        value(full, c, "E1", FeatureId::activity_events_total_vs_instance));
  // Early in the path, on Apr 23 at 09:00 (S2 passed at that very instant, S1 due Apr 12 done).
  const std::vector<Landmark> early = {{c.find_enrolment("E1"), at("2027-04-23T09:00:00Z")}};
  const FeatureMatrix e = extract(c, Span<Landmark>(early));
  CHECK(e.at(0, "required_done_share") == 1);  // only S1 is due before Apr 23
  CHECK(e.at(0, "assessment_last_score") == Approx(0.8f));
  CHECK(e.at(0, "next_deadline_working_days") == 6);  // S2 is done: S3 on May 3 (Apr 26-30, May 3)
  CHECK(e.at(0, "phase_during") == 1);
  CHECK(e.at(0, "attendance_rate") == 0);  // S6 on Apr 19: marked absent
}

TEST_CASE("determinism: the same cohort gives bit-identical matrices") {
  const FeatureMatrix a = extract(build_main(), at(kAsOf));
  const FeatureMatrix b = extract(build_main(), at(kAsOf));
  CHECK(identical(a, b));
}

TEST_CASE("pace follows Cohort::required_due_by on random prerequisite DAGs") {
  for (std::uint64_t seed = 11; seed < 31; ++seed) {
    SplitMix rng{seed};
    Fixture f(Calendar("UTC0", 0x7F, {}));  // every day a working day: working days == days
    f.learner("A");
    REQUIRE(f.b.add_path({"P", "", ""}, f.next()));
    const int n = 3 + rng.below(10);
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back("S" + std::to_string(i));
    for (int i = 0; i < n; ++i) {
      StepRecord s;
      s.path = "P", s.id = ids[static_cast<std::size_t>(i)];
      s.required = rng.below(4) != 0;
      s.window = StepWindow{true, kNoDay, rng.below(3) == 0 ? kNoDay : static_cast<Day>(rng.below(40))};
      REQUIRE(f.b.add_step(s, f.next()));
    }
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j)
        if (rng.below(4) == 0)
          REQUIRE(f.b.add_prerequisite({ids[static_cast<std::size_t>(j)], ids[static_cast<std::size_t>(i)]}, f.next()));
    f.enrol("E", "A", "P", "", at("2027-01-04T00:00:00Z"));
    const Cohort c = f.build();
    const EnrolmentId e = c.find_enrolment("E");
    for (int d = 0; d < 45; d += 3) {
      const Time as_of = c.calendar().start_of_day(c.start_day(e) + d) + kMsPerHour;
      const FeatureMatrix m = extract(c, as_of);
      const auto due = c.required_due_by(e, c.start_day(e) + d - 1);
      INFO("seed " << seed << " day " << d);
      CHECK(m.at(0, "overdue_required_steps") == static_cast<double>(due.size()));
      CHECK(m.at(0, "required_done_share") == (due.empty() ? 1.0 : 0.0));
      // The next deadline: the first day d' >= d whose required_due_by grows.
      int next = -1;
      for (int k = d; k < 45 && next < 0; ++k)
        if (c.required_due_by(e, c.start_day(e) + k).size() > due.size()) next = k;
      CHECK(m.at(0, "has_upcoming_deadline") == (next >= 0 ? 1.0 : 0.0));
      if (next >= 0) CHECK(m.at(0, "next_deadline_working_days") == next - d);
    }
  }
}

TEST_CASE("a subset of features in a chosen order") {
  const Cohort c = build_main();
  FeatureOptions o;
  o.features = {"overdue_required_steps", "inactive_working_days"};
  const FeatureMatrix m = extract(c, at(kAsOf), o);
  REQUIRE(m.cols() == 2);
  CHECK(m.spec.ids() == o.features);
  CHECK(value(m, c, "E1", FeatureId::overdue_required_steps) == 2);
  CHECK(value(m, c, "E3", FeatureId::inactive_working_days) == 7);
  o.features = {"inactive_working_days", "no_such_feature"};
  CHECK_THROWS_WITH(extract(c, at(kAsOf), o), Catch::Contains("unknown feature 'no_such_feature'"));
  o.features = {"inactive_working_days", "inactive_working_days"};
  CHECK_THROWS_AS(extract(c, at(kAsOf), o), InvalidArgument);
  o.features.clear();
  o.isolation_working_days = 0;
  CHECK_THROWS_AS(extract(c, at(kAsOf), o), InvalidArgument);
  // A lower isolation threshold flips L2 (1 working day without a peer) to isolated.
  o.isolation_working_days = 1;
  CHECK(value(extract(c, at(kAsOf), o), c, "E2", FeatureId::isolated_from_peers) == 1);
}

TEST_CASE("custom features merge by row, by enrolment, or by enrolment and as_of") {
  const Cohort c = build_main();
  const Time as_of = at(kAsOf);
  FeatureMatrix m = extract(c, as_of);
  const std::size_t base = m.cols();
  CustomFeature hr;
  hr.id = "overtime_hours";
  hr.unit = "hours";
  hr.description = "Overtime declared last month";
  hr.enrolment_ids = {"E1", "E2", "E3", "E6", "E1b", "E4"};  // E4 is not a row: ignored
  hr.values = {4, 0, 12.5, 1, 4, 99};
  CustomFeature rowwise;
  rowwise.id = "row_number";
  rowwise.unit = "rows";
  for (std::size_t r = 0; r < m.rows(); ++r) rowwise.values.push_back(static_cast<double>(r));
  CustomFeature partial;
  partial.id = "team_size";
  partial.unit = "people";
  partial.enrolment_ids = {"E1", "E2"};
  partial.as_of = {as_of, as_of - 1};  // E2's value is for another instant
  partial.values = {8, 5};
  partial.missing = MissingPolicy::fill_and_flag;
  partial.fill_value = -1;
  add_custom_features(m, c, {hr, rowwise, partial});
  REQUIRE(m.cols() == base + 4);
  CHECK(m.spec[base].id == "overtime_hours");
  CHECK_FALSE(m.spec[base].builtin);
  CHECK(m.spec[base + 3].id == "team_size_missing");
  CHECK(m.at(1, "row_number") == 1);
  auto row = [&](const char* e) {
    return static_cast<std::size_t>(std::find(m.enrolments.begin(), m.enrolments.end(), c.find_enrolment(e)) -
                                    m.enrolments.begin());
  };
  CHECK(m.at(row("E3"), "overtime_hours") == 12.5);
  CHECK(m.at(row("E1"), "team_size") == 8);
  CHECK(m.at(row("E1"), "team_size_missing") == 0);
  CHECK(m.at(row("E2"), "team_size") == -1);
  CHECK(m.at(row("E2"), "team_size_missing") == 1);
  CHECK(m.at(row("E1"), "inactive_working_days") == 0);  // built-in columns untouched
}

TEST_CASE("custom features: each error is reported and leaves the matrix unchanged") {
  const Cohort c = build_main();
  const FeatureMatrix original = extract(c, at(kAsOf));
  auto fails = [&](CustomFeature f, const char* message) {
    FeatureMatrix m = original;
    INFO(message);
    CHECK_THROWS_WITH(add_custom_features(m, c, {f}), Catch::Contains(message));
    CHECK(identical(m, original));
  };
  CustomFeature ok;
  ok.id = "overtime_hours";
  ok.enrolment_ids = {"E1", "E1b", "E2", "E3", "E6"};
  ok.values = {1, 2, 3, 4, 5};
  {
    CustomFeature f = ok;
    f.id = "inactive_working_days";
    fails(f, "built-in feature id");
  }
  {
    CustomFeature f = ok;
    f.id = "gender";
    fails(f, "protected attribute");
    f.id = "protected_religion";
    fails(f, "protected attribute");
  }
  {
    CustomFeature f = ok;
    f.id = "Overtime Hours";
    fails(f, "snake_case");
    f.id = "";
    fails(f, "snake_case");
  }
  {
    CustomFeature f = ok;
    f.enrolment_ids[1] = "E404";
    FeatureMatrix m = original;
    CHECK_THROWS_AS(add_custom_features(m, c, {f}), NotFound);
    fails(f, "unknown enrolment 'E404'");
  }
  {
    CustomFeature f = ok;
    f.enrolment_ids[4] = "E1";
    fails(f, "two values for enrolment 'E1'");
  }
  {
    CustomFeature f = ok;
    f.values[2] = std::numeric_limits<double>::quiet_NaN();
    fails(f, "has no value or NaN");
    f.values[2] = std::numeric_limits<double>::infinity();
    f.missing = MissingPolicy::fill;
    fails(f, "infinite value");
  }
  {
    CustomFeature f = ok;
    f.enrolment_ids.pop_back();
    f.values.pop_back();
    fails(f, "row 4 (enrolment 'E6'");  // E6 has no value and the policy is error
  }
  {
    CustomFeature f = ok;
    f.values.pop_back();
    fails(f, "4 values for 5 enrolment ids");
    CustomFeature g;
    g.id = "by_row";
    g.values = {1, 2};
    fails(g, "2 values for a matrix of 5 rows");
  }
  {
    FeatureMatrix m = original;
    CHECK_THROWS_WITH(add_custom_features(m, c, {ok, ok}), Catch::Contains("already has this column"));
    CHECK(identical(m, original));
  }
  {
    CustomFeature f = ok;
    f.missing = MissingPolicy::fill;
    f.fill_value = std::numeric_limits<double>::quiet_NaN();
    fails(f, "fill_value must be a finite number");
  }
}

TEST_CASE("explanation sentences in English and French, singular and plural") {
  CHECK(describe("inactive_working_days", 12, Lang::en) == "no activity for 12 working days");
  CHECK(describe("inactive_working_days", 12, Lang::fr) == "aucune activité depuis 12 jours ouvrés");
  CHECK(describe("inactive_working_days", 1, Lang::en) == "no activity for 1 working day");
  CHECK(describe("inactive_working_days", 1, Lang::fr) == "aucune activité depuis 1 jour ouvré");
  CHECK(describe("inactive_working_days", 0, Lang::en) == "activity during the last working day");
  CHECK(describe(FeatureId::overdue_required_steps, 2, Lang::fr) == "2 étapes obligatoires en retard");
  CHECK(describe(FeatureId::overdue_required_steps, 1, Lang::en) == "1 required step overdue");
  CHECK(describe(FeatureId::required_done_share, 0.6, Lang::en) == "60% of the required steps due so far are done");
  CHECK(describe(FeatureId::required_done_share, 0.6, Lang::fr) == "60 % des étapes obligatoires échues sont faites");
  CHECK(describe(FeatureId::activity_trend, -3.46, Lang::en) == "activity falling by 3.5 actions a week over the last 4 weeks");
  CHECK(describe(FeatureId::activity_trend, -1, Lang::fr) == "activité en baisse de 1,0 action par semaine sur 4 semaines");
  CHECK(describe(FeatureId::activity_trend, 0.04, Lang::en) == "steady activity over the last 4 weeks");
  CHECK(describe(FeatureId::active_days_28d_vs_instance, 0.5, Lang::fr) ==
        "0,5 fois la médiane du groupe en jours d'activité (28 derniers jours)");
  // French keeps the singular below 2, English only for 1.
  CHECK(describe(FeatureId::assessment_failed_attempts, 0, Lang::fr) == "aucune tentative échouée");
  CHECK(describe(FeatureId::prior_attempts, 1, Lang::fr) == "1 tentative antérieure de cette formation");
  CHECK(describe(FeatureId::prior_attempts, 3, Lang::en) == "3 earlier attempts at this course");
  CHECK(describe(FeatureId::isolated_from_peers, 1, Lang::en) == "isolated from peers");
  CHECK(describe(FeatureId::isolated_from_peers, 0, Lang::fr) == "en lien avec les pairs");
  CHECK(describe(FeatureId::assessment_mean_score, 0.724, Lang::fr) == "score moyen aux évaluations : 72 %");
  CHECK(describe(FeatureId::activity_gap_cv, 0.728, Lang::fr) == "activité irrégulière (variation des écarts 0,73)");
  // Rounding happens before the plural choice: 1.4 days reads "1 working day".
  CHECK(describe(FeatureId::next_deadline_working_days, 1.4, Lang::en) == "next deadline in 1 working day");
  CHECK_THROWS_AS(describe("no_such_feature", 1, Lang::en), NotFound);
  CHECK_THROWS_AS(describe("inactive_working_days", std::nan(""), Lang::en), InvalidArgument);
  CHECK(parse_lang("fr") == Lang::fr);
  CHECK_THROWS_AS(parse_lang("de"), InvalidArgument);
  // Every feature has a sentence for a typical value in both languages, with the value written in.
  for (const FeatureInfo& f : kFeatures) {
    for (Lang lang : {Lang::en, Lang::fr}) {
      const std::string s = describe(f.id, 3, lang);
      INFO(f.name << ": " << s);
      CHECK_FALSE(s.empty());
      CHECK(s.find("{v}") == std::string::npos);
    }
  }
}

TEST_CASE("a second attempt on the same path owns only the step events from its own start") {
  Fixture f(Calendar("UTC0", kMondayToFriday, {}));
  f.learner("A");
  REQUIRE(f.b.add_path({"P", "", "C"}, f.next()));
  f.step("P", "S1", StepKind::elearning, Phase::during, 7, true);
  f.step("P", "S2", StepKind::assessment, Phase::during, 14, true);
  f.enrol("E1", "A", "P", "", at("2027-01-04T08:00:00Z"), Outcome::withdrawn, at("2027-02-01T00:00:00Z"));
  f.enrol("E2", "A", "P", "", at("2027-03-01T08:00:00Z"));
  f.event("A", "2026-12-28T10:00:00Z", Verb::completed, ObjectKind::step, "S2");  // before any start: E1's
  f.event("A", "2027-01-06T10:00:00Z", Verb::completed, ObjectKind::step, "S1");  // during E1
  f.event("A", "2027-03-10T10:00:00Z", Verb::failed, ObjectKind::step, "S2", 3, "", 0.2f);  // during E2
  const Cohort c = f.build();
  const Time as_of = at("2027-03-24T12:00:00Z");  // both S1 (Mar 8) and S2 (Mar 15) are due for E2
  const FeatureMatrix m = extract(c, as_of);
  REQUIRE(m.rows() == 1);
  CHECK(m.enrolments[0] == c.find_enrolment("E2"));
  CHECK(m.at(0, "required_done_share") == 0);  // E1's S1 does not count for E2
  CHECK(m.at(0, "overdue_required_steps") == 2);
  CHECK(m.at(0, "assessment_missed") == 0);    // S2 was attempted (failed) during E2
  CHECK(m.at(0, "assessment_failed_attempts") == 3);
  CHECK(m.at(0, "assessment_last_score") == Approx(0.2f));
  CHECK(m.at(0, "prior_attempts") == 1);       // E1, same course, earlier
  CHECK(m.at(0, "concurrent_enrolments") == 0);  // E1 withdrew in February
  // Seen in January, E1 owns both the December and the January events: both steps done.
  const std::vector<Landmark> jan = {{c.find_enrolment("E1"), at("2027-01-25T12:00:00Z")}};
  const FeatureMatrix mj = extract(c, Span<Landmark>(jan));
  CHECK(mj.at(0, "required_done_share") == 1);
  CHECK(mj.at(0, "prior_attempts") == 0);
  CHECK(mj.at(0, "enrolment_age_working_days") == 15);  // Jan 5 .. Jan 25, weekdays
}
