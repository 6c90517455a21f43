// src/risk/fairness.cpp — per-group metrics of risk scores and the largest gaps between groups.
#include "lien/risk/fairness.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"
#include "lien/risk/metrics.hpp"

LIEN_BEGIN_NAMESPACE
namespace {

template <class Get>
Gap widest(const std::vector<GroupMetrics>& groups, Get&& get) {
  Gap g;
  const GroupMetrics* lo = nullptr;
  const GroupMetrics* hi = nullptr;
  double vlo = 0.0, vhi = 0.0;
  for (const GroupMetrics& m : groups) {
    double v;
    if (m.small || !get(m, v)) continue;
    ++g.groups_compared;
    if (!lo || v < vlo) lo = &m, vlo = v;
    if (!hi || v > vhi) hi = &m, vhi = v;
  }
  if (g.groups_compared >= 2) {
    g.value = vhi - vlo;
    g.lowest = lo->group;
    g.highest = hi->group;
  }
  return g;
}

}  // namespace

FairnessReport fairness_audit(const VectorRef& y, const VectorRef& p, const IntVectorRef& code,
                              const std::vector<std::string>& names, const VectorRef& w,
                              const FairnessOptions& options) {
  const Index n = y.size();
  if (n == 0) throw InvalidArgument("fairness_audit: no rows");
  detail::require_rows(p.size(), n, "fairness_audit: probabilities", "the labels");
  detail::require_rows(code.size(), n, "fairness_audit: groups", "the labels");
  detail::require_binary(y, "fairness_audit: labels");
  detail::require_finite(p, "fairness_audit: probabilities");
  detail::require_probabilities(p, "fairness_audit: probabilities");
  detail::check_weights(w, n, "fairness_audit: sample weights");
  if (options.calibration_bins < 1) throw InvalidArgument("fairness_audit: calibration_bins must be at least 1");
  const auto groups = static_cast<std::int32_t>(names.size());
  std::vector<std::vector<Index>> members(names.size());
  for (Index i = 0; i < n; ++i) {
    if (code[i] < 0 || code[i] >= groups)
      throw InvalidArgument("fairness_audit: group code at row " + std::to_string(i) + " is " +
                            std::to_string(code[i]) + ", expected 0.." + std::to_string(groups - 1));
    if (w.size() && w[i] == 0.0) continue;
    members[static_cast<std::size_t>(code[i])].push_back(i);
  }
  FairnessReport r;
  for (std::size_t k = 0; k < names.size(); ++k) {
    GroupMetrics m;
    m.group = names[k];
    const auto& rows = members[k];
    m.rows = rows.size();
    m.small = rows.size() < options.min_group_size;
    if (!rows.empty()) {
      const auto size = static_cast<Index>(rows.size());
      Vector gy(size), gp(size), gw(w.size() ? size : 0);
      for (Index i = 0; i < size; ++i) {
        const Index row = rows[static_cast<std::size_t>(i)];
        gy[i] = y[row], gp[i] = p[row];
        if (w.size()) gw[i] = w[row];
      }
      const CalibrationReport cal = calibration_report(gy, gp, gw, options.calibration_bins);
      m.weight = w.size() ? gw.sum() : static_cast<double>(size);
      m.positives = w.size() ? gy.dot(gw) : gy.sum();
      m.brier = brier_score(gy, gp, gw);
      m.ece = cal.ece;
      m.mean_predicted = cal.mean_predicted;
      m.observed_rate = cal.observed_rate;
      if (m.positives > 0.0 && m.positives < m.weight) m.auc = roc_auc(gy, gp, gw);
    }
    r.groups.push_back(std::move(m));
  }
  r.auc = widest(r.groups, [](const GroupMetrics& m, double& v) {
    if (!m.auc) return false;
    v = *m.auc;
    return true;
  });
  r.ece = widest(r.groups, [](const GroupMetrics& m, double& v) {
    v = m.ece;
    return m.rows > 0;
  });
  r.calibration_in_the_large = widest(r.groups, [](const GroupMetrics& m, double& v) {
    v = m.mean_predicted - m.observed_rate;
    return m.rows > 0;
  });
  return r;
}

FairnessReport fairness_audit(const VectorRef& y, const VectorRef& p, const std::vector<std::string>& group,
                              const VectorRef& w, const FairnessOptions& options) {
  detail::require_rows(static_cast<Index>(group.size()), y.size(), "fairness_audit: groups", "the labels");
  std::map<std::string, std::int32_t> index;
  for (const auto& g : group) index.emplace(g, 0);
  std::vector<std::string> names;
  for (auto& kv : index) {
    kv.second = static_cast<std::int32_t>(names.size());
    names.push_back(kv.first);
  }
  IntVector code(static_cast<Index>(group.size()));
  for (std::size_t i = 0; i < group.size(); ++i) code[static_cast<Index>(i)] = index[group[i]];
  return fairness_audit(y, p, code, names, w, options);
}

LIEN_END_NAMESPACE
