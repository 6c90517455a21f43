// Per-learner graph signals: peer ties, isolation on the cohort calendar, core distance, stakeholder contact.
#include "lien/graph/learner_signals.hpp"

#include <algorithm>
#include <string>

#include "lien/core/error.hpp"
#include "lien/graph/structure.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

constexpr double kDaysPerMonth = 365.2425 / 12.0;

// Contacts between learner l and any of `people` (sorted): events of l's log that are contacts with one of
// them as actor or as object person.
Engagement engagement(const Cohort& cohort, LearnerId l, const std::vector<PersonId>& people, TimeWindow w) {
  Engagement e;
  e.people = static_cast<std::uint32_t>(people.size());
  if (people.empty()) return e;
  const EventLog& log = cohort.events();
  const auto end = log.upper_bound(l, w.to);
  for (auto i = log.begin(l); i < end; ++i) {
    const ObjectKind kind = log.object_kind(i);
    if (!is_contact(log.verb(i), kind)) continue;
    const PersonId other = log.actor(i) != kNoId ? log.actor(i) : (kind == ObjectKind::person ? log.object(i) : kNoId);
    if (other == kNoId || !std::binary_search(people.begin(), people.end(), other)) continue;
    e.last_contact = std::max(e.last_contact, log.time(i));
    if (log.time(i) >= w.from) e.contacts += log.count(i);
  }
  const double days = static_cast<double>(w.to - w.from) / static_cast<double>(kMsPerDay);
  e.contacts_per_month = static_cast<double>(e.contacts) / std::max(days / kDaysPerMonth, 1.0 / kDaysPerMonth);
  return e;
}

}  // namespace

std::vector<LearnerSignals> learner_signals(const Cohort& cohort, const InteractionGraph& g,
                                            const SignalOptions& options) {
  if (options.isolation_working_days < 1)
    throw InvalidArgument("learner_signals: isolation_working_days must be at least 1 (got " +
                          std::to_string(options.isolation_working_days) + ")");
  if (g.vertex_count() > 0 && g.vertex_of(g.learner(0)) != 0)
    throw InvalidArgument("learner_signals: the graph was not built from a cohort (use InteractionGraph::build)");
  for (const Member& m : g.members())
    if (m.learner >= cohort.learner_count() || (m.enrolment != kNoId && m.enrolment >= cohort.enrolment_count()))
      throw InvalidArgument("learner_signals: the graph was built from another cohort (learner id " +
                            std::to_string(m.learner) + ")");
  const TimeWindow w = g.window();
  const Calendar& cal = cohort.calendar();
  const auto core = active_core(g);
  const auto dist = bfs_distances(g, Span<Vertex>(core));
  std::vector<LearnerSignals> out(g.vertex_count());
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    const Member& m = g.members()[v];
    LearnerSignals& s = out[v];
    s.learner = m.learner;
    s.enrolment = m.enrolment;
    s.peer_degree = g.degree(v);
    s.reciprocity = s.peer_degree ? static_cast<double>(g.reciprocated(v)) / s.peer_degree : 0.0;
    s.sent = g.sent_total(v);
    s.received = g.received_total(v);
    s.replies_received = g.replies_received(v);
    s.last_peer_contact = g.last_contact(v);
    const Time ref = s.last_peer_contact != kNoTime ? s.last_peer_contact : m.since;
    if (ref != kNoTime) s.working_days_without_peers = std::max<std::int64_t>(0, cal.working_days_between(ref, w.to));
    s.isolated = ref == kNoTime || s.working_days_without_peers >= options.isolation_working_days;
    s.core_distance = dist[v];
    s.manager = engagement(cohort, m.learner, cohort.managers(m.learner, w.to), w);
    const std::vector<PersonId> tutors =
        m.enrolment != kNoId ? cohort.tutors(m.enrolment, w.to)
                             : cohort.graph().in(cohort.learner(m.learner).person, RelationType::tutors, w.to);
    s.tutor = engagement(cohort, m.learner, tutors, w);
  }
  return out;
}

LIEN_END_NAMESPACE
