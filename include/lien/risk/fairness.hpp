// lien/risk/fairness.hpp — a fairness audit of risk scores across the groups of a protected attribute.
//
// The caller passes one group label per row (gender, age band, disability...); the attribute is read here and
// nowhere else — it never enters a model. For each group: size, positives, AUC, Brier score, expected
// calibration error and calibration in the large (mean predicted vs observed rate); then the largest gap
// between groups for AUC, ECE and calibration in the large. Groups with fewer rows than min_group_size are
// reported but flagged `small` and left out of the gaps, as is a group's AUC when it holds a single class.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

struct FairnessOptions {
  std::size_t min_group_size = 50;
  int calibration_bins = 10;
};

struct GroupMetrics {
  std::string group;
  std::size_t rows = 0;
  double weight = 0.0;
  double positives = 0.0;             ///< weighted count of label 1
  std::optional<double> auc;          ///< absent when the group holds one class only
  double brier = 0.0;
  double ece = 0.0;
  double mean_predicted = 0.0;
  double observed_rate = 0.0;
  bool small = false;                 ///< rows < min_group_size: reported, left out of the gaps
};

/// The largest difference of one metric between two eligible groups.
struct Gap {
  double value = 0.0;                 ///< highest - lowest; 0 with fewer than two eligible groups
  std::string lowest, highest;        ///< the groups at either end (empty when fewer than two)
  std::size_t groups_compared = 0;
};

struct FairnessReport {
  std::vector<GroupMetrics> groups;   ///< in group order (codes, or labels sorted)
  Gap auc;
  Gap ece;
  Gap calibration_in_the_large;       ///< of mean_predicted - observed_rate
};

/// Groups given as labels; groups are reported in sorted label order.
FairnessReport fairness_audit(const VectorRef& y, const VectorRef& p, const std::vector<std::string>& group,
                              const VectorRef& sample_weight = Vector(), const FairnessOptions& options = {});

/// Groups given as codes 0 .. names.size() - 1 (a factorised column); a group without rows is reported with
/// rows = 0 and flagged small.
FairnessReport fairness_audit(const VectorRef& y, const VectorRef& p, const IntVectorRef& group_code,
                              const std::vector<std::string>& names, const VectorRef& sample_weight = Vector(),
                              const FairnessOptions& options = {});

LIEN_END_NAMESPACE
