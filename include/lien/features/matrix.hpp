// lien/features/matrix.hpp — a feature matrix: one row per (enrolment, as_of), one column per feature.
//
// The matrix carries what is needed to use it without the extractor at hand: the enrolment and the as_of
// instant of every row, and the spec (feature ids, units and descriptions in column order) that a model
// file records and checks when it is loaded. Values are doubles in a row-major Eigen matrix: extraction
// writes a row at a time and scoring reads a row at a time, and every Eigen expression (X * w, column means)
// works on it as on any other matrix. Extraction guarantees there is no NaN or infinity in it.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/error.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

/// One column of a feature matrix.
struct FeatureColumn {
  std::string id;           ///< a built-in id (registry.hpp) or a user's custom feature id
  std::string unit;
  std::string description;  ///< English description
  bool builtin = true;
};

/// The columns of a feature matrix, in order.
class FeatureSpec {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  std::size_t size() const noexcept { return columns_.size(); }
  bool empty() const noexcept { return columns_.empty(); }
  const FeatureColumn& operator[](std::size_t i) const { return columns_[i]; }
  const std::vector<FeatureColumn>& columns() const noexcept { return columns_; }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    out.reserve(columns_.size());
    for (const auto& c : columns_) out.push_back(c.id);
    return out;
  }
  /// Column of feature `id`, or npos.
  std::size_t index_of(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (columns_[i].id == id) return i;
    return npos;
  }
  /// Column of feature `id`; throws NotFound naming it.
  std::size_t at(std::string_view id) const {
    const std::size_t i = index_of(id);
    if (i == npos) throw NotFound("feature spec: no column '" + std::string(id) + "'");
    return i;
  }
  /// Appends a column; throws InvalidArgument when the id is already a column.
  void push_back(FeatureColumn c) {
    if (index_of(c.id) != npos) throw InvalidArgument("feature spec: column '" + c.id + "' appears twice");
    columns_.push_back(std::move(c));
  }
  bool operator==(const FeatureSpec& o) const {
    if (columns_.size() != o.columns_.size()) return false;
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (columns_[i].id != o.columns_[i].id) return false;
    return true;
  }
  bool operator!=(const FeatureSpec& o) const { return !(*this == o); }

 private:
  std::vector<FeatureColumn> columns_;
};

/// Feature values: one row per (enrolment, as_of), row-major.
using FeatureValues = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct FeatureMatrix {
  FeatureValues values;                 ///< rows x spec.size()
  std::vector<EnrolmentId> enrolments;  ///< the enrolment of each row
  std::vector<Time> as_of;              ///< the instant each row was computed at
  FeatureSpec spec;                     ///< the feature of each column

  std::size_t rows() const noexcept { return enrolments.size(); }
  std::size_t cols() const noexcept { return spec.size(); }
  /// The column of feature `id` (throws NotFound when absent).
  FeatureValues::ConstColXpr column(std::string_view id) const {
    return values.col(static_cast<Eigen::Index>(spec.at(id)));
  }
  double at(std::size_t row, std::string_view id) const {
    return values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(spec.at(id)));
  }
};

LIEN_END_NAMESPACE
