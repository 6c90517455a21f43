// lien/risk/training.hpp — how the dropout-risk model learns: its options, the label of a training row, the
// default landmarks, and what a fitted model records about its training (docs/models.md, "RiskModel").
//
// A training row is an enrolment seen at an instant as_of (a landmark). Its label says whether the learner
// withdrew within the horizon that follows (or before the planned end), as far as the training data show it:
// the data stop at `observed_until`, and a row whose answer lies past that instant is censored — left out,
// never counted as a negative. These rules live here, apart from the fitting code, so that they can be read,
// tested and reused (the OULAD protocol labels its rows with them).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/features/custom.hpp"
#include "lien/features/extract.hpp"
#include "lien/model/cohort.hpp"
#include "lien/risk/bands.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

/// What the probability is about.
enum class Target : std::uint8_t {
  within_horizon,  ///< withdraws in (as_of, as_of + horizon_days]
  before_end       ///< withdraws in (as_of, planned_end] (any time after as_of when there is no planned end)
};

/// How the model's logit becomes the probability users see.
enum class CalibrationMethod : std::uint8_t { platt, isotonic, none };

const char* to_string(Target t) noexcept;
const char* to_string(CalibrationMethod m) noexcept;
/// "within_horizon" / "before_end"; throws InvalidArgument otherwise.
Target parse_target(std::string_view text);
/// "platt" / "isotonic" / "none"; throws InvalidArgument otherwise.
CalibrationMethod parse_calibration(std::string_view text);

/// The discrete-time survival part: person-period rows of `period_days` from each enrolment's start.
struct SurvivalSettings {
  bool enabled = true;
  int period_days = 7;                   ///< length of a period in calendar days (>= 1)
  int min_bin_events = 5;                ///< automatic baseline bins (SurvivalOptions::min_bin_events)
  std::vector<std::int32_t> bin_starts;  ///< explicit baseline bins instead (first period of each, from 0)
  double l2 = 1e-4;                      ///< penalty on the covariate effects (mean-loss scale)
};

struct RiskModelOptions {
  /// The risk is the probability of withdrawing within this many calendar days after as_of (24-hour days:
  /// the horizon ends at as_of + horizon_days * 86,400,000 ms). Also the default survival horizon.
  int horizon_days = 28;
  Target target = Target::within_horizon;
  /// L2 penalty of the logistic model on standardised features (LogisticOptions::l2, mean-loss scale).
  double l2 = 1e-3;
  CalibrationMethod calibration = CalibrationMethod::platt;
  /// Cross-validation folds, split by learner (every row of a learner in the same fold): they give the
  /// out-of-fold predictions the calibration is fitted on, and the metrics recorded in the model.
  int folds = 5;
  RiskBands bands;
  /// Which built-in features, in which order, and the settings that change their values.
  FeatureOptions features;
  SurvivalSettings survival;
  /// Drivers kept per score when ScoreOptions::top_k is not given (0 = every feature).
  std::size_t top_k = 5;
  /// The instant the training data run to: labels whose answer lies after it are censored. kNoTime = the
  /// latest event time or outcome time in the training cohort (latest_instant()).
  Time observed_until = kNoTime;
  /// Worker threads for training (folds in parallel, the solver's passes). Never changes a bit of the model.
  int threads = 1;

  /// Throws InvalidArgument naming the first bad option.
  void validate() const;
};

/// The label of a training row.
enum class Label : std::uint8_t { negative = 0, positive = 1, censored = 2 };
const char* to_string(Label l) noexcept;

/// The label of enrolment `e` seen at `as_of`, from what the data show at `observed_until`
/// (e.outcome_at(observed_until)):
///
/// within_horizon, with end = as_of + horizon_days days:
///   - withdrawn at t <= observed_until: positive when as_of < t <= end, negative when t > end;
///   - completed at t <= observed_until: negative (it cannot withdraw any more);
///   - still active at observed_until: negative when observed_until >= end, otherwise censored.
/// before_end, with end = planned_end (+infinity when the enrolment has none):
///   - withdrawn at t <= observed_until: positive when t <= end, negative when t > end;
///   - completed: negative;
///   - still active at observed_until: negative when observed_until >= end, otherwise censored.
///
/// The row must be in the population at as_of (started, not completed or withdrawn at or before it);
/// otherwise InvalidArgument, naming the enrolment.
Label training_label(const Enrolment& e, Time as_of, Time observed_until, Target target, int horizon_days);

/// The latest event time or outcome time of the cohort (kNoTime when it has neither).
Time latest_instant(const Cohort& c);

/// Weekly landmarks from the earliest enrolment start: start + 7k days for k = 0, 1, ... while every row at
/// that instant can be labelled without censoring bias — t + horizon <= observed_until for within_horizon,
/// t < observed_until for before_end. Empty when the cohort has no enrolment.
std::vector<Time> default_landmarks(const Cohort& c, const RiskModelOptions& options, Time observed_until);

/// A user's own features for the rows being extracted, at training and at scoring time: called with the
/// cohort and the rows (enrolment, as_of), it returns columns for add_custom_features (keyed by row, by
/// enrolment id, or by (enrolment id, as_of)). A model trained with custom features needs the same columns,
/// in the same order, when it scores; it records their ids, units and descriptions, never their values.
using CustomFeatureSource = std::function<std::vector<CustomFeature>(const Cohort&, Span<Landmark>)>;

/// A source that always returns the same table (values keyed by enrolment id or by (enrolment id, as_of)).
CustomFeatureSource custom_feature_table(std::vector<CustomFeature> table);

/// Cross-validated quality of a model: out-of-fold predictions, folds split by learner. The probabilities are
/// calibrated by a calibrator fitted on the other folds' out-of-fold logits (so that no row's calibrated
/// probability depends on its own label). NaN when undefined (no admissible pair for the C-index).
struct CrossValidatedMetrics {
  int folds = 0;
  double roc_auc = std::numeric_limits<double>::quiet_NaN();
  double pr_auc = std::numeric_limits<double>::quiet_NaN();  ///< average precision
  double brier = std::numeric_limits<double>::quiet_NaN();
  double log_loss = std::numeric_limits<double>::quiet_NaN();
  double ece = std::numeric_limits<double>::quiet_NaN();     ///< 10 equal-width bins
  /// Harrell's C of the survival model on held-out person-period rows (time_varying_concordance: at each
  /// period, a withdrawal against every enrolment still at risk). NaN without the survival part.
  double c_index = std::numeric_limits<double>::quiet_NaN();
};

/// How one of the model's fits ended.
struct FitSummary {
  FitInfo info = FitInfo::not_fitted;
  int iterations = 0;
  double loss = 0.0;
};

/// What a model records about its training: counts, instants, metrics — never a learner id, a name, or a
/// per-row value.
struct TrainingMetadata {
  std::size_t rows = 0;        ///< labelled landmark rows the logistic model was fitted on
  std::size_t positives = 0;   ///< of which positive
  std::size_t censored = 0;    ///< rows left out as censored
  std::size_t enrolments = 0;  ///< distinct enrolments among the labelled rows
  std::size_t learners = 0;    ///< distinct learners among the labelled rows
  std::size_t landmarks = 0;   ///< distinct as_of instants among the rows
  Time first_landmark = kNoTime, last_landmark = kNoTime;
  Time observed_until = kNoTime;
  std::size_t person_periods = 0;   ///< survival rows
  std::size_t survival_events = 0;  ///< withdrawals among them
  CrossValidatedMetrics cv;
  FitSummary logistic, survival, calibration;
  std::string lien_version;    ///< the lien that trained the model
  std::string format_version;  ///< the model file format it was read from ("" when fitted in this process)
};

LIEN_END_NAMESPACE
