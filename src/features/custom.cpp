// Merging a user's own features into a feature matrix, checked before anything is written.
#include <algorithm>
#include <cmath>
#include <tuple>

#include "lien/core/error.hpp"
#include "lien/features/custom.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/people.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

bool snake_case(const std::string& id) {
  if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char ch : id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  return true;
}

struct Key {
  EnrolmentId e;
  Time as_of;
  std::size_t entry;
};

}  // namespace

void add_custom_features(FeatureMatrix& m, const Cohort& c, const std::vector<CustomFeature>& features) {
  const std::size_t rows = m.rows();
  FeatureSpec spec = m.spec;  // grows as features are checked, so clashes between new features are caught too
  std::vector<std::vector<double>> new_cols;
  for (const CustomFeature& f : features) {
    const std::string what = "custom feature '" + f.id + "': ";
    if (!snake_case(f.id))
      throw InvalidArgument(what + "id must be snake_case ([a-z][a-z0-9_]*, at most 64 characters)");
    if (find_feature(f.id)) throw InvalidArgument(what + "id is a built-in feature id");
    if (is_protected_attribute(f.id))
      throw InvalidArgument(what + "id names a protected attribute; protected attributes are never features");
    if (spec.index_of(f.id) != FeatureSpec::npos) throw InvalidArgument(what + "the matrix already has this column");
    const std::string flag_id = f.id + "_missing";
    if (f.missing == MissingPolicy::fill_and_flag &&
        (find_feature(flag_id) || spec.index_of(flag_id) != FeatureSpec::npos))
      throw InvalidArgument(what + "its missing-value column '" + flag_id + "' clashes with an existing column");
    if (f.missing != MissingPolicy::error && !std::isfinite(f.fill_value))
      throw InvalidArgument(what + "fill_value must be a finite number");

    std::vector<double> col(rows, std::numeric_limits<double>::quiet_NaN());
    if (f.enrolment_ids.empty()) {
      if (!f.as_of.empty()) throw InvalidArgument(what + "as_of is given without enrolment_ids");
      if (f.values.size() != rows)
        throw InvalidArgument(what + std::to_string(f.values.size()) + " values for a matrix of " +
                              std::to_string(rows) + " rows");
      col = f.values;
    } else {
      if (f.values.size() != f.enrolment_ids.size())
        throw InvalidArgument(what + std::to_string(f.values.size()) + " values for " +
                              std::to_string(f.enrolment_ids.size()) + " enrolment ids");
      const bool by_instant = !f.as_of.empty();
      if (by_instant && f.as_of.size() != f.enrolment_ids.size())
        throw InvalidArgument(what + std::to_string(f.as_of.size()) + " as_of instants for " +
                              std::to_string(f.enrolment_ids.size()) + " enrolment ids");
      std::vector<Key> keys;
      keys.reserve(f.enrolment_ids.size());
      for (std::size_t i = 0; i < f.enrolment_ids.size(); ++i) {
        const EnrolmentId e = c.find_enrolment(f.enrolment_ids[i]);
        if (e == kNoId)
          throw NotFound(what + "entry " + std::to_string(i) + ": unknown enrolment '" + f.enrolment_ids[i] + "'");
        keys.push_back({e, by_instant ? f.as_of[i] : kNoTime, i});
      }
      std::sort(keys.begin(), keys.end(),
                [](const Key& a, const Key& b) { return std::tie(a.e, a.as_of) < std::tie(b.e, b.as_of); });
      for (std::size_t i = 1; i < keys.size(); ++i)
        if (keys[i].e == keys[i - 1].e && keys[i].as_of == keys[i - 1].as_of)
          throw InvalidArgument(what + "entries " + std::to_string(keys[i - 1].entry) + " and " +
                                std::to_string(keys[i].entry) + " give two values for enrolment '" +
                                f.enrolment_ids[keys[i].entry] + "'" +
                                (by_instant ? " at " + format_timestamp_utc(keys[i].as_of) : std::string()));
      for (std::size_t r = 0; r < rows; ++r) {
        const Key want{m.enrolments[r], by_instant ? m.as_of[r] : kNoTime, 0};
        const auto it = std::lower_bound(keys.begin(), keys.end(), want, [](const Key& a, const Key& b) {
          return std::tie(a.e, a.as_of) < std::tie(b.e, b.as_of);
        });
        if (it != keys.end() && it->e == want.e && it->as_of == want.as_of) col[r] = f.values[it->entry];
      }
    }
    std::vector<double> flag;
    if (f.missing == MissingPolicy::fill_and_flag) flag.assign(rows, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
      if (std::isinf(col[r]))
        throw InvalidArgument(what + "row " + std::to_string(r) + " (enrolment '" + c.enrolment(m.enrolments[r]).id +
                              "') has an infinite value");
      if (!std::isnan(col[r])) continue;
      if (f.missing == MissingPolicy::error)
        throw InvalidArgument(what + "row " + std::to_string(r) + " (enrolment '" + c.enrolment(m.enrolments[r]).id +
                              "' at " + format_timestamp_utc(m.as_of[r]) +
                              ") has no value or NaN; choose MissingPolicy::fill or fill_and_flag");
      col[r] = f.fill_value;
      if (!flag.empty()) flag[r] = 1.0;
    }
    spec.push_back({f.id, f.unit, f.description, false});
    new_cols.push_back(std::move(col));
    if (!flag.empty()) {
      spec.push_back({flag_id, "flag", "1 when custom feature '" + f.id + "' had no value", false});
      new_cols.push_back(std::move(flag));
    }
  }
  const Eigen::Index old_cols = m.values.cols();
  m.values.conservativeResize(static_cast<Eigen::Index>(rows), old_cols + static_cast<Eigen::Index>(new_cols.size()));
  for (std::size_t j = 0; j < new_cols.size(); ++j)
    for (std::size_t r = 0; r < rows; ++r)
      m.values(static_cast<Eigen::Index>(r), old_cols + static_cast<Eigen::Index>(j)) = new_cols[j][r];
  m.spec = std::move(spec);
}

LIEN_END_NAMESPACE
