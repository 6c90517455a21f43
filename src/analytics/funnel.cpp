// Path funnels, withdrawal hazards with their binomial tests, survival data and instance comparisons.
#include "lien/analytics/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "lien/act/progress.hpp"
#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"
#include "../act/instant_check.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

Funnel build(const Cohort& c, PathId path, InstanceId instance, std::vector<EnrolmentId> population, Time as_of) {
  const Path& p = c.path(path);
  const Calendar& cal = c.calendar();
  Funnel f;
  f.path = path;
  f.instance = instance;
  f.as_of = as_of;
  for (StepId s : p.topo_order) {
    const Step& st = c.step(s);
    f.steps.push_back({s, st.phase, st.required, 0, 0, 0, 0});
    ++f.phases[static_cast<std::size_t>(st.phase)].steps;
  }
  for (std::size_t i = 0; i < 4; ++i) f.phases[i].phase = static_cast<Phase>(i);
  // position in the path -> index in the topological order
  std::vector<std::size_t> topo_index(p.steps.size());
  for (std::size_t k = 0; k < p.topo_order.size(); ++k) topo_index[c.step(p.topo_order[k]).position] = k;

  std::sort(population.begin(), population.end());
  for (EnrolmentId e : population) {
    const Enrolment& en = c.enrolment(e);
    if (en.start == kNoTime || en.start > as_of) continue;
    const Outcome outcome = en.outcome_at(as_of);
    const Time end = outcome == Outcome::active ? as_of : en.outcome_time;
    const EnrolmentProgress progress = enrolment_progress(c, e, end);
    FunnelEntry entry;
    entry.enrolment = e;
    entry.outcome = outcome;
    entry.days = std::max<std::int32_t>(0, cal.local_day(end) - c.start_day(e));
    entry.steps_reached = progress.reached;
    entry.last_reached = progress.last_reached;
    ++f.enrolled;
    if (outcome == Outcome::active) ++f.active;
    if (outcome == Outcome::completed) ++f.completed;
    if (outcome == Outcome::withdrawn) ++f.withdrawn;
    bool phase_reached[4] = {false, false, false, false};
    for (std::size_t pos = 0; pos < progress.steps.size(); ++pos) {
      const StepProgress& sp = progress.steps[pos];
      FunnelStep& fs = f.steps[topo_index[pos]];
      if (sp.is_reached()) {
        ++fs.reached;
        phase_reached[static_cast<std::size_t>(fs.phase)] = true;
      }
      if (sp.is_done()) ++fs.completed;
    }
    for (std::size_t ph = 0; ph < 4; ++ph)
      if (phase_reached[ph]) ++f.phases[ph].reached;
    if (outcome == Outcome::withdrawn) {
      if (progress.last_reached == kNoId) {
        ++f.withdrew_before_first_step;
      } else {
        const Step& last = c.step(progress.last_reached);
        FunnelStep& fs = f.steps[topo_index[last.position]];
        ++fs.withdrew_after;
        if (progress.steps[last.position].is_done()) ++fs.withdrew_after_completing;
        ++f.phases[static_cast<std::size_t>(last.phase)].withdrew_after;
      }
    }
    f.entries.push_back(entry);
  }
  return f;
}

// Tests each (events, at_risk) against the pooled rate, then corrects the family.
template <class Item>
double test_family(std::vector<Item*> items, const HazardOptions& o) {
  std::uint64_t events = 0, at_risk = 0;
  for (const Item* it : items) {
    events += it->test.events;
    at_risk += it->test.at_risk;
  }
  const double pooled = at_risk ? static_cast<double>(events) / static_cast<double>(at_risk) : 0.0;
  std::vector<double> p;
  for (Item* it : items) {
    HazardTest& t = it->test;
    t.hazard = t.at_risk ? static_cast<double>(t.events) / t.at_risk : 0.0;
    t.expected = t.at_risk * pooled;
    t.p_value = t.at_risk ? binomial_upper_tail(t.events, t.at_risk, pooled) : std::numeric_limits<double>::quiet_NaN();
    p.push_back(t.p_value);
  }
  const std::vector<double> adj = adjust_p_values(p, o.correction);
  for (std::size_t i = 0; i < items.size(); ++i) {
    HazardTest& t = items[i]->test;
    t.p_adjusted = adj[i];
    t.flagged = t.at_risk > 0 && adj[i] < o.alpha && t.hazard > pooled;
  }
  return pooled;
}

}  // namespace

Funnel path_funnel(const Cohort& c, PathId path, Time as_of) {
  detail::check_instant("path_funnel", "as_of", as_of);
  if (path >= c.path_count()) throw InvalidArgument("path_funnel: unknown path (id " + std::to_string(path) + ")");
  std::vector<EnrolmentId> population;
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e)
    if (c.enrolment(e).path == path) population.push_back(e);
  return build(c, path, kNoId, std::move(population), as_of);
}

Funnel instance_funnel(const Cohort& c, InstanceId instance, Time as_of) {
  detail::check_instant("instance_funnel", "as_of", as_of);
  if (instance >= c.instances().size())
    throw InvalidArgument("instance_funnel: unknown path instance (id " + std::to_string(instance) + ")");
  const Span<EnrolmentId> in = c.enrolments_in(instance);
  return build(c, c.instance_path(instance), instance, std::vector<EnrolmentId>(in.begin(), in.end()), as_of);
}

Funnel funnel_of(const Cohort& c, PathId path, Span<EnrolmentId> enrolments, Time as_of) {
  detail::check_instant("funnel_of", "as_of", as_of);
  if (path >= c.path_count()) throw InvalidArgument("funnel_of: unknown path (id " + std::to_string(path) + ")");
  std::vector<char> seen(c.enrolment_count(), 0);
  for (EnrolmentId e : enrolments) {
    if (e >= c.enrolment_count()) throw InvalidArgument("funnel_of: unknown enrolment (id " + std::to_string(e) + ")");
    if (c.enrolment(e).path != path)
      throw InvalidArgument("funnel_of: enrolment '" + c.enrolment(e).id + "' is not on path '" + c.path(path).id + "'");
    if (seen[e]) throw InvalidArgument("funnel_of: enrolment '" + c.enrolment(e).id + "' is given twice");
    seen[e] = 1;
  }
  return build(c, path, kNoId, std::vector<EnrolmentId>(enrolments.begin(), enrolments.end()), as_of);
}

HazardReport withdrawal_hazards(const Funnel& f, const HazardOptions& o) {
  if (!(o.alpha > 0 && o.alpha < 1)) throw InvalidArgument("withdrawal_hazards: alpha must be in (0, 1)");
  HazardReport r;
  r.correction = o.correction;
  r.alpha = o.alpha;
  r.method = std::string("one-sided exact binomial test of each step's withdrawals against the pooled rate of the "
                         "path's steps, p-values corrected by ") +
             to_string(o.correction);
  std::vector<StepHazard*> steps;
  for (const FunnelStep& s : f.steps) {
    StepHazard h;
    h.step = s.step;
    h.phase = s.phase;
    h.test.at_risk = s.reached;
    h.test.events = s.withdrew_after;
    r.steps.push_back(h);
  }
  for (StepHazard& h : r.steps) steps.push_back(&h);
  r.baseline = test_family(steps, o);
  std::vector<PhaseHazard*> phases;
  for (std::size_t i = 0; i < 4; ++i) {
    r.phases[i].phase = static_cast<Phase>(i);
    r.phases[i].test.at_risk = f.phases[i].reached;
    r.phases[i].test.events = f.phases[i].withdrew_after;
    phases.push_back(&r.phases[i]);
  }
  r.phase_baseline = test_family(phases, o);
  return r;
}

SurvivalData survival_data(const Funnel& f, TimeScale scale) {
  SurvivalData d;
  for (const FunnelEntry& e : f.entries) {
    d.durations.push_back(scale == TimeScale::days ? static_cast<double>(e.days) : static_cast<double>(e.steps_reached));
    d.observed.push_back(e.outcome == Outcome::withdrawn ? 1 : 0);
  }
  return d;
}

KaplanMeier path_survival(const Funnel& f, TimeScale scale, double alpha) {
  const SurvivalData d = survival_data(f, scale);
  return kaplan_meier(d.durations, d.observed, alpha);
}

InstanceComparison compare_instances(const Cohort& c, InstanceId a, InstanceId b, Time as_of, const HazardOptions& o,
                                     double alpha) {
  InstanceComparison r;
  r.a = instance_funnel(c, a, as_of);
  r.b = instance_funnel(c, b, as_of);
  r.hazards_a = withdrawal_hazards(r.a, o);
  r.hazards_b = withdrawal_hazards(r.b, o);
  const SurvivalData da = survival_data(r.a, TimeScale::days), db = survival_data(r.b, TimeScale::days);
  r.days_a = kaplan_meier(da.durations, da.observed, alpha);
  r.days_b = kaplan_meier(db.durations, db.observed, alpha);
  r.days_logrank = logrank_test(da.durations, da.observed, db.durations, db.observed);
  const SurvivalData sa = survival_data(r.a, TimeScale::steps), sb = survival_data(r.b, TimeScale::steps);
  r.steps_a = kaplan_meier(sa.durations, sa.observed, alpha);
  r.steps_b = kaplan_meier(sb.durations, sb.observed, alpha);
  r.steps_logrank = logrank_test(sa.durations, sa.observed, sb.durations, sb.observed);
  r.same_path = r.a.path == r.b.path;
  auto share = [](std::uint32_t x, std::uint32_t n) { return n ? static_cast<double>(x) / n : 0.0; };
  r.withdrawn_a = share(r.a.withdrawn, r.a.enrolled);
  r.withdrawn_b = share(r.b.withdrawn, r.b.enrolled);
  if (r.same_path) {
    for (std::size_t i = 0; i < r.a.steps.size(); ++i) {
      const FunnelStep &x = r.a.steps[i], &y = r.b.steps[i];
      StepDifference d;
      d.step = x.step;
      d.reached_a = share(x.reached, r.a.enrolled);
      d.reached_b = share(y.reached, r.b.enrolled);
      d.completed_a = share(x.completed, r.a.enrolled);
      d.completed_b = share(y.completed, r.b.enrolled);
      d.hazard_a = share(x.withdrew_after, x.reached);
      d.hazard_b = share(y.withdrew_after, y.reached);
      d.reached_diff = d.reached_b - d.reached_a;
      d.completed_diff = d.completed_b - d.completed_a;
      d.hazard_diff = d.hazard_b - d.hazard_a;
      r.steps.push_back(d);
    }
  }
  return r;
}

LIEN_END_NAMESPACE
