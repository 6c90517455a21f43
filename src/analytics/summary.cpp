// The cohort summary: one pass over the enrolments, counted into the total and each group.
#include "lien/analytics/summary.hpp"

#include <map>
#include <string>

#include "lien/act/queue.hpp"
#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"
#include "../act/instant_check.hpp"

LIEN_BEGIN_NAMESPACE

CohortSummary summarize(const Cohort& c, Time as_of, Span<RiskScore> scores, const ActionQueue* queue) {
  detail::check_instant("summarize", "as_of", as_of);
  std::vector<int> band(c.enrolment_count(), -1);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const EnrolmentId e = scores[i].enrolment;
    if (e >= c.enrolment_count())
      throw InvalidArgument("summarize: score " + std::to_string(i) + " names an unknown enrolment (id " +
                            std::to_string(e) + ")");
    if (band[e] >= 0) throw InvalidArgument("summarize: two scores for enrolment '" + c.enrolment(e).id + "'");
    band[e] = static_cast<int>(scores[i].band);
  }
  std::vector<std::uint32_t> open(c.enrolment_count(), 0);
  if (queue)
    for (const QueueEntry& q : queue->entries) {
      if (q.status != QueueStatus::scheduled && q.status != QueueStatus::deferred) continue;
      if (q.action.enrolment >= c.enrolment_count())
        throw InvalidArgument("summarize: a queue entry names an unknown enrolment (id " +
                              std::to_string(q.action.enrolment) + ")");
      ++open[q.action.enrolment];
    }

  CohortSummary s;
  s.as_of = as_of;
  std::map<std::string, GroupSummary> inst, team, site;
  auto count = [&](GroupSummary& g, EnrolmentId e, Outcome o) {
    ++g.enrolled;
    if (o == Outcome::active) {
      ++g.active;
      if (band[e] >= 0) {
        ++g.at_risk[static_cast<std::size_t>(band[e])];
      } else {
        ++g.unscored;
      }
    } else if (o == Outcome::completed) {
      ++g.completed;
    } else {
      ++g.withdrawn;
    }
    g.actions_open += open[e];
  };
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) {
    const Enrolment& en = c.enrolment(e);
    if (en.start == kNoTime || en.start > as_of) continue;
    const Outcome o = en.outcome_at(as_of);
    const Learner& l = c.learner(en.learner);
    count(s.total, e, o);
    const std::string ik(c.instances()[en.instance]);
    inst[ik].key = ik;
    count(inst[ik], e, o);
    team[l.team].key = l.team;
    count(team[l.team], e, o);
    site[l.site].key = l.site;
    count(site[l.site], e, o);
  }
  for (auto& kv : inst) s.by_instance.push_back(kv.second);
  for (auto& kv : team) s.by_team.push_back(kv.second);
  for (auto& kv : site) s.by_site.push_back(kv.second);
  return s;
}

LIEN_END_NAMESPACE
