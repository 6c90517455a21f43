// src/risk/platt.cpp — Platt scaling through the shared Newton solver (one feature, no penalty).
#include "lien/risk/platt.hpp"

#include <cmath>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"
#include "logit_solver.hpp"

LIEN_BEGIN_NAMESPACE

PlattCalibrator& PlattCalibrator::fit(const VectorRef& s, const VectorRef& y, const VectorRef& w) {
  const char* where = "PlattCalibrator::fit";
  detail::check_solver_options(options_.solver, where);
  const Index n = s.size();
  if (n == 0) throw InvalidArgument(std::string(where) + ": no rows");
  detail::require_rows(y.size(), n, "PlattCalibrator::fit: labels", "the scores");
  detail::require_finite(s, "PlattCalibrator::fit: scores");
  detail::require_binary(y, "PlattCalibrator::fit: labels");
  detail::check_weights(w, n, "PlattCalibrator::fit: sample weights");
  detail::require_both_classes(y, w, "PlattCalibrator::fit: labels");

  Vector target = y;
  if (options_.target_smoothing) {
    double pos = 0.0, neg = 0.0;
    for (Index i = 0; i < n; ++i) (y[i] > 0.5 ? pos : neg) += w.size() ? w[i] : 1.0;
    const double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
    for (Index i = 0; i < n; ++i) target[i] = y[i] > 0.5 ? hi : lo;
  }
  detail::LogitProblem pb;
  pb.X = MatrixView(s.data(), n, 1, 1, n);
  pb.y = target.data();
  pb.w = w.size() ? w.data() : nullptr;
  pb.groups = 1;
  pb.l2 = 0.0;
  const detail::LogitSolution sol = detail::solve_logit(pb, options_.solver);
  report_ = sol.report;
  b_ = sol.theta[0];
  a_ = sol.theta[1];
  return *this;
}

PlattCalibrator PlattCalibrator::from_parameters(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b))
    throw InvalidArgument("PlattCalibrator::from_parameters: a and b must be finite");
  PlattCalibrator c;
  c.a_ = a;
  c.b_ = b;
  c.report_.info = FitInfo::success;
  return c;
}

Vector PlattCalibrator::predict(const VectorRef& s) const {
  Vector out(s.size());
  for (Index i = 0; i < s.size(); ++i) out[i] = predict(s[i]);
  return out;
}

LIEN_END_NAMESPACE
