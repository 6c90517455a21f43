// lien/act/action.hpp — what the playbook recommends: an action for one enrolment, who does it, why, by when,
// and which driver it aims to move.
//
// Action types and performer roles are closed vocabularies with one canonical snake_case name each (the names
// written in playbook files and in the event-log convention `urn:lien:action:<type>`). Every role has a
// fallback chain, used when the cohort has nobody in that role for the learner (docs/actions.md):
//   manager -> hr -> community_manager          tutor -> community_manager
//   trainer -> training_org -> community_manager  hr -> community_manager
//   training_org -> community_manager           buddy -> community_manager
//   community_manager -> nobody (the action stays unassigned, in the community manager's own queue)
//   learner: always the learner
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/types.hpp"
#include "lien/risk/bands.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

enum class ActionType : std::uint8_t {
  nudge,                 ///< a message to the learner (reminder, encouragement)
  manager_check_in,      ///< the manager checks in with the learner
  tutor_call,            ///< the tutor calls the learner
  buddy_pairing,         ///< pair the learner with a peer (the buddy is named)
  extra_content,         ///< extra content for the learner's weakest competency
  session_challenge,     ///< a challenge or goal-setting before the next classroom / virtual session
  community_event,       ///< an invitation to a community event
  progress_review,       ///< a progress review (bilan)
  escalation,            ///< escalation to HR / the training department
  training_org_contact,  ///< contact with the training organisation
};
inline constexpr std::array<std::string_view, 10> kActionTypeNames = {
    "nudge",           "manager_check_in", "tutor_call",      "buddy_pairing", "extra_content",
    "session_challenge", "community_event", "progress_review", "escalation",    "training_org_contact"};

/// Who carries an action out, before resolution to a person.
enum class Performer : std::uint8_t {
  learner, manager, tutor, trainer, hr, community_manager, training_org, buddy,
  nobody  ///< the end of every chain: no community manager in the cohort either
};
inline constexpr std::array<std::string_view, 9> kPerformerNames = {
    "learner", "manager", "tutor", "trainer", "hr", "community_manager", "training_org", "buddy", "nobody"};

constexpr std::string_view to_string(ActionType t) noexcept { return enum_name(t, kActionTypeNames); }
constexpr std::string_view to_string(Performer p) noexcept { return enum_name(p, kPerformerNames); }
inline std::optional<ActionType> parse_action_type(std::string_view s) noexcept {
  return enum_parse<ActionType>(s, kActionTypeNames);
}
/// Roles a playbook may name (every Performer but `nobody`).
inline std::optional<Performer> parse_performer(std::string_view s) noexcept {
  const auto p = enum_parse<Performer>(s, kPerformerNames);
  return p && *p != Performer::nobody ? p : std::nullopt;
}

/// The role that does an action of type t when the rule does not say.
constexpr Performer default_performer(ActionType t) noexcept {
  switch (t) {
    case ActionType::nudge: return Performer::community_manager;
    case ActionType::manager_check_in: return Performer::manager;
    case ActionType::tutor_call: return Performer::tutor;
    case ActionType::buddy_pairing: return Performer::buddy;
    case ActionType::extra_content: return Performer::tutor;
    case ActionType::session_challenge: return Performer::trainer;
    case ActionType::community_event: return Performer::community_manager;
    case ActionType::progress_review: return Performer::tutor;
    case ActionType::escalation: return Performer::hr;
    case ActionType::training_org_contact: return Performer::training_org;
  }
  return Performer::community_manager;
}

/// The next role to try when nobody holds role p for the learner (Performer::nobody ends the chain).
constexpr Performer fallback_of(Performer p) noexcept {
  switch (p) {
    case Performer::manager: return Performer::hr;
    case Performer::trainer: return Performer::training_org;
    case Performer::tutor:
    case Performer::hr:
    case Performer::training_org:
    case Performer::buddy: return Performer::community_manager;
    case Performer::learner:  // the learner always exists
    case Performer::community_manager:
    case Performer::nobody: return Performer::nobody;
  }
  return Performer::nobody;
}

/// One fact that made a rule fire: a driver of the risk score or a signal of the learner.
struct Reason {
  enum class Kind : std::uint8_t { driver, signal };
  Kind kind = Kind::driver;
  std::string id;           ///< feature id (drivers) or signal name (signals)
  double value = 0;         ///< the learner's value
  double contribution = 0;  ///< drivers: contribution to the logit; 0 for signals
  std::uint32_t rank = 0;   ///< drivers: rank among the score's drivers; 0 for signals
  std::string text_en, text_fr;  ///< the fact as a sentence
};

struct Action {
  ActionType type = ActionType::nudge;
  std::string rule;                ///< the rule that fired (the highest-priority one when several asked for it)
  std::vector<std::string> rules;  ///< every rule that asked for this action, in playbook order
  std::int32_t priority = 0;       ///< the rule's priority
  EnrolmentId enrolment = kNoId;
  LearnerId learner = kNoId;

  Performer requested = Performer::community_manager;  ///< the role the rule named
  Performer resolved = Performer::community_manager;   ///< the role that was found (after fallbacks)
  PersonId performer = kNoId;                          ///< who does it; kNoId when resolved == nobody
  std::vector<Performer> fallbacks;                    ///< roles tried and found empty, in order

  PersonId buddy = kNoId;            ///< buddy_pairing: the peer proposed (kNoId when none was found)
  EnrolmentId buddy_enrolment = kNoId;
  double buddy_score = 0;
  CompetencyId competency = kNoId;   ///< extra_content: the weakest competency
  double competency_score = 0;
  StepId step = kNoId;               ///< the session, event or content step the action is about (kNoId if none)
  Day step_day = kNoDay;             ///< its planned day

  Band band = Band::low;
  double probability = 0;
  std::vector<Reason> reasons;  ///< what made the rules fire, drivers first (by rank), then signals
  std::string why_en, why_fr;   ///< the reasons in one sentence

  std::int32_t due_in_working_days = 0;
  Day due = kNoDay;             ///< local day by which it should be done
  std::string target;           ///< the feature id the action aims to move (its expected effect)
  std::int32_t cooling_off_working_days = 0;

  const std::string& why(Lang lang) const noexcept { return lang == Lang::fr ? why_fr : why_en; }
};

/// The action in one line for a person to read, e.g. "tutor_call for L1 by T1 (tutor) by 2027-03-18: high risk
/// (64%): no activity for 12 working days." in English, the same in French. Uses display names when known.
std::string describe_action(const Cohort& cohort, const Action& action, Lang lang);

/// The action type as words ("tutor call" / "appel du tuteur ou de la tutrice").
std::string_view action_label(ActionType t, Lang lang) noexcept;
/// The role as words ("manager" / "responsable hiérarchique").
std::string_view performer_label(Performer p, Lang lang) noexcept;

LIEN_END_NAMESPACE
