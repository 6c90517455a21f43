// lien/analytics/review.hpp — the progress review (bilan) of one enrolment at a date: what is done, late and
// next, the scores per competency, the progress toward certification, the current risk and its drivers, and
// the next steps the playbook suggests. As structured data, and as text in English and French.
//
// Definitions (docs/analytics.md): done and scores as in act/progress.hpp; late = the required steps the
// enrolment should have done before the review day and has not (Cohort::required_due_by of the previous day,
// the feature layer's `overdue_required_steps`); next = steps not done whose prerequisites are all done,
// by planned day (undated last), at most ReviewOptions::next_steps of them; a competency is covered when
// every required step that carries it is done.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lien/act/action.hpp"
#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/types.hpp"
#include "lien/risk/score.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;
class Playbook;

struct ReviewStep {
  StepId step = kNoId;
  Day done_day = kNoDay;       ///< done steps: the local day of the first done event
  float score = 0;             ///< done steps: the latest score (has_score says whether there is one)
  bool has_score = false;
  Day due_day = kNoDay;        ///< late and next steps: the due day (kNoDay when undated)
  Day planned_day = kNoDay;    ///< next steps: open day, else due day
  std::int64_t working_days_late = 0;  ///< late steps: working days from the due day to the review day
};

struct ReviewCompetency {
  CompetencyId competency = kNoId;
  bool scored = false;
  double score = 0;              ///< when scored (act/progress.hpp, competency_scores)
  std::uint32_t steps_scored = 0;
  std::uint32_t required_steps = 0;       ///< required steps carrying it
  std::uint32_t required_steps_done = 0;
  bool covered = false;                   ///< every required step carrying it is done (false with none)
};

struct ReviewDriver {
  Driver driver;
  std::string text_en, text_fr;  ///< the driver as a sentence (describe())
};

struct Review {
  EnrolmentId enrolment = kNoId;
  LearnerId learner = kNoId;
  Time as_of = kNoTime;
  Day day = kNoDay;
  Outcome outcome = Outcome::active;  ///< at as_of
  std::int64_t working_days_enrolled = 0;
  std::vector<ReviewStep> done;  ///< in the path's topological order
  std::vector<ReviewStep> late;  ///< topological order
  std::vector<ReviewStep> next;  ///< by planned day (undated last), then topological order
  std::vector<ReviewCompetency> competencies;  ///< every competency of the path's steps, by id
  std::uint32_t required_steps = 0, required_steps_done = 0;
  std::uint32_t competencies_required = 0, competencies_covered = 0;
  double certification_progress = 0;  ///< required_steps_done / required_steps (1 when none is required)
  bool has_risk = false;
  double probability = 0;
  Band band = Band::low;
  std::vector<ReviewDriver> drivers;  ///< the score's drivers, by rank
  std::vector<Action> suggestions;    ///< the playbook's actions for this enrolment
};

struct ReviewOptions {
  std::uint32_t next_steps = 3;         ///< how many next steps to list (0: all)
  const Playbook* playbook = nullptr;   ///< when set with a risk score, suggestions come from running it
};

/// The review of enrolment e at `as_of`. `risk` (optional) is the enrolment's current score; its drivers and,
/// with `options.playbook`, the playbook's actions fill the risk part and the suggestions. `actions` (optional)
/// are actions already computed (recommend()); those of this enrolment become the suggestions. Throws
/// InvalidArgument for an unknown enrolment or a score of another enrolment.
Review review(const Cohort& cohort, EnrolmentId e, Time as_of, const RiskScore* risk = nullptr,
              Span<Action> actions = {}, const ReviewOptions& options = {});

/// The review as text for a person to read, in English or French.
std::string render_review(const Cohort& cohort, const Review& review, Lang lang);

LIEN_END_NAMESPACE
