// lien/analytics/survival.hpp — Kaplan–Meier curves with confidence intervals, and the log-rank test.
//
// The estimator and its intervals are lifelines' KaplanMeierFitter defaults, so a community manager's numbers
// match what a data scientist gets in a notebook: the timeline is 0 followed by every distinct duration (events
// and censorings), S(t) = exp(sum log((n_i - d_i) / n_i)), and the 1 - alpha interval is the exponential
// Greenwood one (log(-log S) transform, Greenwood's variance sum d_i / (n_i (n_i - d_i)), terms with
// n_i == d_i left out). The log-rank test is lifelines' logrank_test (one degree of freedom, chi-square
// p-value). tests/data/analytics/make_reference.py pins both against lifelines.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"

LIEN_BEGIN_NAMESPACE

/// A Kaplan–Meier estimate. Every vector has one entry per timeline point.
struct KaplanMeier {
  double alpha = 0.05;                 ///< the intervals are 1 - alpha
  std::vector<double> time;            ///< 0, then the distinct durations in increasing order
  std::vector<std::uint32_t> at_risk;  ///< subjects with duration >= time
  std::vector<std::uint32_t> events;   ///< events at time
  std::vector<std::uint32_t> censored; ///< censorings at time
  std::vector<double> survival;        ///< S(time)
  std::vector<double> lower, upper;    ///< exponential Greenwood interval of S(time)
  std::uint32_t subjects = 0;

  /// S(t) of the right-continuous step function (1 before the first point).
  double survival_at(double t) const noexcept;
  /// The first time S drops to 0.5 or below (lifelines' median_survival_time_); +infinity when it never does.
  double median() const noexcept;
};

/// Kaplan–Meier estimate of durations (>= 0) with `observed[i]` != 0 for an event, 0 for a censoring.
/// Throws InvalidArgument for sizes that differ, a negative or non-finite duration, or alpha outside (0, 1).
/// An empty sample gives the single point (0, 1).
KaplanMeier kaplan_meier(Span<double> durations, Span<std::uint8_t> observed, double alpha = 0.05);

/// Two-sample log-rank test.
struct LogRank {
  double statistic = 0;  ///< (O_a - E_a)^2 / V, chi-square with one degree of freedom
  double p_value = 1;
  double observed_a = 0, expected_a = 0;  ///< events of sample a, and expected under equal hazards
  double observed_b = 0, expected_b = 0;
  double variance = 0;
};

/// The log-rank test of samples a and b (lifelines.statistics.logrank_test). With no event at all, or a
/// null variance, the statistic is 0 and the p-value 1. Throws InvalidArgument as kaplan_meier.
LogRank logrank_test(Span<double> durations_a, Span<std::uint8_t> observed_a, Span<double> durations_b,
                     Span<std::uint8_t> observed_b);

LIEN_END_NAMESPACE
