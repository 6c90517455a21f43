// lien/analytics/funnel.hpp — where a path loses people: the funnel of its steps, withdrawal hazards by step
// and by phase with a significance flag, Kaplan–Meier curves, and the comparison of two path instances.
//
// Definitions (docs/analytics.md):
//   population   enrolments of the path (or instance) that started at or before as_of; outcomes as known at
//                as_of; each enrolment's events up to as_of, or up to its end when it ended before.
//   reached      the enrolment got to the step (act/progress.hpp: an own event other than `absent`, a done
//                event or a score).
//   completed    a done event on the step (completed, passed, attended, success or completion = yes).
//   withdrew right after s   a withdrawn enrolment whose last step reached (the step it got to last, by time
//                of first reach) is s. Withdrawals before reaching any step are counted apart.
//   hazard of s  withdrew right after s / reached s: of those who got to s, the share who left there.
//   phase        a step's phase; the hazard of a phase is withdrawals right after one of its steps / enrolments
//                that reached one of its steps.
// The flag: for each step, a one-sided exact binomial test of its withdrawals against the pooled rate of the
// path (sum of withdrawals / sum of reached over all steps), p = P(X >= x), X ~ Binomial(reached, pooled);
// the p-values of all steps with at least one learner are corrected together (Holm by default) and a step is
// flagged when its corrected p-value is below alpha and its hazard is above the pooled rate.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lien/analytics/distributions.hpp"
#include "lien/analytics/survival.hpp"
#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

struct FunnelStep {
  StepId step = kNoId;
  Phase phase = Phase::during;
  bool required = true;
  std::uint32_t reached = 0;
  std::uint32_t completed = 0;
  std::uint32_t withdrew_after = 0;            ///< withdrawn with this step as their last step reached
  std::uint32_t withdrew_after_completing = 0; ///< of those, the ones who had completed it
};

struct PhaseFunnel {
  Phase phase = Phase::during;
  std::uint32_t steps = 0;           ///< steps of the path in this phase
  std::uint32_t reached = 0;         ///< enrolments that reached at least one of its steps
  std::uint32_t withdrew_after = 0;  ///< withdrawn with their last step reached in this phase
};

/// One enrolment of the population, as the funnel saw it.
struct FunnelEntry {
  EnrolmentId enrolment = kNoId;
  Outcome outcome = Outcome::active;  ///< at as_of
  std::int32_t days = 0;              ///< local days from the start day to the end day (or to as_of's day)
  std::uint32_t steps_reached = 0;
  StepId last_reached = kNoId;
};

struct Funnel {
  PathId path = kNoId;
  InstanceId instance = kNoId;  ///< kNoId: the whole path (every instance)
  Time as_of = kNoTime;
  std::uint32_t enrolled = 0, active = 0, completed = 0, withdrawn = 0;
  std::uint32_t withdrew_before_first_step = 0;  ///< withdrawn without reaching any step
  std::vector<FunnelStep> steps;                 ///< in the path's topological order
  std::array<PhaseFunnel, 4> phases{};           ///< indexed by Phase
  std::vector<FunnelEntry> entries;              ///< the population, by enrolment id
};

/// The funnel of every instance of path p. Throws InvalidArgument for an unknown path.
Funnel path_funnel(const Cohort& cohort, PathId path, Time as_of);
/// The funnel of one path instance. Throws InvalidArgument for an unknown instance.
Funnel instance_funnel(const Cohort& cohort, InstanceId instance, Time as_of);
/// The funnel of chosen enrolments of path p (those that started by as_of). Throws InvalidArgument for an
/// unknown path or enrolment, an enrolment of another path, or one given twice.
Funnel funnel_of(const Cohort& cohort, PathId path, Span<EnrolmentId> enrolments, Time as_of);

struct HazardOptions {
  Correction correction = Correction::holm;
  double alpha = 0.05;  ///< flag threshold on the corrected p-value, in (0, 1)
};

/// A withdrawal rate tested against the pooled rate.
struct HazardTest {
  std::uint32_t at_risk = 0;  ///< reached
  std::uint32_t events = 0;   ///< withdrew right after
  double hazard = 0;          ///< events / at_risk (0 when nobody is at risk)
  double expected = 0;        ///< at_risk * pooled rate
  double p_value = 1;         ///< one-sided exact binomial P(X >= events); NaN when at_risk == 0 (not tested)
  double p_adjusted = 1;      ///< after the correction; NaN when not tested
  bool flagged = false;
};

struct StepHazard {
  StepId step = kNoId;
  Phase phase = Phase::during;
  HazardTest test;
};

struct PhaseHazard {
  Phase phase = Phase::during;
  HazardTest test;
};

struct HazardReport {
  std::string method;        ///< the test, in words (for reports)
  Correction correction = Correction::holm;
  double alpha = 0.05;
  double baseline = 0;       ///< pooled step rate: sum of withdrawals / sum of reached, over the steps
  double phase_baseline = 0; ///< the same over the phases
  std::vector<StepHazard> steps;       ///< the funnel's order
  std::array<PhaseHazard, 4> phases{}; ///< by Phase, tested and corrected among themselves
};

/// Hazards by step and by phase of a funnel, with the tests. Throws InvalidArgument for alpha outside (0, 1).
HazardReport withdrawal_hazards(const Funnel& funnel, const HazardOptions& options = {});

enum class TimeScale : std::uint8_t {
  days,  ///< local days since the enrolment's start day
  steps  ///< steps reached
};

/// Durations and events of a funnel's population: withdrawn = event at its withdrawal; completed and active
/// are censored at their end (completion, or as_of).
struct SurvivalData {
  std::vector<double> durations;
  std::vector<std::uint8_t> observed;
};
SurvivalData survival_data(const Funnel& funnel, TimeScale scale);

/// The Kaplan–Meier curve of a funnel's population (lifelines' defaults: exponential Greenwood interval).
KaplanMeier path_survival(const Funnel& funnel, TimeScale scale, double alpha = 0.05);

/// Per step (same path only): shares of each instance's population and their differences (b - a).
struct StepDifference {
  StepId step = kNoId;
  double reached_a = 0, reached_b = 0;      ///< reached / enrolled
  double completed_a = 0, completed_b = 0;  ///< completed / enrolled
  double hazard_a = 0, hazard_b = 0;        ///< withdrew right after / reached
  double reached_diff = 0, completed_diff = 0, hazard_diff = 0;
};

/// Two path instances on the same measures (e.g. this year's group against last year's).
struct InstanceComparison {
  Funnel a, b;
  HazardReport hazards_a, hazards_b;
  KaplanMeier days_a, days_b;    ///< Kaplan–Meier in days since start
  LogRank days_logrank;          ///< log-rank test of the two day curves
  KaplanMeier steps_a, steps_b;  ///< Kaplan–Meier in steps reached
  LogRank steps_logrank;         ///< only meaningful on the same path
  bool same_path = false;
  std::vector<StepDifference> steps;  ///< empty unless same_path
  double withdrawn_a = 0, withdrawn_b = 0;  ///< withdrawn / enrolled
};

/// Compares instances a and b at as_of. Throws InvalidArgument for an unknown instance, or as
/// withdrawal_hazards / kaplan_meier.
InstanceComparison compare_instances(const Cohort& cohort, InstanceId a, InstanceId b, Time as_of,
                                     const HazardOptions& options = {}, double alpha = 0.05);

LIEN_END_NAMESPACE
