// The action queue: priority order, cooling-off and duplicates read against the event log, weekly caps.
#include "lien/act/queue.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"
#include "instant_check.hpp"

LIEN_BEGIN_NAMESPACE

std::string action_resource(ActionType t) { return std::string(kActionResourcePrefix) + std::string(to_string(t)); }

std::optional<ActionType> parse_action_resource(std::string_view r) noexcept {
  if (r.substr(0, kActionResourcePrefix.size()) != kActionResourcePrefix) return std::nullopt;
  r.remove_prefix(kActionResourcePrefix.size());
  const std::size_t colon = r.find(':');
  return parse_action_type(colon == std::string_view::npos ? r : r.substr(0, colon));
}

std::vector<TakenAction> actions_taken(const Cohort& c, Time until) {
  const StringTable& res = c.resources();
  std::vector<int> type_of(res.size(), -1);
  bool any = false;
  for (ResourceId r = 0; r < res.size(); ++r)
    if (const auto t = parse_action_resource(res[r])) type_of[r] = static_cast<int>(*t), any = true;
  std::vector<TakenAction> out;
  if (!any) return out;
  const EventLog& log = c.events();
  for (LearnerId l = 0; l < log.learner_count(); ++l) {
    const auto end = log.upper_bound(l, until);
    for (auto i = log.begin(l); i < end; ++i) {
      if (log.object_kind(i) != ObjectKind::resource) continue;
      const Id r = log.object(i);
      if (r >= type_of.size() || type_of[r] < 0) continue;
      out.push_back({l, static_cast<ActionType>(type_of[r]), log.time(i), log.actor(i)});
    }
  }
  return out;
}

namespace {

// The queue's total order: risk band, then urgency, then probability, rule priority and ids.
bool before(const Cohort& c, const Action& a, const Action& b) {
  if (a.band != b.band) return a.band > b.band;
  if (a.due != b.due) return a.due < b.due;
  if (a.probability != b.probability) return a.probability > b.probability;
  if (a.priority != b.priority) return a.priority > b.priority;
  const int l = c.learner_id(a.learner).compare(c.learner_id(b.learner));
  if (l != 0) return l < 0;
  const int e = c.enrolment(a.enrolment).id.compare(c.enrolment(b.enrolment).id);
  if (e != 0) return e < 0;
  if (a.type != b.type) return a.type < b.type;
  return a.rule < b.rule;
}

}  // namespace

ActionQueue build_queue(const Cohort& c, std::vector<Action> actions, Time date, const QueueOptions& o) {
  detail::check_instant("build_queue", "the date", date);
  if (o.weekly_cap < 1) throw InvalidArgument("build_queue: weekly_cap must be at least 1");
  if (o.cooling_off_working_days < -1) throw InvalidArgument("build_queue: cooling_off_working_days must be >= -1");
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const Action& a = actions[i];
    if (a.enrolment >= c.enrolment_count())
      throw InvalidArgument("build_queue: action " + std::to_string(i) + " names an unknown enrolment (id " +
                            std::to_string(a.enrolment) + ")");
    if (a.learner != c.enrolment(a.enrolment).learner)
      throw InvalidArgument("build_queue: action " + std::to_string(i) + " names learner " + std::to_string(a.learner) +
                            " but enrolment '" + c.enrolment(a.enrolment).id + "' is another learner's");
    if (a.performer != kNoId && a.performer >= c.person_count())
      throw InvalidArgument("build_queue: action " + std::to_string(i) + " names an unknown performer (id " +
                            std::to_string(a.performer) + ")");
  }
  const Calendar& cal = c.calendar();
  ActionQueue q;
  q.date = date;
  q.day = cal.local_day(date);
  q.week = cal.iso_week(date);
  const Day next_week = cal.add_working_days(q.day - iso_weekday(q.day) + 7, 0);

  // Sort positions, not the actions themselves: an Action holds strings and vectors, costly to move around.
  std::vector<std::size_t> order(actions.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return before(c, actions[x], actions[y]); });

  // Latest taken action per (learner, type), and what each performer did this ISO week.
  const std::vector<TakenAction> taken = actions_taken(c, date);
  std::map<std::pair<LearnerId, ActionType>, const TakenAction*> last;
  std::map<PersonId, PerformerLoad> load;
  for (const TakenAction& t : taken) {
    const auto key = std::make_pair(t.learner, t.type);
    auto it = last.find(key);
    if (it == last.end() || t.time >= it->second->time) last[key] = &t;
    if (cal.iso_week(t.time) == q.week) {
      PerformerLoad& pl = load[t.actor];
      pl.person = t.actor;
      ++pl.taken_this_week;
    }
  }
  std::map<PersonId, std::uint32_t> next_week_count;
  std::map<std::pair<LearnerId, ActionType>, bool> in_queue;

  std::uint32_t rank = 0;
  q.entries.reserve(actions.size());
  for (std::size_t i : order) {
    Action& a = actions[i];
    QueueEntry e;
    e.rank = ++rank;
    const auto key = std::make_pair(a.learner, a.type);
    const std::int32_t cooling = o.cooling_off_working_days >= 0 ? o.cooling_off_working_days : a.cooling_off_working_days;
    const auto lt = last.find(key);
    PerformerLoad& pl = load[a.performer];
    pl.person = a.performer;
    if (lt != last.end() && cooling > 0 &&
        cal.working_days_between(cal.local_day(lt->second->time), q.day) < cooling) {
      e.status = QueueStatus::cooling_off;
      e.last_taken = lt->second->time;
      e.last_taken_by = lt->second->actor;
      const std::int64_t ago = cal.working_days_between(cal.local_day(lt->second->time), q.day);
      e.note = std::string(to_string(a.type)) + " already taken for this learner on " +
               format_date(cal.local_day(lt->second->time)) + " (" + std::to_string(ago) +
               " working days ago; cooling-off " + std::to_string(cooling) + ")";
    } else if (in_queue.count(key)) {
      e.status = QueueStatus::duplicate;
      e.note = std::string(to_string(a.type)) + " is already in the queue for this learner (another enrolment)";
    } else if (pl.taken_this_week + pl.scheduled < o.weekly_cap) {
      e.status = QueueStatus::scheduled;
      e.day = q.day;
      ++pl.scheduled;
    } else if (o.over_cap == CapPolicy::defer && next_week_count[a.performer] < o.weekly_cap) {
      e.status = QueueStatus::deferred;
      e.day = next_week;
      ++next_week_count[a.performer];
      ++pl.deferred;
      e.note = "weekly cap of " + std::to_string(o.weekly_cap) + " reached for this performer: deferred to " +
               format_date(next_week);
    } else {
      e.status = QueueStatus::over_cap;
      ++pl.dropped;
      e.note = o.over_cap == CapPolicy::defer
                   ? "weekly cap of " + std::to_string(o.weekly_cap) + " reached for this performer this week and next"
                   : "weekly cap of " + std::to_string(o.weekly_cap) + " reached for this performer";
    }
    if (e.status == QueueStatus::scheduled || e.status == QueueStatus::deferred) in_queue[key] = true;
    e.action = std::move(a);
    q.entries.push_back(std::move(e));
  }
  for (auto& kv : load) q.load.push_back(kv.second);  // std::map: by PersonId, kNoId (the largest) last
  return q;
}

LIEN_END_NAMESPACE
