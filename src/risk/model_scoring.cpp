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
  std::vector<double> z;  // standardised row
  Explanation explanation;
  double probability = 0.0, by_end = 0.0;
  std::vector<double> within;  // per horizon
  std::vector<double> ends, keep;  // survival queries (in periods from the start) and their survival
  std::vector<std::size_t> order;      // the queries in increasing order
};

namespace {

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
  exp_baseline_.clear();
  for (Index j = 0; j < survival_.baseline().size(); ++j) exp_baseline_.push_back(std::exp(survival_.baseline()[j]));
  fitted_ = true;
}

void RiskModel::survival_walk(double a, double lp, std::size_t queries, Workspace& ws) const {
  // Bins are ranges of whole periods [start_j, start_{j+1}); the last runs forever. Period m has hazard
  // h = sigmoid(alpha_j + lp); within a period a withdrawal is equally likely at any moment (the uniform
  // distribution of events of actuarial life tables), so the survival from period 0 to a time t = k + f
  // (k whole periods, 0 <= f < 1) is G(t) = prod_{m<k} (1 - h_m) * (1 - f h_k), and from a to t it is
  // G(t) / G(a). One walk from a serves every query, with products only: one exp() per row.
  const std::vector<std::int32_t>& starts = survival_.bin_starts();
  const Vector& alpha = survival_.baseline();
  const auto bins = static_cast<Index>(starts.size());
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const double e_lp = std::exp(lp);
  double keep = 1.0, hazard = 0.0;  // 1 - h and h of the current bin
  const auto load = [&](Index j) {
    double e = exp_baseline_[static_cast<std::size_t>(j)] * e_lp;  // exp(alpha_j + lp)
    if (!(e > 0.0 && e < kInf)) e = std::exp(alpha[j] + lp);      // a product that under- or overflowed
    keep = 1.0 / (1.0 + e);
    hazard = e < kInf ? e * keep : 1.0;
  };
  const double k0 = std::floor(a);
  Index j = survival_.bin_of(static_cast<std::int32_t>(std::min(k0, 2e9)));
  load(j);
  const double at_a = 1.0 - (a - k0) * hazard;  // G(a) / G(k0) > 0
  double whole = 1.0;  // prod of (1 - h_m) for m in [k0, period)
  double period = k0;
  for (std::size_t q = 0; q < queries; ++q) {
    const std::size_t qi = ws.order[q];
    const double t = ws.ends[qi];
    const double k = std::floor(t);
    while (period < k) {  // whole periods up to k, a bin at a time
      const double bin_end = j + 1 < bins ? static_cast<double>(starts[static_cast<std::size_t>(j + 1)]) : kInf;
      if (!(period < bin_end)) {
        load(++j);
        continue;
      }
      const double n = std::min(k, bin_end) - period;
      if (n <= 16.0) {
        for (int r = 0; r < static_cast<int>(n); ++r) whole *= keep;
      } else {
        whole *= std::pow(keep, n);
      }
      period += n;
    }
    if (!(period < (j + 1 < bins ? static_cast<double>(starts[static_cast<std::size_t>(j + 1)]) : kInf))) load(++j);
    ws.keep[qi] = whole * (1.0 - (t - k) * hazard) / at_a;
  }
}

void RiskModel::evaluate_row(const double* x, Time start, Time planned_end, Time as_of, std::size_t top_k,
                             const std::vector<int>& horizons, Workspace& ws) const {
  // Standardise as StandardScaler::transform_row does (same operations, same bits), in a loop the compiler can
  // vectorise: unit stride and no aliasing.
  double* __restrict z = ws.z.data();
  const double* __restrict mean = scaler_.mean().data();
  const double* __restrict scale = scaler_.scale().data();
  const std::size_t p = spec_.size();
  for (std::size_t j = 0; j < p; ++j) z[j] = (x[j] - mean[j]) / scale[j];
  explainer_.explain(z, 1, top_k, ws.explanation);
  ws.probability = calibrate(ws.explanation.logit);
  const std::size_t nh = horizons.size();
  if (!has_survival_) {
    ws.by_end = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const double period_ms = static_cast<double>(options_.survival.period_days) * static_cast<double>(kMsPerDay);
  const double a = static_cast<double>(as_of - start) / period_ms;
  std::size_t queries = nh;
  for (std::size_t h = 0; h < nh; ++h) ws.ends[h] = a + static_cast<double>(horizons[h]) / options_.survival.period_days;
  const bool by_end = planned_end != kNoTime && planned_end > as_of;
  if (by_end) ws.ends[queries++] = static_cast<double>(planned_end - start) / period_ms;
  for (std::size_t k = 0; k < queries; ++k) {  // insertion sort: a handful of queries, usually in order already
    std::size_t at = k;
    for (; at > 0 && ws.ends[ws.order[at - 1]] > ws.ends[k]; --at) ws.order[at] = ws.order[at - 1];
    ws.order[at] = k;
  }
  // The covariate part in four lanes (a fixed order, so the same bits every time): half the latency of one chain.
  const double* __restrict beta = survival_.coefficients().data();
  double lane[4] = {0.0, 0.0, 0.0, 0.0};
  std::size_t j = 0;
  for (; j + 4 <= p; j += 4)
    for (int l = 0; l < 4; ++l) lane[l] += beta[j + static_cast<std::size_t>(l)] * z[j + static_cast<std::size_t>(l)];
  for (; j < p; ++j) lane[0] += beta[j] * z[j];
  survival_walk(a, (lane[0] + lane[1]) + (lane[2] + lane[3]), queries, ws);
  for (std::size_t h = 0; h < nh; ++h) ws.within[h] = 1.0 - ws.keep[h];
  if (planned_end == kNoTime) ws.by_end = std::numeric_limits<double>::quiet_NaN();
  else ws.by_end = by_end ? 1.0 - ws.keep[nh] : 0.0;
}

std::size_t RiskModel::prepare(const Cohort& c, const FeatureMatrix& m, const ScoreOptions& o, std::vector<int>& horizons,
                               Workspace& ws) const {
  check_fitted("RiskModel::score");
  if (m.spec != spec_)
    throw InvalidArgument("RiskModel::score: the matrix's features (" + ids_of(m.spec) + ") differ from the model's (" +
                          ids_of(spec_) + ")");
  const std::size_t n = m.rows();
  if (static_cast<std::size_t>(m.values.rows()) != n || m.as_of.size() != n ||
      static_cast<std::size_t>(m.values.cols()) != spec_.size())
    throw InvalidArgument("RiskModel::score: the matrix's values, enrolments and as_of disagree in size");
  horizons = o.horizons_days;
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
  ws.z.resize(spec_.size());
  const std::size_t queries = horizons.size() + 1;
  ws.ends.resize(queries);
  ws.keep.resize(queries);
  ws.order.resize(queries);
  ws.within.assign(horizons.size(), std::numeric_limits<double>::quiet_NaN());
  const std::size_t top_k = o.top_k.value_or(options_.top_k);
  return top_k == 0 || top_k > spec_.size() ? spec_.size() : top_k;
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
  Workspace ws;
  std::vector<int> horizons;
  const std::size_t top_k = prepare(c, m, o, horizons, ws);
  const std::size_t n = m.rows();
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Enrolment& en = c.enrolment(m.enrolments[i]);
    const double* x = m.values.row(static_cast<Index>(i)).data();
    evaluate_row(x, en.start, en.planned_end, m.as_of[i], top_k, horizons, ws);
    RiskScore& r = out[i];
    r.enrolment = m.enrolments[i];
    r.as_of = m.as_of[i];
    r.logit = ws.explanation.logit;
    r.probability = ws.probability;
    r.band = options_.bands.band(r.probability);
    const std::vector<Contribution>& contributions = ws.explanation.drivers;
    r.drivers.resize(contributions.size());
    for (std::size_t k = 0; k < contributions.size(); ++k) {
      Driver& d = r.drivers[k];
      const auto col = static_cast<std::size_t>(contributions[k].feature);
      d.feature.assign(spec_[col].id);  // reuses the string's buffer when the score is reused
      d.value = x[col];
      d.contribution = contributions[k].value;
      d.rank = static_cast<std::uint32_t>(k + 1);
      if (o.lang) d.sentence = describe(d, *o.lang);
      else d.sentence.clear();
    }
    if (has_survival_) r.withdraw_within.assign(ws.within.begin(), ws.within.end());
    else r.withdraw_within.clear();
    r.withdraw_by_end = ws.by_end;
  }
}

void RiskModel::score(const Cohort& c, const FeatureMatrix& m, const ScoreOptions& o, ScoreTable& out) const {
  if (o.lang) throw InvalidArgument("RiskModel::score: a ScoreTable holds no sentences; use describe() on its drivers");
  Workspace ws;
  std::vector<int> horizons;
  const std::size_t top_k = prepare(c, m, o, horizons, ws);
  const std::size_t n = m.rows(), nh = has_survival_ ? horizons.size() : 0;
  out.rows = n;
  out.top_k = top_k;
  out.horizons_days = has_survival_ ? horizons : std::vector<int>{};
  out.features = spec_.ids();
  out.enrolment.assign(m.enrolments.begin(), m.enrolments.end());
  out.as_of.assign(m.as_of.begin(), m.as_of.end());
  out.logit.resize(n);
  out.probability.resize(n);
  out.band.resize(n);
  out.driver_feature.resize(n * top_k);
  out.driver_value.resize(n * top_k);
  out.driver_contribution.resize(n * top_k);
  out.withdraw_within.resize(n * nh);
  out.withdraw_by_end.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Enrolment& en = c.enrolment(m.enrolments[i]);
    const double* x = m.values.row(static_cast<Index>(i)).data();
    evaluate_row(x, en.start, en.planned_end, m.as_of[i], top_k, horizons, ws);
    out.logit[i] = ws.explanation.logit;
    out.probability[i] = ws.probability;
    out.band[i] = options_.bands.band(ws.probability);
    const Contribution* d = ws.explanation.drivers.data();
    for (std::size_t k = 0; k < top_k; ++k) {
      out.driver_feature[i * top_k + k] = d[k].feature;
      out.driver_value[i * top_k + k] = x[d[k].feature];
      out.driver_contribution[i * top_k + k] = d[k].value;
    }
    for (std::size_t h = 0; h < nh; ++h) out.withdraw_within[i * nh + h] = ws.within[h];
    out.withdraw_by_end[i] = ws.by_end;
  }
}

RiskScore ScoreTable::score(std::size_t row) const {
  if (row >= rows) throw InvalidArgument("ScoreTable::score: row " + std::to_string(row) + " of " + std::to_string(rows));
  RiskScore r;
  r.enrolment = enrolment[row];
  r.as_of = as_of[row];
  r.logit = logit[row];
  r.probability = probability[row];
  r.band = band[row];
  for (std::size_t k = 0; k < top_k; ++k) {
    Driver d;
    d.feature = features[static_cast<std::size_t>(driver_feature[row * top_k + k])];
    d.value = driver_value[row * top_k + k];
    d.contribution = driver_contribution[row * top_k + k];
    d.rank = static_cast<std::uint32_t>(k + 1);
    r.drivers.push_back(std::move(d));
  }
  const std::size_t nh = horizons_days.size();
  r.withdraw_within.assign(withdraw_within.begin() + static_cast<std::ptrdiff_t>(row * nh),
                           withdraw_within.begin() + static_cast<std::ptrdiff_t>((row + 1) * nh));
  r.withdraw_by_end = withdraw_by_end[row];
  return r;
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
