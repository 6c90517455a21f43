// lien/risk/model.hpp — the dropout-risk model users call: trained on a cohort's history by landmarking,
// scoring any cohort at any instant with a calibrated probability, a band, ranked drivers and the survival
// model's view of when.
//
// One RiskModel assembles the numerical pieces of this folder around the feature layer:
//   features (built-in + custom) -> StandardScaler -> LogisticRegression (logit, drivers = beta_j z_j)
//                                                  -> calibration (Platt / isotonic, fitted out of fold)
//                                                  -> RiskBands
//                                 -> DiscreteTimeSurvival on the same standardised features
// Training (training.hpp, docs/models.md "RiskModel") labels landmark rows, cross-validates by learner and
// records metrics; the model file (model_file.hpp, docs/model-file.md) stores everything scoring needs.
//
// A fitted model is immutable: score() is const and reads nothing mutable, so any number of threads may score
// with one model, on one cohort, at once, and get the same bits as one thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/features/extract.hpp"
#include "lien/features/matrix.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/cohort.hpp"
#include "lien/risk/bands.hpp"
#include "lien/risk/explain.hpp"
#include "lien/risk/isotonic.hpp"
#include "lien/risk/logistic.hpp"
#include "lien/risk/model_file.hpp"
#include "lien/risk/platt.hpp"
#include "lien/risk/scaler.hpp"
#include "lien/risk/score.hpp"
#include "lien/risk/survival.hpp"
#include "lien/risk/training.hpp"

LIEN_BEGIN_NAMESPACE

struct ScoreOptions {
  /// Drivers kept per score, largest |contribution| first; not given = the model's options().top_k;
  /// 0 = every feature.
  std::optional<std::size_t> top_k;
  /// Survival horizons in calendar days (> 0), one RiskScore::withdraw_within value each, in this order.
  /// Empty = the model's horizon_days alone.
  std::vector<int> horizons_days;
  /// When given, every Driver::sentence is written in this language (describe()). Off by default: sentences
  /// cost more than the rest of a score.
  std::optional<Lang> lang;
  /// The custom features, when the model was trained with some (the same columns, in the same order).
  CustomFeatureSource custom;
};

/// Scores as columns, one entry (or one block of top_k / horizons entries) per row: the fastest way to score many
/// rows (nothing is allocated per row), and the arrays the C and Python faces hand out. The drivers of row i are
/// driver_*[i * top_k + k] for rank k + 1, features[driver_feature[...]] naming their feature.
struct ScoreTable {
  std::size_t rows = 0;
  std::size_t top_k = 0;               ///< drivers per row (the model's width when every feature was asked for)
  std::vector<int> horizons_days;      ///< withdraw_within columns (empty without a survival part)
  std::vector<std::string> features;   ///< the model's feature ids, in column order
  std::vector<EnrolmentId> enrolment;
  std::vector<Time> as_of;
  std::vector<double> logit, probability;
  std::vector<Band> band;
  std::vector<std::int32_t> driver_feature;  ///< rows x top_k: the feature's column in `features`
  std::vector<double> driver_value;          ///< rows x top_k: the learner's value of it
  std::vector<double> driver_contribution;   ///< rows x top_k: its contribution to the logit
  std::vector<double> withdraw_within;       ///< rows x horizons
  std::vector<double> withdraw_by_end;       ///< rows (NaN without a survival part or a planned end)

  /// Row `row` as a RiskScore (the same values RiskModel::score gives as RiskScores, without sentences).
  RiskScore score(std::size_t row) const;
};

class RiskModel {
 public:
  /// An empty model: fitted() is false and score() throws.
  RiskModel() = default;

  /// Trains on `history` at the default landmarks (default_landmarks()).
  static RiskModel fit(const Cohort& history, const RiskModelOptions& options = {},
                       const CustomFeatureSource& custom = {});
  /// Trains on every enrolment in the population at each landmark instant (empty = the default landmarks).
  static RiskModel fit(const Cohort& history, const std::vector<Time>& landmarks,
                       const RiskModelOptions& options = {}, const CustomFeatureSource& custom = {});
  /// Trains on explicit (enrolment, as_of) rows — e.g. one cut-off per presentation. Each must be in the
  /// population at its as_of (InvalidArgument naming the row otherwise). Censored rows are left out; the
  /// survival part follows every enrolment of the rows from its start.
  ///
  /// Throws InvalidArgument for bad options, no labelled row, a single class, or a cross-validation fold whose
  /// training part holds a single class (the message names the fold).
  static RiskModel fit(const Cohort& history, Span<Landmark> rows, const RiskModelOptions& options = {},
                       const CustomFeatureSource& custom = {});

  bool fitted() const noexcept { return fitted_; }

  /// One score per enrolment in the population at as_of, in enrolment-id order.
  std::vector<RiskScore> score(const Cohort& c, Time as_of, const ScoreOptions& options = {}) const;
  /// One score per row, in the order given.
  std::vector<RiskScore> score(const Cohort& c, Span<Landmark> rows, const ScoreOptions& options = {}) const;
  /// The model part alone, from a matrix extracted with features(): one score per row of `m`, written into
  /// `out` (resized; its scores' vectors and strings are reused, so a caller scoring in a loop allocates
  /// nothing once they have grown). `c` supplies each row's enrolment start and planned end.
  void score(const Cohort& c, const FeatureMatrix& m, const ScoreOptions& options, std::vector<RiskScore>& out) const;
  /// The same scores as columns (ScoreOptions::lang must not be set: a table holds no sentences).
  void score(const Cohort& c, const FeatureMatrix& m, const ScoreOptions& options, ScoreTable& out) const;

  /// The feature matrix this model reads for `rows`: its built-in features with its FeatureOptions, then the
  /// custom columns from `custom`. Throws InvalidArgument when the columns differ from the model's spec.
  FeatureMatrix features(const Cohort& c, Span<Landmark> rows, const CustomFeatureSource& custom = {}) const;

  /// The driver as a sentence: describe() of the feature registry for a built-in feature; for a custom one,
  /// "<description>: <value> <unit>". Throws NotFound for a feature the model does not have.
  std::string describe(const Driver& d, Lang lang) const;

  // ---- what the model is made of --------------------------------------------------------------------------
  const RiskModelOptions& options() const noexcept { return options_; }
  const FeatureSpec& spec() const noexcept { return spec_; }
  const StandardScaler& scaler() const noexcept { return scaler_; }
  const LogisticRegression& logistic() const noexcept { return logistic_; }
  const PlattCalibrator& platt() const noexcept { return platt_; }
  const IsotonicCalibrator& isotonic() const noexcept { return isotonic_; }
  bool has_survival() const noexcept { return has_survival_; }
  const DiscreteTimeSurvival& survival() const noexcept { return survival_; }
  const TrainingMetadata& training() const noexcept { return training_; }

  /// The calibrated probability of a logit.
  double calibrate(double logit) const noexcept {
    switch (options_.calibration) {
      case CalibrationMethod::platt: return platt_.predict(logit);
      case CalibrationMethod::isotonic: return isotonic_.predict(logit);
      case CalibrationMethod::none: break;
    }
    return sigmoid(logit);
  }

  // ---- model files (docs/model-file.md) ---------------------------------------------------------------------
  /// The model as the JSON text of a model file, checksum included. The same model gives the same bytes.
  std::string to_json() const;
  /// Reads a model from JSON text. Throws ModelError, saying why, for anything but a complete, unmodified
  /// model file of this format's major version whose features this build knows.
  static RiskModel from_json(std::string_view text);
  /// Writes atomically: a temporary file in the same directory, flushed to disk, then renamed over `path`; on
  /// any failure the temporary file is removed, `path` is left as it was, and IoError names the path.
  void save(const std::string& path) const;
  /// NotFound when the file does not exist, IoError when it cannot be read, ModelError as from_json.
  static RiskModel load(const std::string& path);

 private:
  struct Workspace;

  void check_fitted(const char* what) const;
  void finish();  // builds the explainer and the survival tables from the parameters
  /// Checks a matrix and the options; sizes the workspace; returns the drivers to keep per row.
  std::size_t prepare(const Cohort& c, const FeatureMatrix& m, const ScoreOptions& o, std::vector<int>& horizons,
                      Workspace& ws) const;
  /// Logit, drivers, probability and survival of one row, into the workspace.
  void evaluate_row(const double* x, Time start, Time planned_end, Time as_of, std::size_t top_k,
                    const std::vector<int>& horizons, Workspace& ws) const;
  /// ws.keep[q] = P(no withdrawal between period positions a and ws.ends[q]) for the first `queries` queries
  /// (in increasing order through ws.order), with covariate part lp.
  void survival_walk(double a, double lp, std::size_t queries, Workspace& ws) const;

  bool fitted_ = false;
  RiskModelOptions options_;
  FeatureSpec spec_;
  StandardScaler scaler_;
  LogisticRegression logistic_;
  Explainer explainer_;
  PlattCalibrator platt_;
  IsotonicCalibrator isotonic_;
  bool has_survival_ = false;
  DiscreteTimeSurvival survival_;
  std::vector<double> exp_baseline_;  // exp(alpha_j) of each baseline bin
  TrainingMetadata training_;
};

LIEN_END_NAMESPACE
