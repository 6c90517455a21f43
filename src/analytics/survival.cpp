// Kaplan–Meier with exponential Greenwood intervals and the two-sample log-rank test, computed as lifelines
// does (sums of logs, the same handling of the last point where everyone has had the event).
#include "lien/analytics/survival.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "lien/analytics/distributions.hpp"
#include "lien/core/error.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

void check_sample(const char* fn, Span<double> durations, Span<std::uint8_t> observed) {
  if (durations.size() != observed.size())
    throw InvalidArgument(std::string(fn) + ": " + std::to_string(durations.size()) + " durations but " +
                          std::to_string(observed.size()) + " event flags");
  if (durations.size() > std::numeric_limits<std::uint32_t>::max())
    throw InvalidArgument(std::string(fn) + ": too many subjects");
  for (std::size_t i = 0; i < durations.size(); ++i)
    if (!(durations[i] >= 0) || !std::isfinite(durations[i]))
      throw InvalidArgument(std::string(fn) + ": duration " + std::to_string(i) + " is negative or not finite");
}

// Subjects sorted by duration; per distinct time: removed and events.
struct Table {
  std::vector<double> time;
  std::vector<std::uint32_t> events, removed;
};

Table tabulate(Span<double> durations, Span<std::uint8_t> observed) {
  std::vector<std::size_t> order(durations.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return durations[a] < durations[b]; });
  Table t;
  for (std::size_t i : order) {
    if (t.time.empty() || t.time.back() != durations[i]) {
      t.time.push_back(durations[i]);
      t.events.push_back(0);
      t.removed.push_back(0);
    }
    t.removed.back() += 1;
    if (observed[i]) t.events.back() += 1;
  }
  return t;
}

}  // namespace

double KaplanMeier::survival_at(double t) const noexcept {
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  if (it == time.begin()) return 1.0;
  return survival[static_cast<std::size_t>(it - time.begin()) - 1];
}

double KaplanMeier::median() const noexcept {
  for (std::size_t i = 0; i < time.size(); ++i)
    if (survival[i] <= 0.5) return time[i];
  return std::numeric_limits<double>::infinity();
}

KaplanMeier kaplan_meier(Span<double> durations, Span<std::uint8_t> observed, double alpha) {
  check_sample("kaplan_meier", durations, observed);
  if (!(alpha > 0 && alpha < 1)) throw InvalidArgument("kaplan_meier: alpha must be in (0, 1)");
  const Table t = tabulate(durations, observed);
  KaplanMeier km;
  km.alpha = alpha;
  km.subjects = static_cast<std::uint32_t>(durations.size());
  // lifelines' timeline starts at 0 (the birth of every subject), even when no duration is 0.
  const bool zero_first = !t.time.empty() && t.time.front() == 0;
  if (!zero_first) {
    km.time.push_back(0);
    km.events.push_back(0);
    km.censored.push_back(0);
    km.at_risk.push_back(km.subjects);
  }
  std::uint32_t remaining = km.subjects;
  for (std::size_t i = 0; i < t.time.size(); ++i) {
    km.time.push_back(t.time[i]);
    km.events.push_back(t.events[i]);
    km.censored.push_back(t.removed[i] - t.events[i]);
    km.at_risk.push_back(remaining);
    remaining -= t.removed[i];
  }
  const double z = normal_quantile(1.0 - alpha / 2.0);
  double log_s = 0, greenwood = 0;
  const std::size_t n = km.time.size();
  km.survival.resize(n);
  km.lower.resize(n);
  km.upper.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double at = km.at_risk[i], d = km.events[i];
    if (d > 0) {
      log_s += std::log(at - d) - std::log(at);
      if (at > d) greenwood += d / (at * (at - d));  // lifelines drops the infinite last term
    }
    const double s = std::exp(log_s);
    km.survival[i] = s;
    // log(-log S) interval; lifelines writes 1 where the formula is undefined (S == 1) and 0 once S == 0.
    if (s >= 1.0 || greenwood == 0) {
      km.lower[i] = km.upper[i] = s >= 1.0 ? 1.0 : s;
    } else if (s <= 0.0) {
      km.lower[i] = km.upper[i] = 0.0;
    } else {
      const double v = std::log(s), spread = z * std::sqrt(greenwood) / v;
      km.lower[i] = std::exp(-std::exp(std::log(-v) - spread));
      km.upper[i] = std::exp(-std::exp(std::log(-v) + spread));
    }
  }
  return km;
}

LogRank logrank_test(Span<double> durations_a, Span<std::uint8_t> observed_a, Span<double> durations_b,
                     Span<std::uint8_t> observed_b) {
  check_sample("logrank_test", durations_a, observed_a);
  check_sample("logrank_test", durations_b, observed_b);
  const Table ta = tabulate(durations_a, observed_a), tb = tabulate(durations_b, observed_b);
  LogRank r;
  double na = static_cast<double>(durations_a.size()), nb = static_cast<double>(durations_b.size());
  std::size_t i = 0, j = 0;
  while (i < ta.time.size() || j < tb.time.size()) {
    const double t = j == tb.time.size() || (i < ta.time.size() && ta.time[i] <= tb.time[j]) ? ta.time[i] : tb.time[j];
    double da = 0, db = 0, ra = 0, rb = 0;
    if (i < ta.time.size() && ta.time[i] == t) da = ta.events[i], ra = ta.removed[i], ++i;
    if (j < tb.time.size() && tb.time[j] == t) db = tb.events[j], rb = tb.removed[j], ++j;
    const double n = na + nb, d = da + db;
    if (d > 0) {
      r.observed_a += da;
      r.observed_b += db;
      r.expected_a += d * na / n;
      r.expected_b += d * nb / n;
      if (n > 1) r.variance += na * nb * d * (n - d) / (n * n * (n - 1));
    }
    na -= ra;
    nb -= rb;
  }
  if (r.variance > 0) {
    const double diff = r.observed_a - r.expected_a;
    r.statistic = diff * diff / r.variance;
    r.p_value = chi_square_sf(r.statistic, 1.0);
  }
  return r;
}

LIEN_END_NAMESPACE
