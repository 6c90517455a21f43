// src/risk/model_training.cpp — training the dropout-risk model: labels, landmark rows, cross-validation by
// learner, out-of-fold calibration, the person-period survival data, and the training metadata.
//
// Determinism: every random-looking choice (the folds) comes from a hash of the learners' external ids, folds
// may run on several threads but each writes only its own slots, and results are gathered in fold order; the
// solver is itself bit-identical whatever its thread count. So the same data give the same model bits.
#include "lien/core/random.hpp"
#include "lien/risk/model.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "lien/core/error.hpp"
#include "lien/core/intern.hpp"
#include "lien/features/custom.hpp"
#include "lien/features/extract.hpp"
#include "lien/risk/concordance.hpp"
#include "lien/risk/metrics.hpp"

LIEN_BEGIN_NAMESPACE

// ---- vocabulary ---------------------------------------------------------------------------------------------

const char* to_string(Target t) noexcept {
  switch (t) {
    case Target::within_horizon: return "within_horizon";
    case Target::before_end: return "before_end";
  }
  return "unknown";
}

const char* to_string(CalibrationMethod m) noexcept {
  switch (m) {
    case CalibrationMethod::platt: return "platt";
    case CalibrationMethod::isotonic: return "isotonic";
    case CalibrationMethod::none: return "none";
  }
  return "unknown";
}

const char* to_string(Label l) noexcept {
  switch (l) {
    case Label::negative: return "negative";
    case Label::positive: return "positive";
    case Label::censored: return "censored";
  }
  return "unknown";
}

Target parse_target(std::string_view text) {
  if (text == "within_horizon") return Target::within_horizon;
  if (text == "before_end") return Target::before_end;
  throw InvalidArgument("unknown target '" + std::string(text) + "' (expected within_horizon or before_end)");
}

CalibrationMethod parse_calibration(std::string_view text) {
  if (text == "platt") return CalibrationMethod::platt;
  if (text == "isotonic") return CalibrationMethod::isotonic;
  if (text == "none") return CalibrationMethod::none;
  throw InvalidArgument("unknown calibration '" + std::string(text) + "' (expected platt, isotonic or none)");
}

void RiskModelOptions::validate() const {
  const std::string w = "RiskModelOptions: ";
  // 100 years keeps as_of + horizon inside the supported calendar range for any supported as_of.
  if (horizon_days < 1 || horizon_days > 36500)
    throw InvalidArgument(w + "horizon_days must be in 1..36500, got " + std::to_string(horizon_days));
  if (!(std::isfinite(l2) && l2 >= 0.0)) throw InvalidArgument(w + "l2 must be a finite number >= 0");
  if (folds < 2 || folds > 100) throw InvalidArgument(w + "folds must be in 2..100, got " + std::to_string(folds));
  bands.validate();
  if (features.isolation_working_days < 1)
    throw InvalidArgument(w + "features.isolation_working_days must be at least 1");
  if (features.deadline_horizon_working_days < 1)
    throw InvalidArgument(w + "features.deadline_horizon_working_days must be at least 1");
  if (survival.period_days < 1 || survival.period_days > 3650)
    throw InvalidArgument(w + "survival.period_days must be in 1..3650, got " + std::to_string(survival.period_days));
  if (survival.bin_starts.empty() && survival.min_bin_events < 1)
    throw InvalidArgument(w + "survival.min_bin_events must be at least 1");
  if (!survival.bin_starts.empty()) {
    if (survival.bin_starts.front() != 0) throw InvalidArgument(w + "survival.bin_starts must begin at period 0");
    for (std::size_t k = 1; k < survival.bin_starts.size(); ++k)
      if (!(survival.bin_starts[k] > survival.bin_starts[k - 1]))
        throw InvalidArgument(w + "survival.bin_starts must be strictly increasing (entry " + std::to_string(k) + ")");
  }
  if (!(std::isfinite(survival.l2) && survival.l2 >= 0.0))
    throw InvalidArgument(w + "survival.l2 must be a finite number >= 0");
  if (observed_until != kNoTime && (utc_day(observed_until) < kMinDay || utc_day(observed_until) > kMaxDay))
    throw InvalidArgument(w + "observed_until is outside 1970-2199");
  if (threads < 1 || threads > 256) throw InvalidArgument(w + "threads must be in 1..256, got " + std::to_string(threads));
}

// ---- labels and landmarks -----------------------------------------------------------------------------------

Label training_label(const Enrolment& e, Time as_of, Time observed_until, Target target, int horizon_days) {
  if (as_of == kNoTime || observed_until == kNoTime)
    throw InvalidArgument("training_label: as_of and observed_until are required");
  if (!(e.start <= as_of && e.outcome_at(as_of) == Outcome::active))
    throw InvalidArgument("training_label: enrolment '" + e.id + "' is not in the population at " +
                          format_timestamp_utc(as_of) + " (it starts later, or ended at or before it)");
  Time end = kNoTime;  // kNoTime = no end: +infinity
  if (target == Target::within_horizon) end = as_of + static_cast<Time>(horizon_days) * kMsPerDay;
  else end = e.planned_end;
  switch (e.outcome_at(observed_until)) {
    case Outcome::withdrawn: return (end == kNoTime || e.outcome_time <= end) ? Label::positive : Label::negative;
    case Outcome::completed: return Label::negative;
    case Outcome::active: break;
  }
  return (end != kNoTime && observed_until >= end) ? Label::negative : Label::censored;
}

Time latest_instant(const Cohort& c) {
  Time latest = kNoTime;
  const EventLog& log = c.events();
  for (LearnerId l = 0; l < c.learner_count(); ++l)
    if (log.end(l) > log.begin(l)) latest = std::max(latest, log.time(log.end(l) - 1));  // sorted by time per learner
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e)
    if (c.enrolment(e).outcome_time != kNoTime) latest = std::max(latest, c.enrolment(e).outcome_time);
  return latest;
}

std::vector<Time> default_landmarks(const Cohort& c, const RiskModelOptions& o, Time observed_until) {
  std::vector<Time> out;
  if (c.enrolment_count() == 0 || observed_until == kNoTime) return out;
  Time first = std::numeric_limits<Time>::max();
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) first = std::min(first, c.enrolment(e).start);
  const Time week = 7 * kMsPerDay;
  const Time reach = o.target == Target::within_horizon ? static_cast<Time>(o.horizon_days) * kMsPerDay : 0;
  for (Time t = first;; t += week) {
    const bool ok = o.target == Target::within_horizon ? t + reach <= observed_until : t < observed_until;
    if (!ok) break;
    out.push_back(t);
  }
  return out;
}

CustomFeatureSource custom_feature_table(std::vector<CustomFeature> table) {
  return [table = std::move(table)](const Cohort&, Span<Landmark>) { return table; };
}

// ---- training -----------------------------------------------------------------------------------------------

namespace {

const char* const kFit = "RiskModel::fit";

std::uint64_t splitmix64(std::uint64_t z) noexcept { return mix64(z + 0x9e3779b97f4a7c15ull); }

/// Runs f(i) for i in [0, n) on up to `threads` threads (the caller is one of them). Exceptions are kept per
/// index and the first by index is rethrown, so failures are reported the same way whatever the scheduling.
template <class F>
void parallel_for(std::size_t n, int threads, F&& f) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  auto work = [&]() {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        f(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t extra = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(threads, 1))) - (n > 0 ? 1 : 0);
  for (std::size_t t = 0; t < extra; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // the system refused a thread: the others (and the caller) take its share
    }
  }
  work();
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

RowMatrix take_rows(const FeatureValues& X, const std::vector<std::size_t>& idx) {
  RowMatrix out(static_cast<Index>(idx.size()), X.cols());
  for (std::size_t i = 0; i < idx.size(); ++i) out.row(static_cast<Index>(i)) = X.row(static_cast<Index>(idx[i]));
  return out;
}

Vector take(const Vector& v, const std::vector<std::size_t>& idx) {
  Vector out(static_cast<Index>(idx.size()));
  for (std::size_t i = 0; i < idx.size(); ++i) out[static_cast<Index>(i)] = v[static_cast<Index>(idx[i])];
  return out;
}

bool has_both(const Vector& y) {
  bool zero = false, one = false;
  for (Index i = 0; i < y.size(); ++i) (y[i] > 0.5 ? one : zero) = true;
  return zero && one;
}

FitSummary summary(const FitReport& r) { return FitSummary{r.info, r.iterations, r.loss}; }

/// The calibrator of `method` fitted on (score, y); applied by `apply`.
struct Calibrator {
  CalibrationMethod method = CalibrationMethod::none;
  PlattCalibrator platt;
  IsotonicCalibrator isotonic;
  void fit(CalibrationMethod m, const Vector& s, const Vector& y, int threads) {
    method = m;
    if (m == CalibrationMethod::platt) {
      PlattOptions o;
      o.solver.threads = threads;
      platt = PlattCalibrator(o);
      platt.fit(s, y);
    } else if (m == CalibrationMethod::isotonic) {
      isotonic.fit(s, y);
    }
  }
  double apply(double s) const {
    switch (method) {
      case CalibrationMethod::platt: return platt.predict(s);
      case CalibrationMethod::isotonic: return isotonic.predict(s);
      case CalibrationMethod::none: break;
    }
    return sigmoid(s);
  }
};

/// Person-period rows of the survival part.
struct PersonPeriods {
  std::vector<Landmark> rows;       // (enrolment, period start)
  std::vector<std::int32_t> period;
  std::vector<double> event;
  std::vector<std::size_t> fold;
};

/// Periods [start + kP, start + (k+1)P) of each subject, while it is at risk at the period start. A period
/// ending after observed_until without a withdrawal in it is incompletely observed and left out; a period in
/// which the enrolment completes counts as one without withdrawal, and is its last.
PersonPeriods person_periods(const Cohort& c, const std::vector<EnrolmentId>& subjects, Time observed_until,
                             int period_days) {
  PersonPeriods pp;
  const Time P = static_cast<Time>(period_days) * kMsPerDay;
  for (EnrolmentId e : subjects) {
    const Enrolment& en = c.enrolment(e);
    const Outcome status = en.outcome_at(observed_until);
    const Time exit = status == Outcome::active ? observed_until : en.outcome_time;
    for (std::int32_t k = 0;; ++k) {
      const Time ps = en.start + static_cast<Time>(k) * P;
      if (ps >= exit) break;
      const Time pe = ps + P;
      const bool event = status == Outcome::withdrawn && en.outcome_time <= pe;  // and > ps, since ps < exit
      if (!event && status == Outcome::active && pe > observed_until) break;
      if (utc_day(ps) > kMaxDay) break;
      pp.rows.push_back({e, ps});
      pp.period.push_back(k);
      pp.event.push_back(event ? 1.0 : 0.0);
      if (event || (status == Outcome::completed && en.outcome_time <= pe)) break;
    }
  }
  return pp;
}

/// Appends the custom columns and checks the source gave columns at all when it was asked.
void add_custom(FeatureMatrix& m, const Cohort& c, Span<Landmark> rows, const CustomFeatureSource& custom) {
  if (!custom) return;
  add_custom_features(m, c, custom(c, rows));
}

}  // namespace

RiskModel RiskModel::fit(const Cohort& c, Span<Landmark> rows, const RiskModelOptions& options,
                         const CustomFeatureSource& custom) {
  options.validate();
  const Time observed_until = options.observed_until != kNoTime ? options.observed_until : latest_instant(c);
  if (observed_until == kNoTime)
    throw InvalidArgument(std::string(kFit) + ": the training cohort has no event and no outcome to learn from");
  if (rows.empty()) throw InvalidArgument(std::string(kFit) + ": no training rows (no enrolment at any landmark)");

  // Labels; censored rows are left out.
  std::vector<Landmark> kept;
  std::vector<double> labels;
  std::size_t censored = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Landmark& x = rows[r];
    if (x.enrolment >= c.enrolment_count())
      throw InvalidArgument(std::string(kFit) + ": row " + std::to_string(r) + ": enrolment index " +
                            std::to_string(x.enrolment) + " is not in the cohort");
    if (x.as_of == kNoTime) throw InvalidArgument(std::string(kFit) + ": row " + std::to_string(r) + ": as_of is missing");
    if (!in_population(c, x.enrolment, x.as_of))
      throw InvalidArgument(std::string(kFit) + ": row " + std::to_string(r) + ": enrolment '" +
                            c.enrolment(x.enrolment).id + "' is not in the population at " +
                            format_timestamp_utc(x.as_of) + " (it starts later, or ended at or before it)");
    const Label l = training_label(c.enrolment(x.enrolment), x.as_of, observed_until, options.target,
                                   options.horizon_days);
    if (l == Label::censored) {
      ++censored;
      continue;
    }
    kept.push_back(x);
    labels.push_back(l == Label::positive ? 1.0 : 0.0);
  }
  if (kept.empty())
    throw InvalidArgument(std::string(kFit) + ": every row is censored: the data observed until " +
                          format_timestamp_utc(observed_until) + " do not say how any row ends");
  const Index n = static_cast<Index>(kept.size());
  const Vector y = Eigen::Map<const Vector>(labels.data(), n);
  if (!has_both(y))
    throw InvalidArgument(std::string(kFit) + ": every labelled row is " +
                          (y[0] > 0.5 ? "positive" : "negative") + "; both withdrawals and non-withdrawals are needed");

  // Features.
  FeatureMatrix X = extract(c, Span<Landmark>(kept), options.features);
  add_custom(X, c, Span<Landmark>(kept), custom);
  const ColumnNames names = X.spec.ids();

  // Folds by learner: learners sorted by a hash of their external id (ties by id), dealt round-robin.
  std::vector<LearnerId> learners;
  for (const Landmark& x : rows) learners.push_back(c.enrolment(x.enrolment).learner);
  std::sort(learners.begin(), learners.end());
  learners.erase(std::unique(learners.begin(), learners.end()), learners.end());
  std::vector<std::pair<std::uint64_t, LearnerId>> keyed;
  for (LearnerId l : learners) {
    const std::string& id = c.learner_id(l);
    keyed.push_back({splitmix64(hash_bytes(id.data(), id.size())), l});
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : c.learner_id(a.second) < c.learner_id(b.second);
  });
  const std::size_t K = static_cast<std::size_t>(options.folds);
  std::vector<std::size_t> fold_of_learner(c.learner_count(), 0);
  for (std::size_t i = 0; i < keyed.size(); ++i) fold_of_learner[keyed[i].second] = i % K;
  std::vector<std::size_t> kept_learners;
  for (const Landmark& x : kept) kept_learners.push_back(c.enrolment(x.enrolment).learner);
  std::sort(kept_learners.begin(), kept_learners.end());
  kept_learners.erase(std::unique(kept_learners.begin(), kept_learners.end()), kept_learners.end());
  if (kept_learners.size() < K)
    throw InvalidArgument(std::string(kFit) + ": " + std::to_string(kept_learners.size()) +
                          " learners with labelled rows for " + std::to_string(K) + " folds; use fewer folds");
  std::vector<std::size_t> fold(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) fold[i] = fold_of_learner[c.enrolment(kept[i].enrolment).learner];

  // Survival data: every enrolment of the rows (censored rows included), followed from its start.
  PersonPeriods pp;
  FeatureMatrix Xpp;
  const bool with_survival = options.survival.enabled;
  if (with_survival) {
    std::vector<EnrolmentId> subjects;
    for (const Landmark& x : rows) subjects.push_back(x.enrolment);
    std::sort(subjects.begin(), subjects.end());
    subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
    pp = person_periods(c, subjects, observed_until, options.survival.period_days);
    const double events = std::accumulate(pp.event.begin(), pp.event.end(), 0.0);
    if (events == 0.0)
      throw InvalidArgument(std::string(kFit) +
                            ": survival: no withdrawal among the person-period rows; give more history or set "
                            "survival.enabled = false");
    Xpp = extract(c, Span<Landmark>(pp.rows), options.features);
    add_custom(Xpp, c, Span<Landmark>(pp.rows), custom);
    for (const Landmark& x : pp.rows) pp.fold.push_back(fold_of_learner[c.enrolment(x.enrolment).learner]);
  }
  const auto survival_options = [&](int threads) {
    SurvivalOptions so;
    so.l2 = options.survival.l2;
    so.min_bin_events = options.survival.min_bin_events;
    so.bin_starts = options.survival.bin_starts;
    so.solver.threads = threads;
    return so;
  };
  const auto subject_ids = [&](const std::vector<std::size_t>& idx) {
    IdVector s(static_cast<Index>(idx.size()));
    for (std::size_t i = 0; i < idx.size(); ++i) s[static_cast<Index>(i)] = pp.rows[idx[i]].enrolment;
    return s;
  };
  const auto periods_of = [&](const std::vector<std::size_t>& idx) {
    IntVector p(static_cast<Index>(idx.size()));
    for (std::size_t i = 0; i < idx.size(); ++i) p[static_cast<Index>(i)] = pp.period[idx[i]];
    return p;
  };
  const Vector pp_event = Eigen::Map<const Vector>(pp.event.data(), static_cast<Index>(pp.event.size()));

  // Cross-validation: out-of-fold logits, and held-out concordance of the survival part.
  Vector oof(n);
  std::vector<ConcordanceCounts> fold_concordance(K);
  parallel_for(K, options.threads, [&](std::size_t k) {
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < kept.size(); ++i) (fold[i] == k ? test : train).push_back(i);
    const std::string where = std::string(kFit) + ": cross-validation fold " + std::to_string(k + 1) + " of " +
                              std::to_string(K) + ": ";
    const Vector ytr = take(y, train);
    if (!has_both(ytr))
      throw InvalidArgument(where + "its training part holds only " + (ytr.size() && ytr[0] > 0.5 ? "withdrawals" : "non-withdrawals") +
                            "; use fewer folds or more data");
    const RowMatrix Xtr = take_rows(X.values, train);
    StandardScaler sc;
    sc.fit(Xtr, Vector(), names);
    LogisticOptions lo;
    lo.l2 = options.l2;
    LogisticRegression lr(lo);
    lr.fit(sc.transform_rows(Xtr), ytr, Vector(), names);
    std::vector<double> z(static_cast<std::size_t>(X.values.cols()));
    for (std::size_t i : test) {
      sc.transform_row(X.values.row(static_cast<Index>(i)).data(), 1, z.data());
      oof[static_cast<Index>(i)] = lr.decision(z.data());
    }
    if (!with_survival) return;
    std::vector<std::size_t> ptrain, ptest;
    for (std::size_t i = 0; i < pp.rows.size(); ++i) (pp.fold[i] == k ? ptest : ptrain).push_back(i);
    const Vector etr = take(pp_event, ptrain);
    if (!has_both(etr))
      throw InvalidArgument(where + "survival: its training part has " +
                            std::string(etr.size() && etr[0] > 0.5 ? "only withdrawals" : "no withdrawal") +
                            "; use fewer folds or more data");
    DiscreteTimeSurvival sv(survival_options(1));
    sv.fit(subject_ids(ptrain), periods_of(ptrain), sc.transform_rows(take_rows(Xpp.values, ptrain)), etr, Vector(),
           names);
    if (ptest.empty()) return;
    Vector risk(static_cast<Index>(ptest.size()));
    for (std::size_t i = 0; i < ptest.size(); ++i) {
      sc.transform_row(Xpp.values.row(static_cast<Index>(ptest[i])).data(), 1, z.data());
      risk[static_cast<Index>(i)] = sv.linear_predictor(z.data());
    }
    fold_concordance[k] = time_varying_concordance_counts(periods_of(ptest), risk, take(pp_event, ptest));
  });

  // Cross-fitted calibration for the metrics: fold k's probabilities come from a calibrator fitted on the
  // other folds' out-of-fold logits.
  Vector p_cv(n);
  parallel_for(K, options.threads, [&](std::size_t k) {
    std::vector<std::size_t> other, own;
    for (std::size_t i = 0; i < kept.size(); ++i) (fold[i] == k ? own : other).push_back(i);
    if (own.empty()) return;
    const Vector yo = take(y, other);
    if (options.calibration != CalibrationMethod::none && !has_both(yo))
      throw InvalidArgument(std::string(kFit) + ": cross-validation fold " + std::to_string(k + 1) +
                            ": the other folds hold a single class; use fewer folds or more data");
    Calibrator cal;
    cal.fit(options.calibration, take(oof, other), yo, 1);
    for (std::size_t i : own) p_cv[static_cast<Index>(i)] = cal.apply(oof[static_cast<Index>(i)]);
  });

  RiskModel m;
  m.options_ = options;
  m.options_.features.features.clear();
  for (const FeatureColumn& col : X.spec.columns())
    if (col.builtin) m.options_.features.features.push_back(col.id);
  m.spec_ = X.spec;

  // Final fits on everything.
  m.scaler_.fit(X.values, Vector(), names);
  const RowMatrix Z = m.scaler_.transform_rows(X.values, names);
  LogisticOptions lo;
  lo.l2 = options.l2;
  lo.solver.threads = options.threads;
  m.logistic_ = LogisticRegression(lo);
  m.logistic_.fit(Z, y, Vector(), names);
  Calibrator cal;
  cal.fit(options.calibration, oof, y, options.threads);
  m.platt_ = cal.platt;
  m.isotonic_ = cal.isotonic;
  if (with_survival) {
    std::vector<std::size_t> all(pp.rows.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    m.survival_ = DiscreteTimeSurvival(survival_options(options.threads));
    m.survival_.fit(subject_ids(all), periods_of(all), m.scaler_.transform_rows(Xpp.values, names), pp_event, Vector(),
                    names);
    m.has_survival_ = true;
  }

  // Metadata: counts, instants and metrics only.
  TrainingMetadata& t = m.training_;
  t.rows = kept.size();
  t.positives = static_cast<std::size_t>(y.sum());
  t.censored = censored;
  std::vector<EnrolmentId> es;
  std::vector<Time> instants;
  for (const Landmark& x : kept) es.push_back(x.enrolment), instants.push_back(x.as_of);
  std::sort(es.begin(), es.end());
  t.enrolments = static_cast<std::size_t>(std::unique(es.begin(), es.end()) - es.begin());
  t.learners = kept_learners.size();
  std::sort(instants.begin(), instants.end());
  t.landmarks = static_cast<std::size_t>(std::unique(instants.begin(), instants.end()) - instants.begin());
  t.first_landmark = instants.front();
  t.last_landmark = instants.back();
  t.observed_until = observed_until;
  t.person_periods = pp.rows.size();
  t.survival_events = static_cast<std::size_t>(std::accumulate(pp.event.begin(), pp.event.end(), 0.0));
  t.cv.folds = options.folds;
  t.cv.roc_auc = roc_auc(y, p_cv);
  t.cv.pr_auc = average_precision(y, p_cv);
  t.cv.brier = brier_score(y, p_cv);
  t.cv.log_loss = log_loss(y, p_cv);
  t.cv.ece = expected_calibration_error(y, p_cv);
  if (with_survival) {
    ConcordanceCounts total;
    for (const ConcordanceCounts& cc : fold_concordance) {
      total.concordant += cc.concordant;
      total.tied += cc.tied;
      total.pairs += cc.pairs;
    }
    t.cv.c_index = total.index();
  }
  t.logistic = summary(m.logistic_.report());
  if (with_survival) t.survival = summary(m.survival_.report());
  if (options.calibration == CalibrationMethod::platt) t.calibration = summary(m.platt_.report());
  else if (options.calibration == CalibrationMethod::isotonic) t.calibration = FitSummary{FitInfo::success, 0, 0.0};
  t.lien_version = lien_version_string();
  m.finish();
  return m;
}

RiskModel RiskModel::fit(const Cohort& history, const std::vector<Time>& instants, const RiskModelOptions& options,
                         const CustomFeatureSource& custom) {
  options.validate();
  std::vector<Time> ts = instants;
  if (ts.empty()) {
    const Time until = options.observed_until != kNoTime ? options.observed_until : latest_instant(history);
    ts = default_landmarks(history, options, until);
    if (ts.empty())
      throw InvalidArgument(std::string(kFit) + ": no default landmark: the cohort is empty or observed for less than "
                                                "the horizon");
  }
  for (std::size_t i = 0; i < ts.size(); ++i)
    if (ts[i] == kNoTime || utc_day(ts[i]) < kMinDay || utc_day(ts[i]) > kMaxDay)
      throw InvalidArgument(std::string(kFit) + ": landmark " + std::to_string(i) + " is missing or outside 1970-2199");
  const std::vector<Landmark> rows = landmarks(history, ts);
  return fit(history, Span<Landmark>(rows), options, custom);
}

RiskModel RiskModel::fit(const Cohort& history, const RiskModelOptions& options, const CustomFeatureSource& custom) {
  return fit(history, std::vector<Time>{}, options, custom);
}

LIEN_END_NAMESPACE
