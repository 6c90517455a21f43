// src/risk/model_scoring.cpp — scoring with a fitted RiskModel: features, logit and drivers, calibration, band,
// and the survival probabilities, row by row into reusable RiskScores.
//
// Everything here is const on the model; per-call scratch lives in a Workspace on the caller's stack, so
// threads sharing one model never share a byte they write.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "lien/core/error.hpp"
#include "lien/features/custom.hpp"
#include "lien/features/extract.hpp"
#include "lien/risk/model.hpp"

LIEN_BEGIN_NAMESPACE

struct RiskModel::Workspace {
  std::vector<double> z;       // standardised row
  Explanation explanation;
  std::vector<double> log_keep;  // per baseline bin: log(1 - hazard) of this row, for bins [first_bin, ready)
  Index first_bin = 0, ready = 0;
  double lp = 0.0;  // survival linear predictor of this row
};

namespace {

double softplus(double x) noexcept { return x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

std::string ids_of(const FeatureSpec& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + s[i].id;
  return out;
}

}  // namespace

void RiskModel::check_fitted(const char* what) const {
  if (!fitted_) throw InvalidArgument(std::string(what) + ": the model is not fitted (fit() or load() one first)");
}

void RiskModel::finish() {
  explainer_ = Explainer(logistic_.intercept(), logistic_.coefficients());
  fitted_ = true;
}

double RiskModel::log_survival(double a, double b, double lp, Workspace& ws) const {
  // Bins are ranges of whole periods [start_j, start_{j+1}); the last runs forever. Period k's hazard acts at a
  // constant rate through it, so a fraction f of the period keeps (1 - h_k)^f.
  const std::vector<std::int32_t>& starts = survival_.bin_starts();
  const Vector& alpha = survival_.baseline();
  const Index bins = static_cast<Index>(starts.size());
  double acc = 0.0;
  for (Index j = ws.first_bin; j < bins && static_cast<double>(starts[static_cast<std::size_t>(j)]) < b; ++j) {
    const double lo = std::max(a, static_cast<double>(starts[static_cast<std::size_t>(j)]));
    const double hi = j + 1 < bins ? std::min(b, static_cast<double>(starts[static_cast<std::size_t>(j + 1)])) : b;
    if (!(hi > lo)) continue;
    while (ws.ready <= j) {
      ws.log_keep[static_cast<std::size_t>(ws.ready)] = -softplus(alpha[ws.ready] + lp);
      ++ws.ready;
    }
    acc += (hi - lo) * ws.log_keep[static_cast<std::size_t>(j)];
  }
  return acc;
}

void RiskModel::score_row(const double* x, Time start, Time planned_end, Time as_of, EnrolmentId e, std::size_t top_k,
                          const std::vector<int>& horizons, const std::optional<Lang>& lang, Workspace& ws,
                          RiskScore& out) const {
  double* z = ws.z.data();
  scaler_.transform_row(x, 1, z);
  explainer_.explain(z, 1, top_k, ws.explanation);
  out.enrolment = e;
  out.as_of = as_of;
  out.logit = ws.explanation.logit;
  out.probability = calibrate(out.logit);
  out.band = options_.bands.band(out.probability);
  const std::vector<Contribution>& c = ws.explanation.drivers;
  out.drivers.resize(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    Driver& d = out.drivers[i];
    const auto col = static_cast<std::size_t>(c[i].feature);
    d.feature.assign(spec_[col].id);  // reuses the string's buffer when the score is reused
    d.value = x[col];
    d.contribution = c[i].value;
    d.rank = static_cast<std::uint32_t>(i + 1);
    if (lang) d.sentence = describe(d, *lang);
    else d.sentence.clear();
  }
  if (!has_survival_) {
    out.withdraw_within.clear();
    out.withdraw_by_end = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const double period_ms = static_cast<double>(options_.survival.period_days) * static_cast<double>(kMsPerDay);
  const double a = static_cast<double>(as_of - start) / period_ms;
  ws.lp = survival_.linear_predictor(z);
  ws.first_bin = survival_.bin_of(static_cast<std::int32_t>(std::min(a, 2e9)));
  ws.ready = ws.first_bin;
  out.withdraw_within.resize(horizons.size());
  for (std::size_t h = 0; h < horizons.size(); ++h) {
    const double b = a + static_cast<double>(horizons[h]) / options_.survival.period_days;
    out.withdraw_within[h] = -std::expm1(log_survival(a, b, ws.lp, ws));
  }
  if (planned_end == kNoTime) out.withdraw_by_end = std::numeric_limits<double>::quiet_NaN();
  else if (planned_end <= as_of) out.withdraw_by_end = 0.0;
  else out.withdraw_by_end = -std::expm1(log_survival(a, static_cast<double>(planned_end - start) / period_ms, ws.lp, ws));
}

FeatureMatrix RiskModel::features(const Cohort& c, Span<Landmark> rows, const CustomFeatureSource& custom) const {
  check_fitted("RiskModel::features");
  FeatureMatrix m = extract(c, rows, options_.features);
  const bool wants_custom = m.spec.size() < spec_.size();
  if (wants_custom && !custom) {
    std::string missing;
    for (std::size_t j = m.spec.size(); j < spec_.size(); ++j) missing += (missing.empty() ? "'" : ", '") + spec_[j].id + "'";
    throw InvalidArgument("RiskModel: the model was trained with custom features " + missing +
                          "; pass their source (ScoreOptions::custom)");
  }
  if (!wants_custom && custom)
    throw InvalidArgument("RiskModel: the model was trained without custom features, but a custom feature source was "
                          "passed");
  if (custom) add_custom_features(m, c, custom(c, rows));
  if (m.spec != spec_)
    throw InvalidArgument("RiskModel: the features given (" + ids_of(m.spec) + ") differ from the model's (" +
                          ids_of(spec_) + ")");
  return m;
}

void RiskModel::score(const Cohort& c, const FeatureMatrix& m, const ScoreOptions& o,
                      std::vector<RiskScore>& out) const {
  check_fitted("RiskModel::score");
  if (m.spec != spec_)
    throw InvalidArgument("RiskModel::score: the matrix's features (" + ids_of(m.spec) + ") differ from the model's (" +
                          ids_of(spec_) + ")");
  const std::size_t n = m.rows();
  if (static_cast<std::size_t>(m.values.rows()) != n || m.as_of.size() != n ||
      static_cast<std::size_t>(m.values.cols()) != spec_.size())
    throw InvalidArgument("RiskModel::score: the matrix's values, enrolments and as_of disagree in size");
  std::vector<int> horizons = o.horizons_days;
  if (horizons.empty()) horizons.push_back(options_.horizon_days);
  for (std::size_t h = 0; h < horizons.size(); ++h)
    if (horizons[h] < 1 || horizons[h] > 36500)
      throw InvalidArgument("RiskModel::score: horizon " + std::to_string(h) + " is " + std::to_string(horizons[h]) +
                            " days; horizons must be in 1..36500");
  for (std::size_t i = 0; i < n; ++i) {
    if (m.enrolments[i] >= c.enrolment_count())
      throw InvalidArgument("RiskModel::score: row " + std::to_string(i) + ": enrolment index " +
                            std::to_string(m.enrolments[i]) + " is not in the cohort");
    if (m.as_of[i] == kNoTime || m.as_of[i] < c.enrolment(m.enrolments[i]).start)
      throw InvalidArgument("RiskModel::score: row " + std::to_string(i) + ": as_of is missing or before enrolment '" +
                            c.enrolment(m.enrolments[i]).id + "' starts");
  }
  const std::size_t top_k = o.top_k.value_or(options_.top_k);
  Workspace ws;
  ws.z.resize(spec_.size());
  ws.log_keep.resize(survival_.bin_starts().size());
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Enrolment& en = c.enrolment(m.enrolments[i]);
    score_row(m.values.row(static_cast<Index>(i)).data(), en.start, en.planned_end, m.as_of[i], m.enrolments[i], top_k,
              horizons, o.lang, ws, out[i]);
  }
}

std::vector<RiskScore> RiskModel::score(const Cohort& c, Span<Landmark> rows, const ScoreOptions& o) const {
  check_fitted("RiskModel::score");
  const FeatureMatrix m = features(c, rows, o.custom);
  std::vector<RiskScore> out;
  score(c, m, o, out);
  return out;
}

std::vector<RiskScore> RiskModel::score(const Cohort& c, Time as_of, const ScoreOptions& o) const {
  check_fitted("RiskModel::score");
  if (as_of == kNoTime || utc_day(as_of) < kMinDay || utc_day(as_of) > kMaxDay)
    throw InvalidArgument("RiskModel::score: as_of is missing or outside 1970-2199");
  std::vector<Landmark> rows;
  for (EnrolmentId e : population(c, as_of)) rows.push_back({e, as_of});
  return score(c, Span<Landmark>(rows), o);
}

std::string RiskModel::describe(const Driver& d, Lang lang) const {
  const std::size_t j = spec_.index_of(d.feature);
  if (j == FeatureSpec::npos) throw NotFound("RiskModel::describe: the model has no feature '" + d.feature + "'");
  const FeatureColumn& col = spec_[j];
  if (col.builtin) return lien::describe(col.id, d.value, lang);
  if (!std::isfinite(d.value)) throw InvalidArgument("RiskModel::describe: the value of '" + d.feature + "' is not finite");
  std::string s = col.description.empty() ? col.id : col.description;
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  s += ": " + format_value(ValueFormat::decimal, d.value, lang);
  if (!col.unit.empty()) s += " " + col.unit;
  return s;
}

LIEN_END_NAMESPACE
