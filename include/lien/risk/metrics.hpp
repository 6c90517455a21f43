// lien/risk/metrics.hpp — how good and how calibrated binary risk scores are: ROC AUC, PR AUC (average
// precision), Brier score, log loss and expected calibration error, with optional sample weights.
//
// Each follows scikit-learn's definition (docs/models.md, "Metrics"): roc_auc as roc_auc_score (tied scores
// form one ROC point: half credit), average_precision as average_precision_score (step-wise, no
// interpolation), brier_score as brier_score_loss, log_loss as log_loss (probabilities clipped to
// [eps, 1 - eps], eps = DBL_EPSILON). Calibration error has no scikit-learn counterpart; its definition is
// below. Labels must be exactly 0 or 1; NaN, mismatched sizes and bad weights throw InvalidArgument.
#pragma once

#include <cstddef>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

/// Area under the ROC curve. Throws InvalidArgument when either class has no (positive-weight) row.
double roc_auc(const VectorRef& y, const VectorRef& score, const VectorRef& sample_weight = Vector());

/// Average precision: sum over distinct thresholds (descending) of (R_k - R_{k-1}) P_k. Throws InvalidArgument
/// when there is no positive.
double average_precision(const VectorRef& y, const VectorRef& score, const VectorRef& sample_weight = Vector());

/// Weighted mean of (p - y)^2. Probabilities must lie in [0, 1].
double brier_score(const VectorRef& y, const VectorRef& p, const VectorRef& sample_weight = Vector());

/// Weighted mean of -[y log p + (1 - y) log(1 - p)] with p clipped to [eps, 1 - eps].
double log_loss(const VectorRef& y, const VectorRef& p, const VectorRef& sample_weight = Vector());

/// One bin of a reliability diagram.
struct ReliabilityBin {
  double lower = 0.0, upper = 0.0;  ///< [lower, upper), the last bin closed at 1
  std::size_t count = 0;            ///< rows (of positive weight) in the bin
  double weight = 0.0;              ///< their total weight
  double mean_predicted = 0.0;      ///< weighted mean probability (0 when empty)
  double observed_rate = 0.0;       ///< weighted mean label (0 when empty)
};

struct CalibrationReport {
  /// Expected calibration error: sum over bins of (bin weight / total weight) |mean_predicted - observed_rate|.
  double ece = 0.0;
  double max_error = 0.0;           ///< largest |mean_predicted - observed_rate| over non-empty bins
  double mean_predicted = 0.0;      ///< over all rows (calibration in the large)
  double observed_rate = 0.0;
  std::vector<ReliabilityBin> bins; ///< all `bins` bins, empty ones included
};

/// Equal-width bins on [0, 1]: row with probability p falls in bin min(floor(p * bins), bins - 1).
CalibrationReport calibration_report(const VectorRef& y, const VectorRef& p, const VectorRef& sample_weight = Vector(),
                                     int bins = 10);
inline double expected_calibration_error(const VectorRef& y, const VectorRef& p,
                                         const VectorRef& sample_weight = Vector(), int bins = 10) {
  return calibration_report(y, p, sample_weight, bins).ece;
}

LIEN_END_NAMESPACE
