// src/risk/logistic.cpp — LogisticRegression: argument checks, then the shared Newton solver.
#include "lien/risk/logistic.hpp"

#include <cmath>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"
#include "logit_solver.hpp"

LIEN_BEGIN_NAMESPACE

LogisticRegression& LogisticRegression::fit(MatrixView Z, const VectorRef& y, const VectorRef& w,
                                            const ColumnNames& names) {
  const char* where = "LogisticRegression::fit";
  detail::check_l2(options_.l2, where);
  detail::check_solver_options(options_.solver, where);
  const Index n = Z.rows();
  if (n == 0) throw InvalidArgument(std::string(where) + ": no rows");
  detail::require_rows(y.size(), n, "LogisticRegression::fit: labels", "the feature matrix");
  detail::require_binary(y, "LogisticRegression::fit: labels");
  detail::check_weights(w, n, "LogisticRegression::fit: sample weights");
  detail::require_both_classes(y, w, "LogisticRegression::fit: labels");

  detail::LogitProblem pb;
  pb.X = Z;
  pb.y = y.data();
  pb.w = w.size() ? w.data() : nullptr;
  pb.groups = options_.fit_intercept ? 1 : 0;
  pb.l2 = options_.l2;
  detail::LogitSolution sol = detail::solve_logit(pb, options_.solver);
  if (sol.nonfinite_at_start) detail::require_finite(Z, "LogisticRegression::fit: feature matrix", names);
  report_ = sol.report;
  intercept_ = options_.fit_intercept ? sol.theta[0] : 0.0;
  beta_ = sol.theta.tail(Z.cols());
  return *this;
}

LogisticRegression LogisticRegression::from_parameters(double intercept, Vector coefficients) {
  if (!std::isfinite(intercept)) throw InvalidArgument("LogisticRegression::from_parameters: intercept is not finite");
  for (Index j = 0; j < coefficients.size(); ++j)
    if (!std::isfinite(coefficients[j]))
      throw InvalidArgument("LogisticRegression::from_parameters: coefficient " + std::to_string(j) + " is not finite");
  LogisticRegression m;
  m.intercept_ = intercept;
  m.beta_ = std::move(coefficients);
  m.report_.info = FitInfo::success;
  return m;
}

Vector LogisticRegression::decision_function(MatrixView Z) const {
  if (Z.cols() != beta_.size())
    throw InvalidArgument("LogisticRegression: the matrix has " + std::to_string(Z.cols()) +
                          " columns, the model has " + std::to_string(beta_.size()) + " coefficients");
  Vector out(Z.rows());
  if (Z.row_stride() == 1) {  // column by column: the same additions, in the same order, as decision()
    out.setConstant(intercept_);
    for (Index j = 0; j < Z.cols(); ++j) {
      const double b = beta_[j];
      const double* c = Z.data() + j * Z.col_stride();
      for (Index i = 0; i < Z.rows(); ++i) out[i] += b * c[i];
    }
  } else {
    for (Index i = 0; i < Z.rows(); ++i) out[i] = decision(Z.row(i), Z.col_stride());
  }
  return out;
}

Vector LogisticRegression::predict_proba(MatrixView Z) const {
  Vector out = decision_function(Z);
  for (Index i = 0; i < out.size(); ++i) out[i] = sigmoid(out[i]);
  return out;
}

LIEN_END_NAMESPACE
