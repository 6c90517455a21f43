// lien/sim/simulator.hpp — simulated cohorts of a blended programme with known dropout mechanics.
//
// simulate(params) plays a programme out day by day for every learner of every group (path instance) and
// returns a checked Cohort (built through CohortBuilder, so it obeys every rule real data does) together with
// the ground truth: each learner's latent traits, the planted hazard, and the true outcome and its date even
// where the cohort itself, observed only until `observe_until`, still shows the enrolment as active.
//
// The mechanics (docs/simulator.md has the full account): latent motivation drives daily activity, along with
// workload shocks, approaching deadlines and a persistent engagement state; sessions (classroom days, the
// virtual class, coaching, the final review) are attended or missed; learners post, reply to and message
// their peers; managers and tutors contact learners at their own rates. Each working day an active enrolment
// withdraws with probability sigmoid(logit), where the logit adds up the planted effects of HazardParams over
// covariates that are all computable from the cohort's own events (inactivity in working days, overdue steps,
// absences, failed assessments, recent manager contact, peer ties) plus the unobserved motivation.
//
// Reproducible: every random draw comes from lien::sim::Rng sub-streams keyed by (seed, learner) or
// (seed, group), so the same parameters give a byte-identical cohort on any platform and any thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lien/core/calendar.hpp"
#include "lien/core/config.hpp"
#include "lien/core/rejection.hpp"
#include "lien/core/time.hpp"
#include "lien/model/cohort.hpp"
#include "lien/sim/programme.hpp"

LIEN_BEGIN_NAMESPACE

namespace sim {

/// The planted effects: terms of the logit of the daily withdrawal probability (one draw per working day,
/// from the state at the end of the previous day). Positive raises the hazard. Defaults are documented, with
/// their odds ratios, in docs/simulator.md; tests of fitted models compare their signs and sizes with these.
struct HazardParams {
  double intercept = -6.45;          ///< baseline logit: a learner with every covariate at 0, in the during phase
  double phase_before = 0.8;         ///< added before the first `during` step (the pre-work weeks)
  double phase_after = -0.7;         ///< added after the last `during` step (the closing weeks)
  double per_inactive_day = 0.10;    ///< per working day since the learner's last own activity (capped)
  int inactive_cap = 30;             ///< working days of inactivity beyond which the risk stops growing
  double per_overdue_step = 0.30;    ///< per required self-paced step past its due day and not done (capped)
  int overdue_cap = 6;
  double per_absence = 0.60;         ///< per session missed so far (classroom, virtual class, coaching...)
  double per_failed_attempt = 0.35;  ///< per failed attempt at a graded assessment or assignment so far
  double manager_contact = -0.90;    ///< a contact from the manager (met / messaged) in the last
  int manager_window = 20;           ///< ... this many working days
  double per_peer = -0.20;           ///< per distinct peer interacted with, either way, in the last
  int peer_window_days = 28;         ///< ... this many calendar days
  int peer_cap = 5;                  ///< distinct peers beyond which support stops growing
  double prior_attempt = 0.40;       ///< the learner had an earlier attempt at the course
  double motivation = -0.30;         ///< per standard deviation of latent motivation (unobserved)
  // Biases by protected attribute, for testing the fairness audit: 0 (no effect) by default.
  double gender_f_bias = 0;          ///< added when gender == "F"
  double age_50_plus_bias = 0;       ///< added when age_band == "50+"
  double disability_bias = 0;        ///< added when disability == "Y"
};

/// How learners behave (not planted effects on the hazard: these shape the data the hazard reads).
struct Mechanics {
  // Daily activity: active with probability sigmoid(base + motivation * m + engagement + urgency ...).
  double activity_base = -0.9;         ///< logit of being active on an ordinary working day
  double activity_motivation = 0.8;    ///< per SD of motivation
  double activity_urgency = 2.0;       ///< times urgency = exp(-days to the nearest due date / 3), in [0, 1]
  double activity_overdue = 0.5;       ///< logit added while some step is overdue (catching up)
  double activity_nothing_to_do = -1.5;  ///< no step open and pending: only the forum and resources
  double activity_weekend = -2.5;      ///< on a non-working day (weekend or holiday)
  double activity_shock = -2.5;        ///< during a workload shock
  double engagement_persistence = 0.92;  ///< AR(1) coefficient of the engagement state (per day)
  double engagement_noise = 0.35;      ///< its innovation SD (stationary SD = noise / sqrt(1 - rho^2))
  double sessions_per_active_day = 0.8;  ///< Poisson mean of extra work sessions on an active day (+1)
  double session_minutes = 35;         ///< mean length of a self-paced work session
  double pages_per_session = 0.7;      ///< Poisson mean of extra pages read (experienced) in a session (+1)
  // Workload shocks: periods of low availability.
  double shock_rate = 1.0 / 45;        ///< probability a shock starts, per working day
  double shock_mean_days = 10;         ///< mean length in calendar days (geometric)
  // Sessions: attended with probability sigmoid(base + motivation * m + shock + absences so far).
  double attend_base = 2.6;
  double attend_motivation = 0.9;
  double attend_shock = -2.0;
  double attend_inactive = -0.08;      ///< per working day of inactivity at the session
  // Graded work: ability (assessments: the chance of answering each question right) or score
  // (assignments) ~ N(mean + motivation * m, sd), clipped to [0, 1].
  double score_mean = 0.66;
  double score_motivation = 0.12;
  double score_sd = 0.16;
  int max_attempts = 3;                ///< attempts at a graded step before giving up on it
  // Peers (on an active day).
  double post_base = -2.0;             ///< logit of posting on the group forum
  double reply_base = -1.2;            ///< logit of replying to one recent peer post (up to 2 a day)
  double message_base = -2.8;          ///< logit of messaging a peer
  double peer_sociability = 0.9;       ///< per SD of sociability, on all three
  double sociability_motivation = 0.3;  ///< correlation of sociability with motivation
  // Stakeholders (exogenous rates, per week).
  double manager_rate = 0.35;          ///< median contacts per week from a manager
  double manager_rate_sd = 1.0;        ///< SD of the log rate between managers (lognormal)
  double tutor_rate = 0.25;            ///< tutor messages per week (no effect on the hazard: a control)
  // Demographics (no effect on anything unless HazardParams biases are set).
  double female_share = 0.52;
  double disability_share = 0.06;
  double prior_attempt_share = 0.06;
};

/// Everything that defines a simulated cohort. Same Params, same cohort, bit for bit.
struct Params {
  std::uint64_t seed = 1;
  std::size_t learners = 240;   ///< enrolments (one per learner)
  std::size_t group_size = 12;  ///< learners per group (path instance); the last group may be smaller
  /// Groups start in waves: group g starts on `start` + (g mod waves) * wave_spacing_days, moved on by whole
  /// weeks while one of its classroom, virtual-class or community days would fall on a non-working day.
  std::size_t waves = 4;
  int wave_spacing_days = 7;
  Day start = days_from_civil(2026, 9, 7);  ///< the first wave's start (a Monday)
  /// Paris time, Monday to Friday, French public holidays 2000-2099 (Calendar::french_holidays).
  Calendar calendar = default_calendar();
  Programme programme = manager_programme();
  /// Nothing after this instant is observed: no event is generated after it, and an enrolment that ends
  /// (withdraws or completes) after it stays active in the cohort. kNoTime: observe everything.
  Time observe_until = kNoTime;
  std::string id_prefix;        ///< prepended to every generated id (two cohorts with distinct ids)
  /// Learners per manager. Teams are spread over groups: a manager's team is one learner (at the same
  /// position) from each of team_size consecutive groups.
  std::size_t team_size = 6;
  std::size_t groups_per_tutor = 1;    ///< one tutor per group by default
  std::size_t groups_per_trainer = 8;  ///< trainers share groups
  HazardParams hazard;
  Mechanics mechanics;
  /// Record the hazard's covariates for every learner and working day (ground truth, for model tests).
  bool record_covariates = false;
  /// Threads for generation (0: all cores). The result does not depend on it.
  unsigned threads = 1;

  static Calendar default_calendar();
};

/// What the simulator knows and the cohort does not show: one row per enrolment, in enrolment order (the
/// simulator's learner i is the cohort's LearnerId i and EnrolmentId i).
struct EnrolmentTruth {
  std::string enrolment_id, learner_id, instance_id, manager_id;
  std::uint32_t group = 0;
  double motivation = 0;       ///< latent, N(0, 1)
  double sociability = 0;      ///< latent, correlated with motivation
  double manager_log_rate = 0;  ///< the manager's contact propensity (log of contacts per week)
  std::string gender, age_band, disability;
  std::int32_t prior_attempts = 0;
  Day start_day = kNoDay;        ///< local day the enrolment starts
  Day planned_end_day = kNoDay;  ///< local day it is planned to end
  Outcome outcome = Outcome::active;  ///< the true outcome: completed or withdrawn (simulated to the end)
  Time outcome_time = kNoTime;
  Day outcome_day = kNoDay;          ///< local day of the true outcome
  Outcome observed_outcome = Outcome::active;  ///< what the cohort shows (active when it ends after observe_until)
  std::uint32_t events = 0;          ///< events in the cohort for this learner
};

/// One learner-working-day of the hazard (Params::record_covariates): the covariates as the hazard saw
/// them (before caps), the logit, and whether the learner withdrew that day.
struct CovariateRow {
  std::uint32_t enrolment = 0;
  Day day = kNoDay;
  std::int32_t inactive_days = 0;
  std::int32_t overdue_steps = 0;
  std::int32_t absences = 0;
  std::int32_t failed_attempts = 0;
  std::int32_t manager_contact = 0;  ///< 0 / 1
  std::int32_t peers = 0;
  std::int32_t prior_attempt = 0;    ///< 0 / 1
  Phase phase = Phase::during;       ///< before, during or after (intersessions count as during)
  double motivation = 0;
  double logit = 0;
  bool withdrew = false;
};

struct GroundTruth {
  std::vector<EnrolmentTruth> enrolments;
  std::vector<CovariateRow> covariates;  ///< empty unless Params::record_covariates
  HazardParams hazard;
  std::uint64_t seed = 0;
  Time observe_until = kNoTime;
};

/// Where the time went, for benchmarks. Not part of the result proper: it varies from run to run.
struct SimTimings {
  double simulate = 0;  ///< thread-seconds spent simulating groups, summed over threads
  double wait = 0;      ///< wall-clock seconds spent waiting for the simulation (not overlapped by feeding)
  double feed = 0;      ///< wall-clock seconds handing events to the builder (overlaps the simulation)
  double records = 0;   ///< people, relations, the path and enrolments to the builder (names, e-mails...)
  double build = 0;     ///< CohortBuilder::build
};

/// A simulated cohort, how it was built, and its truth.
struct Simulation {
  Cohort cohort;
  ReadReport report;  ///< the builder's account: nothing is ever rejected
  GroundTruth truth;
  SimTimings timings;
};

/// Simulates a cohort. Throws InvalidArgument for impossible parameters (no learner, group size 0, a
/// malformed programme, a start outside 1970-2199...), naming the parameter.
Simulation simulate(const Params& params);

/// The ground truth as CSV (one row per enrolment, header first; days as YYYY-MM-DD, empty when none), the
/// form the Python tests read with pandas. Columns: enrolment_id, learner_id, instance_id, manager_id, group,
/// motivation, sociability, manager_log_rate, gender, age_band, disability, prior_attempts, start_day,
/// planned_end_day, outcome, outcome_day, observed_outcome, events.
std::string ground_truth_csv(const GroundTruth& truth);
/// Writes ground_truth_csv to `file`. Throws IoError when it cannot.
void write_ground_truth_csv(const GroundTruth& truth, const std::string& file);
/// The recorded covariates as CSV: enrolment_id, day, inactive_days, overdue_steps, absences,
/// failed_attempts, manager_contact, peers, prior_attempt, phase, motivation, logit, withdrew.
std::string covariates_csv(const GroundTruth& truth);

}  // namespace sim

LIEN_END_NAMESPACE
