// lien/act/queue.hpp — the community manager's action queue for a date: what to do first, what waits for
// next week, and what is not repeated because it was done lately.
//
// Actions already taken are read back from the event log. Convention (docs/actions.md): an event in the
// learner's log whose object is the resource `urn:lien:action:<action_type>` (optionally followed by
// `:<anything>`, e.g. the rule id) and whose actor is the stakeholder who did it; any verb. The queue
//   1. orders actions by band (high first), due day (earliest first), probability (highest first), rule
//      priority (highest first), then learner id, enrolment id and action type, so the order is total;
//   2. suppresses an action when the same learner got the same action type fewer than its cooling-off
//      working days ago (or twice in this queue: the later one is a duplicate);
//   3. caps each performer's actions per ISO week: actions taken this week count, and what exceeds the cap
//      is deferred to the first working day of the next ISO week (policy `defer`, counted against that
//      week's cap, dropped beyond it) or dropped (policy `drop`), each with its reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lien/act/action.hpp"
#include "lien/core/calendar.hpp"
#include "lien/core/config.hpp"
#include "lien/core/time.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

/// The resource prefix of recorded actions.
inline constexpr std::string_view kActionResourcePrefix = "urn:lien:action:";

/// `urn:lien:action:<type>` for an action type: the object to record when an action is done.
std::string action_resource(ActionType t);
/// The action type a resource id records, or nullopt when it is not `urn:lien:action:<known type>[:...]`.
std::optional<ActionType> parse_action_resource(std::string_view resource) noexcept;

/// One action read back from the event log.
struct TakenAction {
  LearnerId learner = kNoId;
  ActionType type = ActionType::nudge;
  Time time = kNoTime;
  PersonId actor = kNoId;  ///< who did it (kNoId when the event has no actor)
};

/// Every recorded action at or before `until`, by learner then time.
std::vector<TakenAction> actions_taken(const Cohort& cohort, Time until);

enum class CapPolicy : std::uint8_t { defer, drop };

struct QueueOptions {
  std::uint32_t weekly_cap = 10;          ///< actions per performer per ISO week (>= 1)
  CapPolicy over_cap = CapPolicy::defer;
  /// Cooling-off in working days for every action; -1 (default): each action's own (its rule's, or the
  /// playbook's setting).
  std::int32_t cooling_off_working_days = -1;
};

enum class QueueStatus : std::uint8_t {
  scheduled,    ///< to do this week, by its due day
  deferred,     ///< the performer's cap is reached this week: moved to the first working day of next week
  cooling_off,  ///< the same action was taken for this learner lately
  duplicate,    ///< the same learner and action type is already in this queue (another enrolment)
  over_cap      ///< dropped: the cap is reached (this week and, when deferring, next week too)
};
inline constexpr std::string_view kQueueStatusNames[] = {"scheduled", "deferred", "cooling_off", "duplicate", "over_cap"};
constexpr std::string_view to_string(QueueStatus s) noexcept { return kQueueStatusNames[static_cast<int>(s)]; }

struct QueueEntry {
  Action action;
  QueueStatus status = QueueStatus::scheduled;
  std::uint32_t rank = 0;     ///< 1-based position in priority order among all entries
  /// The day to do it: the queue's day when scheduled, next week's first working day when deferred.
  Day day = kNoDay;
  Time last_taken = kNoTime;  ///< cooling_off: when the same action was last taken
  PersonId last_taken_by = kNoId;
  std::string note;           ///< why it was not scheduled, in English ("" when scheduled)
};

/// A performer's week.
struct PerformerLoad {
  PersonId person = kNoId;  ///< kNoId: the unassigned actions (the community manager's own queue)
  std::uint32_t taken_this_week = 0;
  std::uint32_t scheduled = 0;
  std::uint32_t deferred = 0;
  std::uint32_t dropped = 0;
};

struct ActionQueue {
  Time date = kNoTime;
  Day day = kNoDay;
  IsoWeek week{0, 0};
  std::vector<QueueEntry> entries;   ///< in priority order, whatever their status
  std::vector<PerformerLoad> load;   ///< by PersonId (kNoId last)

  /// Entries with this status, in priority order.
  std::vector<const QueueEntry*> with(QueueStatus s) const {
    std::vector<const QueueEntry*> out;
    for (const QueueEntry& e : entries)
      if (e.status == s) out.push_back(&e);
    return out;
  }
};

/// The queue for `date` from the playbook's actions (recommend()). Throws InvalidArgument for a weekly cap
/// of 0, a cooling-off below -1, or an action naming an unknown enrolment or learner.
ActionQueue build_queue(const Cohort& cohort, std::vector<Action> actions, Time date, const QueueOptions& options = {});

LIEN_END_NAMESPACE
