// Path analytics on hand-made cohorts: the funnel (reached, completed, withdrew right after), hazards by step
// and phase with the binomial test, Kaplan–Meier in days and steps, a planted step that loses people, and the
// comparison of two instances. Every expected value is worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "lien/analytics/funnel.hpp"
#include "lien/core/error.hpp"
#include "toolbox_fixture.hpp"

using namespace lien;
using toolbox::at;

namespace {

// Path P: S1 (before) -> S2 (during, classroom) -> S3 (during, assessment) -> S4 (intersession) -> S5 (after).
// Instance G1, everyone from Monday 2027-01-04; as_of 2027-03-01 (day 56).
//   A  S1..S5 done, completed 2027-02-26 (day 53)
//   B  S1, S2, S3 done, active
//   C  S1 done, withdrew 2027-01-20 (day 16); an S2 event after the withdrawal does not count
//   D  S1 launched only, withdrew 2027-01-11 (day 7)
//   E  nothing, withdrew 2027-01-06 (day 2)
//   F  S1, S2 done, S3 failed, then went back to S1 (revision), withdrew 2027-02-10 (day 37): last step S3
//   G  S1 done, marked absent at S2 by the trainer: S2 not reached; active
//   H  starts after as_of: not in the population
// Instance G2 (same path, from 2027-01-04): K S1, S2 done, withdrew 2027-01-15 (day 11); J S1 done, active.
Cohort make_cohort() {
  toolbox::Builder b;
  for (const char* l : {"A", "B", "C", "D", "E", "F", "G", "H", "J", "K"}) b.learner(l);
  b.stakeholder("R1", Role::trainer);
  b.path("P", "Leadership");
  b.step("P", "S1", StepKind::elearning, Phase::before, 0, 7);
  b.step("P", "S2", StepKind::classroom, Phase::during, 14, 14);
  b.step("P", "S3", StepKind::assessment, Phase::during, 15, 21);
  b.step("P", "S4", StepKind::assignment, Phase::intersession, 22, 35);
  b.step("P", "S5", StepKind::review, Phase::after, 36, 50);
  b.prerequisite("S2", "S1").prerequisite("S3", "S2").prerequisite("S4", "S3").prerequisite("S5", "S4");
  const char* start = "2027-01-04T08:00:00Z";
  b.enrol("EA", "A", "P", "G1", start, Outcome::completed, "2027-02-26T12:00:00Z");
  b.enrol("EB", "B", "P", "G1", start);
  b.enrol("EC", "C", "P", "G1", start, Outcome::withdrawn, "2027-01-20T12:00:00Z");
  b.enrol("ED", "D", "P", "G1", start, Outcome::withdrawn, "2027-01-11T12:00:00Z");
  b.enrol("EE", "E", "P", "G1", start, Outcome::withdrawn, "2027-01-06T12:00:00Z");
  b.enrol("EF", "F", "P", "G1", start, Outcome::withdrawn, "2027-02-10T12:00:00Z");
  b.enrol("EG", "G", "P", "G1", start);
  b.enrol("EH", "H", "P", "G1", "2027-03-08T08:00:00Z");
  b.enrol("EK", "K", "P", "G2", start, Outcome::withdrawn, "2027-01-15T12:00:00Z");
  b.enrol("EJ", "J", "P", "G2", start);
  b.did("A", "2027-01-05T10:00:00Z", Verb::completed, "S1");
  b.did("A", "2027-01-18T10:00:00Z", Verb::attended, "S2");
  b.did("A", "2027-01-21T10:00:00Z", Verb::passed, "S3", 0.9f);
  b.did("A", "2027-02-10T10:00:00Z", Verb::completed, "S4");
  b.did("A", "2027-02-25T10:00:00Z", Verb::completed, "S5");
  b.did("B", "2027-01-05T10:00:00Z", Verb::completed, "S1");
  b.did("B", "2027-01-18T10:00:00Z", Verb::attended, "S2");
  b.did("B", "2027-01-20T10:00:00Z", Verb::passed, "S3", 0.6f);
  b.did("C", "2027-01-06T10:00:00Z", Verb::completed, "S1");
  b.did("C", "2027-01-25T10:00:00Z", Verb::launched, "S2");  // after the withdrawal
  b.did("D", "2027-01-06T10:00:00Z", Verb::launched, "S1");
  b.did("F", "2027-01-07T10:00:00Z", Verb::completed, "S1");
  b.did("F", "2027-01-18T10:00:00Z", Verb::attended, "S2");
  b.did("F", "2027-01-25T10:00:00Z", Verb::failed, "S3", -0.2f);
  b.did("F", "2027-02-01T10:00:00Z", Verb::launched, "S1");
  b.did("G", "2027-01-08T10:00:00Z", Verb::completed, "S1");
  b.event("G", "2027-01-18T10:00:00Z", Verb::absent, ObjectKind::step, "S2", "R1");
  b.did("K", "2027-01-05T10:00:00Z", Verb::completed, "S1");
  b.did("K", "2027-01-12T10:00:00Z", Verb::completed, "S2");
  b.did("J", "2027-01-06T10:00:00Z", Verb::completed, "S1");
  return b.build();
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

const Time kAsOf = at("2027-03-01T18:00:00Z");

const FunnelStep& step(const Funnel& f, const char* id) {
  for (const FunnelStep& s : f.steps)
    if (s.step == cohort().find_step(id)) return s;
  throw std::runtime_error("no step");
}

double binom_pmf(int k, int n, double p) {
  double c = 1;
  for (int i = 0; i < k; ++i) c = c * (n - i) / (i + 1);
  return c * std::pow(p, k) * std::pow(1 - p, n - k);
}

}  // namespace

TEST_CASE("the funnel counts who reached, completed and withdrew right after each step") {
  const Funnel f = instance_funnel(cohort(), toolbox::instance(cohort(), "G1"), kAsOf);
  CHECK(f.enrolled == 7);  // H has not started
  CHECK(f.active == 2);
  CHECK(f.completed == 1);
  CHECK(f.withdrawn == 4);
  CHECK(f.withdrew_before_first_step == 1);  // E
  REQUIRE(f.steps.size() == 5);
  CHECK(f.steps[0].step == cohort().find_step("S1"));  // topological order
  CHECK(f.steps[4].step == cohort().find_step("S5"));
  const FunnelStep &s1 = step(f, "S1"), &s2 = step(f, "S2"), &s3 = step(f, "S3"), &s4 = step(f, "S4");
  CHECK(s1.reached == 6);  // A B C D F G
  CHECK(s1.completed == 5);  // D only launched it
  CHECK(s1.withdrew_after == 2);  // C (completed it) and D (did not)
  CHECK(s1.withdrew_after_completing == 1);
  CHECK(s2.reached == 3);  // A B F: G was absent, C's event came after the withdrawal
  CHECK(s2.completed == 3);
  CHECK(s2.withdrew_after == 0);
  CHECK(s3.reached == 3);  // A B F (F failed it: reached, not completed)
  CHECK(s3.completed == 2);
  CHECK(s3.withdrew_after == 1);  // F: S3 is its last new step although it revisited S1 afterwards
  CHECK(s3.withdrew_after_completing == 0);
  CHECK(s4.reached == 1);
  CHECK(f.entries.size() == 7);
  // Phases: before (S1), during (S2, S3), intersession (S4), after (S5).
  CHECK(f.phases[0].steps == 1);
  CHECK(f.phases[1].steps == 2);
  CHECK(f.phases[0].reached == 6);
  CHECK(f.phases[0].withdrew_after == 2);
  CHECK(f.phases[1].reached == 3);
  CHECK(f.phases[1].withdrew_after == 1);
  CHECK(f.phases[2].reached == 1);
  CHECK(f.phases[3].withdrew_after == 0);

  // The whole path adds G2: K (S1, S2 done, withdrew after S2) and J (S1 done).
  const Funnel p = path_funnel(cohort(), cohort().find_path("P"), kAsOf);
  CHECK(p.enrolled == 9);
  CHECK(p.instance == kNoId);
  CHECK(step(p, "S1").reached == 8);
  CHECK(step(p, "S2").withdrew_after == 1);
  // An earlier date: at 2027-01-10 nobody had withdrawn but E (2027-01-06).
  const Funnel early = instance_funnel(cohort(), toolbox::instance(cohort(), "G1"), at("2027-01-10T00:00:00Z"));
  CHECK(early.withdrawn == 1);
  CHECK(early.active == 6);
  CHECK(step(early, "S1").reached == 6);
  CHECK(step(early, "S2").reached == 0);
}

TEST_CASE("funnels refuse unknown paths, instances and foreign enrolments") {
  CHECK_THROWS_AS(path_funnel(cohort(), 99, kAsOf), InvalidArgument);
  CHECK_THROWS_AS(instance_funnel(cohort(), 99, kAsOf), InvalidArgument);
  const std::vector<EnrolmentId> twice{cohort().find_enrolment("EA"), cohort().find_enrolment("EA")};
  CHECK_THROWS_WITH(funnel_of(cohort(), cohort().find_path("P"), twice, kAsOf), Catch::Contains("given twice"));
  const std::vector<EnrolmentId> unknown{999};
  CHECK_THROWS_AS(funnel_of(cohort(), cohort().find_path("P"), unknown, kAsOf), InvalidArgument);
  const std::vector<EnrolmentId> some{cohort().find_enrolment("EA"), cohort().find_enrolment("EE")};
  const Funnel f = funnel_of(cohort(), cohort().find_path("P"), some, kAsOf);
  CHECK(f.enrolled == 2);
  CHECK(f.withdrew_before_first_step == 1);
}

TEST_CASE("hazards by step and phase: rates, the pooled baseline and exact binomial p-values") {
  const Funnel f = instance_funnel(cohort(), toolbox::instance(cohort(), "G1"), kAsOf);
  const HazardReport h = withdrawal_hazards(f);
  // Withdrawals after a step: 2 + 0 + 1 + 0 + 0 = 3; reached: 6 + 3 + 3 + 1 + 1 = 14.
  CHECK(h.baseline == Approx(3.0 / 14));
  REQUIRE(h.steps.size() == 5);
  CHECK(h.steps[0].test.hazard == Approx(2.0 / 6));
  CHECK(h.steps[0].test.expected == Approx(6 * 3.0 / 14));
  // P(X >= 2), X ~ Binomial(6, 3/14) = 1 - P(0) - P(1).
  const double p0 = 3.0 / 14;
  CHECK(h.steps[0].test.p_value == Approx(1 - binom_pmf(0, 6, p0) - binom_pmf(1, 6, p0)).epsilon(1e-12));
  CHECK(h.steps[1].test.p_value == 1.0);  // no withdrawal
  CHECK(h.steps[2].test.p_value == Approx(1 - binom_pmf(0, 3, p0)).epsilon(1e-12));
  // Holm over 5 steps: the smallest p-value is multiplied by 5 (capped at 1).
  const double smallest = std::min(h.steps[0].test.p_value, h.steps[2].test.p_value);
  CHECK(std::min(h.steps[0].test.p_adjusted, h.steps[2].test.p_adjusted) == Approx(std::min(1.0, 5 * smallest)));
  for (const StepHazard& s : h.steps) CHECK_FALSE(s.test.flagged);  // seven learners prove nothing
  // Phases: before 2/6, during 1/3, intersession 0/1, after 0/1; pooled 3/11.
  CHECK(h.phase_baseline == Approx(3.0 / 11));
  CHECK(h.phases[0].test.hazard == Approx(2.0 / 6));
  CHECK(h.phases[1].test.hazard == Approx(1.0 / 3));
  CHECK(h.method.find("binomial") != std::string::npos);
  HazardOptions bad;
  bad.alpha = 1.5;
  CHECK_THROWS_AS(withdrawal_hazards(f, bad), InvalidArgument);
  // A step nobody reached is not tested.
  const Funnel early = instance_funnel(cohort(), toolbox::instance(cohort(), "G1"), at("2027-01-10T00:00:00Z"));
  const HazardReport he = withdrawal_hazards(early);
  CHECK(std::isnan(he.steps[1].test.p_value));
  CHECK(std::isnan(he.steps[1].test.p_adjusted));
}

TEST_CASE("Kaplan-Meier of a path in days and in steps, worked out by hand") {
  const Funnel f = instance_funnel(cohort(), toolbox::instance(cohort(), "G1"), kAsOf);
  // Days: A 53+, B 56+, C 16, D 7, E 2, F 37, G 56+.
  const KaplanMeier d = path_survival(f, TimeScale::days);
  CHECK(d.survival_at(1) == 1.0);
  CHECK(d.survival_at(2) == Approx(6.0 / 7));
  CHECK(d.survival_at(7) == Approx(5.0 / 7));
  CHECK(d.survival_at(16) == Approx(4.0 / 7));
  CHECK(d.survival_at(37) == Approx(3.0 / 7));
  CHECK(d.survival_at(60) == Approx(3.0 / 7));
  CHECK(d.median() == 37);
  // Steps reached: A 5+, B 3+, C 1, D 1, E 0, F 3, G 1+.
  const KaplanMeier s = path_survival(f, TimeScale::steps);
  CHECK(s.survival_at(0) == Approx(6.0 / 7));
  CHECK(s.survival_at(1) == Approx(6.0 / 7 * 4.0 / 6));
  CHECK(s.survival_at(3) == Approx(4.0 / 7 * 2.0 / 3));
  const SurvivalData data = survival_data(f, TimeScale::days);
  CHECK(data.durations.size() == 7);
  CHECK(data.observed[0] == 0);  // A completed: censored
}

namespace {

// 120 learners on a six-step linear path; at step 4, 30 of the 115 who reach it withdraw (a planted leak),
// elsewhere 0 to 2 per step. Pooled rate: 36 withdrawals / 639 reached.
Cohort make_leaky() {
  toolbox::Builder b;
  b.path("Q");
  const char* steps[] = {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6"};
  for (int i = 0; i < 6; ++i) {
    b.step("Q", steps[i], StepKind::elearning, i < 3 ? Phase::during : Phase::intersession, i * 7, i * 7 + 6);
    if (i) b.prerequisite(steps[i], steps[i - 1]);
  }
  // Planned withdrawals per step (0-based): learners leave right after step k.
  const int leave_after[6] = {2, 1, 2, 30, 1, 0};
  std::vector<std::string> ids;
  for (int i = 0; i < 120; ++i) ids.push_back("Q" + std::to_string(1000 + i));
  for (const std::string& id : ids) b.learner(id.c_str());
  auto plan_of = [&](int learner) {  // last step reached (0-based) and whether they withdrew
    int cum = 0;
    for (int k = 0; k < 6; ++k) {
      cum += leave_after[k];
      if (learner < cum) return std::make_pair(k, true);
    }
    return std::make_pair(5, false);
  };
  std::vector<std::string> enrol_ids;
  for (int i = 0; i < 120; ++i) enrol_ids.push_back("EQ" + std::to_string(i));
  for (int i = 0; i < 120; ++i) {
    const auto [last, withdrew] = plan_of(i);
    if (withdrew) {
      b.enrol(enrol_ids[i].c_str(), ids[i].c_str(), "Q", "", "2027-01-04T08:00:00Z", Outcome::withdrawn,
              "2027-03-30T12:00:00Z");
    } else {
      b.enrol(enrol_ids[i].c_str(), ids[i].c_str(), "Q", "", "2027-01-04T08:00:00Z");
    }
    for (int k = 0; k <= last; ++k) b.did(ids[i].c_str(), "2027-01-10T10:00:00Z", Verb::completed, steps[k]);
  }
  return b.build();
}

}  // namespace

TEST_CASE("a step planted to lose people is flagged, and only that one") {
  const Cohort c = make_leaky();
  const Funnel f = path_funnel(c, c.find_path("Q"), at("2027-04-01T00:00:00Z"));
  REQUIRE(f.enrolled == 120);
  CHECK(f.withdrawn == 36);
  CHECK(f.steps[3].reached == 115);
  CHECK(f.steps[3].withdrew_after == 30);
  for (Correction corr : {Correction::holm, Correction::benjamini_hochberg}) {
    HazardOptions o;
    o.correction = corr;
    const HazardReport h = withdrawal_hazards(f, o);
    INFO(to_string(corr));
    for (std::size_t k = 0; k < h.steps.size(); ++k) {
      INFO("step " << k);
      CHECK(h.steps[k].test.flagged == (k == 3));
    }
    CHECK(h.steps[3].test.p_adjusted < 1e-6);
    CHECK(h.steps[3].test.hazard > h.baseline);
    // The intersession phase holds the leaky step.
    CHECK(h.phases[static_cast<int>(Phase::intersession)].test.flagged);
    CHECK_FALSE(h.phases[static_cast<int>(Phase::during)].test.flagged);
  }
}

TEST_CASE("two instances compared: funnels, differences, log-rank") {
  const Cohort& c = cohort();
  const InstanceComparison cmp =
      compare_instances(c, toolbox::instance(c, "G1"), toolbox::instance(c, "G2"), kAsOf);
  CHECK(cmp.same_path);
  CHECK(cmp.a.enrolled == 7);
  CHECK(cmp.b.enrolled == 2);
  CHECK(cmp.withdrawn_a == Approx(4.0 / 7));
  CHECK(cmp.withdrawn_b == Approx(0.5));
  REQUIRE(cmp.steps.size() == 5);
  // S2: G1 reached 3/7, G2 1/2 (K); K withdrew after S2: hazard 1/1 against 0/3.
  CHECK(cmp.steps[1].reached_a == Approx(3.0 / 7));
  CHECK(cmp.steps[1].reached_b == Approx(0.5));
  CHECK(cmp.steps[1].reached_diff == Approx(0.5 - 3.0 / 7));
  CHECK(cmp.steps[1].hazard_b == Approx(1.0));
  CHECK(cmp.steps[1].hazard_diff == Approx(1.0));
  CHECK(cmp.steps[0].completed_b == Approx(1.0));
  // The log-rank test is the one of the two samples' survival data.
  const SurvivalData a = survival_data(cmp.a, TimeScale::days), b = survival_data(cmp.b, TimeScale::days);
  const LogRank direct = logrank_test(a.durations, a.observed, b.durations, b.observed);
  CHECK(cmp.days_logrank.statistic == direct.statistic);
  CHECK(cmp.days_logrank.p_value == direct.p_value);
  CHECK(cmp.days_logrank.observed_a == 4);
  CHECK(cmp.days_logrank.observed_b == 1);
  CHECK(cmp.days_b.survival_at(11) == Approx(0.5));
  CHECK(cmp.steps_logrank.observed_b == 1);
  CHECK_THROWS_AS(compare_instances(c, 0, 77, kAsOf), InvalidArgument);
}
