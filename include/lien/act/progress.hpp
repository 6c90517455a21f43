// lien/act/progress.hpp — where an enrolment stands on each step of its path at an instant: reached, done,
// scored; and what its scores say per competency.
//
// The playbook reads it (weakest competency, next session), and so do reviews and path funnels, so that all
// three agree on what "done" and "reached" mean. The rules follow the feature layer (docs/features.md):
// events on a step belong to the enrolment on the step's path; when a learner has several enrolments on the
// same path, each owns the step events from its start to the next one's start, the earliest also what came
// before. Only events at or before the instant count.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

/// What an enrolment did on one step.
struct StepProgress {
  /// First event showing the learner got to the step: an event of their own (no actor) other than `absent`,
  /// a done event or a scored event (whoever recorded them). kNoTime when none.
  Time reached = kNoTime;
  /// First done event: verb completed, passed or attended, or success = yes, or completion = yes (the
  /// feature layer's rule: attending a session is doing it). kNoTime when none.
  Time done = kNoTime;
  float last_score = std::numeric_limits<float>::quiet_NaN();  ///< scaled score of the latest scored event
  Time last_score_time = kNoTime;
  std::uint32_t scored = 0;  ///< scored events
  bool absent = false;       ///< marked absent at least once

  bool is_reached() const noexcept { return reached != kNoTime; }
  bool is_done() const noexcept { return done != kNoTime; }
  bool has_score() const noexcept { return !std::isnan(last_score); }
};

struct EnrolmentProgress {
  EnrolmentId enrolment = kNoId;
  Time as_of = kNoTime;
  std::vector<StepProgress> steps;  ///< by the step's position in its path
  std::uint32_t reached = 0;        ///< steps reached
  std::uint32_t done = 0;           ///< steps done
  std::uint32_t required = 0;       ///< required steps of the path
  std::uint32_t required_done = 0;  ///< required steps done
  /// The last step the enrolment got to: the reached step with the latest first reach, the later in the
  /// path's topological order on ties. kNoId when no step was reached.
  StepId last_reached = kNoId;
};

/// Progress of enrolment e from the events at or before `as_of`. Throws InvalidArgument for an unknown
/// enrolment.
EnrolmentProgress enrolment_progress(const Cohort& cohort, EnrolmentId e, Time as_of);

/// A competency's score for one enrolment: the weighted mean (Step::weight) of the scores of the path's steps
/// that carry the competency and have a score, a step's score being its latest scored event (a retake
/// replaces the earlier attempt).
struct CompetencyScore {
  CompetencyId competency = kNoId;
  double score = 0;              ///< scaled, in [-1, 1]
  std::uint32_t steps_scored = 0;
  std::uint32_t steps = 0;       ///< steps of the path carrying the competency
};

/// Scored competencies of the enrolment's path, by CompetencyId (competencies without any score are left out).
std::vector<CompetencyScore> competency_scores(const Cohort& cohort, const EnrolmentProgress& progress);

/// A set of step kinds: bit k set for StepKind k.
using StepKindMask = std::uint32_t;
constexpr StepKindMask kind_bit(StepKind k) noexcept { return 1u << static_cast<unsigned>(k); }
/// Classroom and virtual sessions: what "the next session" means.
inline constexpr StepKindMask kSessionKinds = kind_bit(StepKind::classroom) | kind_bit(StepKind::virtual_class);

/// The next step of a kind in `kinds` planned for the enrolment on or after local day `day` and not done: the
/// one with the smallest planned day (see planned_day), the earlier in topological order on ties. kNoId when
/// none; `when` (optional) receives its planned day.
StepId next_planned_step(const Cohort& cohort, const EnrolmentProgress& progress, StepKindMask kinds, Day day,
                         Day* when = nullptr);

/// The planned day of step s for enrolment e: its open day when set, else its due day (kNoDay if undated).
Day planned_day(const Cohort& cohort, StepId s, EnrolmentId e);

LIEN_END_NAMESPACE
