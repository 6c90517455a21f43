// Step progress of an enrolment, read once from the learner's slice of the event log.
#include "lien/act/progress.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"
#include "instant_check.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

bool done_event(Verb v, Tri success, Tri completion) noexcept {
  return v == Verb::completed || v == Verb::passed || v == Verb::attended || success == Tri::yes ||
         completion == Tri::yes;
}

}  // namespace

EnrolmentProgress enrolment_progress(const Cohort& cohort, EnrolmentId e, Time as_of) {
  detail::check_instant("enrolment_progress", "as_of", as_of);
  if (e >= cohort.enrolment_count())
    throw InvalidArgument("enrolment_progress: unknown enrolment (id " + std::to_string(e) + ")");
  const Enrolment& en = cohort.enrolment(e);
  const Path& path = cohort.path(en.path);
  EnrolmentProgress p;
  p.enrolment = e;
  p.as_of = as_of;
  p.steps.resize(path.steps.size());

  // The slice of step events this enrolment owns when the learner has several enrolments on the path.
  Time from = std::numeric_limits<Time>::min(), to = std::numeric_limits<Time>::max();
  {
    bool earlier = false, seen = false;
    for (EnrolmentId o : cohort.enrolments_of(en.learner)) {
      if (cohort.enrolment(o).path != en.path) continue;
      if (o == e) {
        seen = true;
        continue;
      }
      if (!seen) {
        earlier = true;
      } else {
        to = cohort.enrolment(o).start;
        break;
      }
    }
    if (earlier) from = en.start;
  }

  const EventLog& log = cohort.events();
  const auto end = log.upper_bound(en.learner, as_of);
  for (auto i = log.lower_bound(en.learner, from); i < end; ++i) {
    const Time t = log.time(i);
    if (t >= to) break;
    if (log.object_kind(i) != ObjectKind::step) continue;
    const Step& s = cohort.step(log.object(i));
    if (s.path != en.path) continue;
    StepProgress& sp = p.steps[s.position];
    const Verb v = log.verb(i);
    const bool done = done_event(v, log.success(i), log.completion(i));
    const bool scored = !std::isnan(log.score(i));
    if (v == Verb::absent) sp.absent = true;
    if (done && sp.done == kNoTime) sp.done = t;
    if (scored) {
      sp.last_score = log.score(i);
      sp.last_score_time = t;
      ++sp.scored;
    }
    const bool own = log.actor(i) == kNoId && v != Verb::absent;
    if ((own || done || scored) && sp.reached == kNoTime) sp.reached = t;
  }

  Time last_time = kNoTime;
  for (std::size_t k = 0; k < path.topo_order.size(); ++k) {
    const Step& s = cohort.step(path.topo_order[k]);
    const StepProgress& sp = p.steps[s.position];
    if (s.required) ++p.required;
    if (sp.is_reached()) {
      ++p.reached;
      if (last_time == kNoTime || sp.reached >= last_time) {
        last_time = sp.reached;
        p.last_reached = path.topo_order[k];
      }
    }
    if (sp.is_done()) {
      ++p.done;
      if (s.required) ++p.required_done;
    }
  }
  return p;
}

std::vector<CompetencyScore> competency_scores(const Cohort& cohort, const EnrolmentProgress& progress) {
  const Path& path = cohort.path(cohort.enrolment(progress.enrolment).path);
  struct Acc {
    double sum = 0, weight = 0;
    std::uint32_t scored = 0, steps = 0;
  };
  std::vector<Acc> acc(cohort.competencies().size());
  std::vector<CompetencyId> seen;
  for (StepId sid : path.steps) {
    const Step& s = cohort.step(sid);
    const StepProgress& sp = progress.steps[s.position];
    for (CompetencyId c : s.competencies) {
      Acc& a = acc[c];
      if (a.steps == 0) seen.push_back(c);
      ++a.steps;
      if (!sp.has_score()) continue;
      ++a.scored;
      // A step without a weight (0) still counts: a weight says how much, not whether.
      const double w = s.weight > 0 ? s.weight : 1.0;
      a.sum += w * static_cast<double>(sp.last_score);
      a.weight += w;
    }
  }
  std::sort(seen.begin(), seen.end());
  std::vector<CompetencyScore> out;
  for (CompetencyId c : seen) {
    const Acc& a = acc[c];
    if (a.scored == 0) continue;
    out.push_back({c, a.sum / a.weight, a.scored, a.steps});
  }
  return out;
}

Day planned_day(const Cohort& cohort, StepId s, EnrolmentId e) {
  const Step& st = cohort.step(s);
  const Day start = cohort.start_day(e);
  const Day open = st.window.open_day(start);
  return open != kNoDay ? open : st.window.due_day(start);
}

StepId next_planned_step(const Cohort& cohort, const EnrolmentProgress& progress, StepKindMask kinds, Day day,
                         Day* when) {
  const Path& path = cohort.path(cohort.enrolment(progress.enrolment).path);
  StepId best = kNoId;
  Day best_day = kNoDay;
  for (StepId sid : path.topo_order) {
    const Step& s = cohort.step(sid);
    if (!(kinds & kind_bit(s.kind)) || progress.steps[s.position].is_done()) continue;
    const Day d = planned_day(cohort, sid, progress.enrolment);
    if (d == kNoDay || d < day) continue;
    if (best == kNoId || d < best_day) best = sid, best_day = d;
  }
  if (when) *when = best_day;
  return best;
}

LIEN_END_NAMESPACE
