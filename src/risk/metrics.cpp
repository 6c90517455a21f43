// src/risk/metrics.cpp — ranking and calibration metrics for binary risk scores.
#include "lien/risk/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"

LIEN_BEGIN_NAMESPACE
namespace {

void check_common(const char* where, const VectorRef& y, const VectorRef& s, const VectorRef& w) {
  const std::string fn(where);
  if (y.size() == 0) throw InvalidArgument(fn + ": no rows");
  detail::require_rows(s.size(), y.size(), (fn + ": scores").c_str(), "the labels");
  detail::require_binary(y, (fn + ": labels").c_str());
  detail::require_finite(s, (fn + ": scores").c_str());
  detail::check_weights(w, y.size(), (fn + ": sample weights").c_str());
}

/// Row indices by score, highest first; ties keep index order (the order does not change any metric, it only
/// fixes the arithmetic).
std::vector<Index> by_score_descending(const VectorRef& s) {
  std::vector<Index> order(static_cast<std::size_t>(s.size()));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return s[a] > s[b]; });
  return order;
}

/// Walks the distinct thresholds from the highest score down, calling f(tp, fp) with the cumulative weighted
/// true and false positives once per threshold.
template <class F>
void for_each_threshold(const VectorRef& y, const VectorRef& s, const VectorRef& w, F&& f) {
  const std::vector<Index> order = by_score_descending(s);
  double tp = 0.0, fp = 0.0;
  for (std::size_t k = 0; k < order.size();) {
    const double v = s[order[k]];
    for (; k < order.size() && s[order[k]] == v; ++k) {
      const Index i = order[k];
      const double wi = w.size() ? w[i] : 1.0;
      (y[i] > 0.5 ? tp : fp) += wi;
    }
    f(tp, fp);
  }
}

}  // namespace

double roc_auc(const VectorRef& y, const VectorRef& s, const VectorRef& w) {
  check_common("roc_auc", y, s, w);
  double area = 0.0, tp0 = 0.0, fp0 = 0.0;
  for_each_threshold(y, s, w, [&](double tp, double fp) {
    area += (fp - fp0) * (tp + tp0);  // trapezoid, x2
    tp0 = tp, fp0 = fp;
  });
  if (!(tp0 > 0.0) || !(fp0 > 0.0))
    throw InvalidArgument(std::string("roc_auc: only one class (") + (tp0 > 0.0 ? "1" : "0") +
                          ") among rows with positive weight; ROC AUC is not defined");
  return area / (2.0 * tp0 * fp0);
}

double average_precision(const VectorRef& y, const VectorRef& s, const VectorRef& w) {
  check_common("average_precision", y, s, w);
  // Sum of P_k (tp_k - tp_{k-1}); divided by the total positives at the end: recall steps are tp steps / P.
  double ap = 0.0, tp0 = 0.0;
  for_each_threshold(y, s, w, [&](double tp, double fp) {
    if (tp > tp0) ap += (tp - tp0) * (tp / (tp + fp));
    tp0 = tp;
  });
  if (!(tp0 > 0.0)) throw InvalidArgument("average_precision: no positive label among rows with positive weight");
  return ap / tp0;
}

double brier_score(const VectorRef& y, const VectorRef& p, const VectorRef& w) {
  check_common("brier_score", y, p, w);
  detail::require_probabilities(p, "brier_score: probabilities");
  double num = 0.0, den = 0.0;
  for (Index i = 0; i < y.size(); ++i) {
    const double wi = w.size() ? w[i] : 1.0;
    const double e = p[i] - y[i];
    num += wi * e * e;
    den += wi;
  }
  return num / den;
}

double log_loss(const VectorRef& y, const VectorRef& p, const VectorRef& w) {
  check_common("log_loss", y, p, w);
  detail::require_probabilities(p, "log_loss: probabilities");
  const double eps = std::numeric_limits<double>::epsilon();
  double num = 0.0, den = 0.0;
  for (Index i = 0; i < y.size(); ++i) {
    const double wi = w.size() ? w[i] : 1.0;
    const double q = y[i] > 0.5 ? p[i] : 1.0 - p[i];  // probability given to what happened
    num += wi * -std::log(std::min(std::max(q, eps), 1.0 - eps));
    den += wi;
  }
  return num / den;
}

CalibrationReport calibration_report(const VectorRef& y, const VectorRef& p, const VectorRef& w, int bins) {
  check_common("calibration_report", y, p, w);
  detail::require_probabilities(p, "calibration_report: probabilities");
  if (bins < 1) throw InvalidArgument("calibration_report: bins must be at least 1, got " + std::to_string(bins));
  CalibrationReport r;
  r.bins.resize(static_cast<std::size_t>(bins));
  std::vector<double> sp(static_cast<std::size_t>(bins), 0.0), sy(static_cast<std::size_t>(bins), 0.0);
  double W = 0.0, SP = 0.0, SY = 0.0;
  for (Index i = 0; i < y.size(); ++i) {
    const double wi = w.size() ? w[i] : 1.0;
    if (wi == 0.0) continue;
    const auto b = static_cast<std::size_t>(std::min(bins - 1, static_cast<int>(std::floor(p[i] * bins))));
    r.bins[b].count += 1;
    r.bins[b].weight += wi;
    sp[b] += wi * p[i];
    sy[b] += wi * y[i];
    W += wi, SP += wi * p[i], SY += wi * y[i];
  }
  for (int b = 0; b < bins; ++b) {
    ReliabilityBin& bin = r.bins[static_cast<std::size_t>(b)];
    bin.lower = static_cast<double>(b) / bins;
    bin.upper = static_cast<double>(b + 1) / bins;
    if (bin.weight > 0.0) {
      bin.mean_predicted = sp[static_cast<std::size_t>(b)] / bin.weight;
      bin.observed_rate = sy[static_cast<std::size_t>(b)] / bin.weight;
      const double gap = std::abs(bin.mean_predicted - bin.observed_rate);
      r.ece += bin.weight / W * gap;
      r.max_error = std::max(r.max_error, gap);
    }
  }
  r.mean_predicted = SP / W;
  r.observed_rate = SY / W;
  return r;
}

LIEN_END_NAMESPACE
