// src/risk/logit_solver.hpp — the one Newton solver behind every logit model in lien (private to src/risk).
//
// It minimises the weighted mean logistic loss plus an L2 penalty on the covariate effects,
//     L(alpha, beta) = (1/W) sum_i w_i [softplus(eta_i) - y_i eta_i] + (l2/2) |beta|^2,
//     eta_i = alpha_{g_i} + x_i' beta,
// where g_i picks one of K unpenalised intercepts (K = 1: an ordinary intercept; K = 0: none; K > 1: the
// per-period baseline of the discrete-time survival model) and y_i is a target in [0, 1] (Platt's smoothed
// targets are not 0/1). docs/models.md has the algorithm; the arguments are checked by the callers.
#pragma once

#include <cstdint>

#include "lien/core/config.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE
namespace detail {

struct LogitProblem {
  MatrixView X;                         ///< n x p covariates
  const double* y = nullptr;            ///< n targets in [0, 1]
  const double* w = nullptr;            ///< n weights >= 0, or nullptr for unit weights
  const std::int32_t* group = nullptr;  ///< n intercept indices in [0, K), or nullptr (all in 0)
  int groups = 1;                       ///< K
  double l2 = 0.0;                      ///< penalty on beta only
};

struct LogitSolution {
  Vector theta;       ///< K intercepts, then p coefficients
  FitReport report;
  bool nonfinite_at_start = false;  ///< loss or gradient non-finite at the start: look for NaN/inf in X
};

LogitSolution solve_logit(const LogitProblem& problem, const SolverOptions& options);

/// Throws InvalidArgument naming `where` and the field when an option is out of range.
void check_solver_options(const SolverOptions& options, const char* where);
void check_l2(double l2, const char* where);

}  // namespace detail
LIEN_END_NAMESPACE
