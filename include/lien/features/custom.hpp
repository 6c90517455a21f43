// lien/features/custom.hpp — a user's own numeric features (e.g. from an HR system) merged into a matrix.
//
// A custom feature is a column the built-in extractor knows nothing about: an id, a unit, a description and
// values keyed by matrix row, by enrolment id (one value for every row of that enrolment), or by
// (enrolment id, as_of) for landmarked matrices. Merging checks everything before it changes the matrix,
// so a bad feature leaves the matrix as it was: ids must be snake_case, new, not a built-in id and not the
// name of a protected attribute; keys must name enrolments of the cohort, once; missing and NaN values follow
// the feature's MissingPolicy; infinities are always refused.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/features/matrix.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

/// What to do with a row that has no value, or whose value is NaN.
enum class MissingPolicy : std::uint8_t {
  error,          ///< refuse the feature, naming the first such row
  fill,           ///< write fill_value
  fill_and_flag   ///< write fill_value and add a column `<id>_missing` (1 where the value was missing)
};

struct CustomFeature {
  std::string id;           ///< snake_case: [a-z][a-z0-9_]*, at most 64 characters
  std::string unit;
  std::string description;  ///< English, one sentence
  /// Values. Keyed by row (values.size() == matrix rows) when enrolment_ids is empty; otherwise
  /// values[i] belongs to enrolment_ids[i] — at every as_of, or only at as_of[i] when as_of is not empty.
  std::vector<double> values;
  std::vector<std::string> enrolment_ids;
  std::vector<Time> as_of;
  MissingPolicy missing = MissingPolicy::error;
  double fill_value = 0;
};

/// Appends the custom features to `m` (in order) after checking all of them. Throws InvalidArgument (bad id,
/// clash, size mismatch, duplicate key, infinite value, missing value under MissingPolicy::error) or NotFound
/// (an enrolment id the cohort does not have), naming the feature and the entry; `m` is then unchanged.
void add_custom_features(FeatureMatrix& m, const Cohort& c, const std::vector<CustomFeature>& features);

LIEN_END_NAMESPACE
