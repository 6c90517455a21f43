// A small generated cohort with a planted dropout mechanism, for the RiskModel and model-file tests.
//
// One 8-week path (6 required e-learning steps due on days 7, 14, ..., 42; planned end = start + 56 days),
// learners in `waves` weekly waves from Monday 2027-01-04, Paris calendar. Each learner has a latent motivation
// m ~ N(0, 1) and a daily engagement e (AR(1): e = 0.9 e + 0.6 N(0, 1)); on day d they are active with
// probability sigmoid(-0.5 + 1.2 m + e) (an `experienced` event on their current step, which they complete
// with probability 1/2). On each working day after the start they withdraw with probability
//     sigmoid(-6.0 + 0.25 min(days since last activity, 20) + 0.3 overdue steps - 0.4 m)
// and otherwise complete at the planned end. So inactivity and overdue steps raise the risk — what a fitted
// model should find. Names and e-mails are set, so tests can check that they never reach a model file.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "lien/model/cohort.hpp"

namespace lien_test {

struct CohortParams {
  int learners = 300;
  int waves = 4;
  std::uint64_t seed = 7;
  lien::Time observe_until = lien::kNoTime;  ///< keep only what is known at this instant
};

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double normal() {
    const double u = uniform() + 1e-300, v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

inline std::string numbered(const char* prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d", prefix, i);
  return buf;
}

/// Instant of "2027-01-04T08:00:00Z" (a Monday, 09:00 in Paris).
inline lien::Time first_start() { return lien::Time(lien::days_from_civil(2027, 1, 4)) * lien::kMsPerDay + 8 * lien::kMsPerHour; }

inline lien::Cohort make_cohort(const CohortParams& p = {}) {
  using namespace lien;
  CohortBuilder b(Calendar("CET-1CEST,M3.5.0,M10.5.0/3", kMondayToFriday, Calendar::french_holidays(2026, 2028)));
  const std::uint32_t src = b.source("generated");
  std::uint64_t line = 0;
  auto ref = [&]() { return RecordRef{src, ++line}; };
  b.add_path({"P", "Managing people", "C"}, ref());
  const char* steps[6] = {"S1", "S2", "S3", "S4", "S5", "S6"};
  for (int k = 0; k < 6; ++k) {
    StepRecord s;
    s.path = "P", s.id = steps[k], s.kind = StepKind::elearning, s.phase = Phase::during, s.required = true;
    s.window = StepWindow{true, kNoDay, 7 * (k + 1)};
    b.add_step(s, ref());
  }
  for (int m = 0; m < 10; ++m) b.add_stakeholder({numbered("manager-", m), Role::manager, "", "", ""}, ref());
  std::vector<std::string> lid(p.learners), eid(p.learners), names(p.learners), mails(p.learners);
  for (int l = 0; l < p.learners; ++l) {
    lid[l] = numbered("learner-", l);
    eid[l] = numbered("enrolment-", l);
    names[l] = numbered("Camille Zorglub ", l);
    mails[l] = numbered("camille.zorglub", l) + "@example.org";
    b.add_learner({lid[l], names[l], mails[l], "", "", "", {{"gender", l % 2 ? "F" : "M"}}}, ref());
    b.add_relation({lid[l], numbered("manager-", l % 10), RelationType::reports_to, kNoTime, kNoTime}, ref());
  }
  const Time observe = p.observe_until;
  for (int l = 0; l < p.learners; ++l) {
    Rng rng{p.seed * 1000003u + static_cast<std::uint64_t>(l)};
    const Time start = first_start() + Time(7 * (l % p.waves)) * kMsPerDay;
    const Time end = start + 56 * kMsPerDay;
    const double m = rng.normal();
    double e = 0;
    int done = 0, last_active = 0;
    Time withdrawn = kNoTime;
    for (int d = 0; d < 56 && withdrawn == kNoTime; ++d) {
      const Day day = utc_day(start) + d;
      const bool working = iso_weekday(day) < 5;
      if (d > 0 && working) {
        const int overdue = std::max(0, std::min(6, d / 7) - done);
        const double h = sigmoid(-6.0 + 0.25 * std::min(d - last_active, 20) + 0.3 * overdue - 0.4 * m);
        if (rng.uniform() < h) {
          withdrawn = start + Time(d) * kMsPerDay + 6 * kMsPerHour;
          break;
        }
      }
      e = 0.9 * e + 0.6 * rng.normal();
      if (rng.uniform() < sigmoid(-0.5 + 1.2 * m + e)) {
        last_active = d;
        EventRecord ev;
        ev.learner = lid[l];
        ev.time = start + Time(d) * kMsPerDay + 2 * kMsPerHour;
        ev.verb = Verb::experienced;
        ev.object_kind = ObjectKind::step;
        ev.object = steps[std::min(done, 5)];
        if (observe == kNoTime || ev.time <= observe) b.add_event(ev, ref());
        if (done < 6 && rng.uniform() < 0.5) {
          ev.time += kMsPerHour;
          ev.verb = Verb::completed;
          if (observe == kNoTime || ev.time <= observe) b.add_event(ev, ref());
          ++done;
        }
      }
    }
    EnrolmentRecord er{eid[l], lid[l], "P", "", start, end, Outcome::completed, end, 0};
    if (withdrawn != kNoTime) er.outcome = Outcome::withdrawn, er.outcome_time = withdrawn;
    if (observe != kNoTime && er.outcome_time > observe) er.outcome = Outcome::active, er.outcome_time = kNoTime;
    b.add_enrolment(er, ref());
  }
  ReadReport report;
  Cohort c = b.build(report);
  if (!report.rejected.empty()) throw std::runtime_error("make_cohort: the builder rejected a record");
  return c;
}

}  // namespace lien_test
