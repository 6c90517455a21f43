// lien/act/playbook.hpp — the playbook: rules that turn drivers and learner signals into actions.
//
// A rule says: for a learner whose risk band is one of `bands` and for whom every condition of `when` holds,
// recommend action `action`, done by `who` (or the action's default role), due in N working days by band,
// aiming to move feature `target`. Conditions test a driver of the risk score (feature id; value,
// contribution and rank) or a signal of the learner (graph signals from lien/graph, competency scores and the
// plan's next session). The default playbook is data/playbook.json, embedded in the library; users replace
// it, or extend it and override rules by id (docs/actions.md documents the format and every rule).
// Loading checks everything and refuses a broken playbook naming the rule (id or position) and the field.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lien/act/action.hpp"
#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

/// What a playbook can know about a learner besides the drivers of the risk score. Numbers; flags are 0 / 1.
enum class Signal : std::uint8_t {
  isolated,                           ///< lien/graph LearnerSignals::isolated (settings.isolation_working_days)
  peer_silence_working_days,          ///< LearnerSignals::working_days_without_peers (unknown when -1)
  peer_degree,                        ///< distinct peers interacted with in the signal window
  core_distance,                      ///< hops to the group's active core (+infinity when unreachable)
  has_manager,                        ///< 1 when Cohort::managers is not empty at the date
  manager_silence_working_days,       ///< working days since the last manager contact (or the enrolment start)
  manager_contacts_per_month,         ///< Engagement::contacts_per_month with the managers
  has_tutor,                          ///< 1 when Cohort::tutors is not empty at the date
  tutor_silence_working_days,         ///< working days since the last tutor contact (or the enrolment start)
  tutor_contacts_per_month,           ///< Engagement::contacts_per_month with the tutors
  weakest_competency_score,           ///< lowest competency score (progress.hpp); unknown when none is scored
  next_session_working_days,          ///< working days to the next classroom / virtual session not done
  next_community_event_working_days,  ///< working days to the next community event step not done
  risk,                               ///< the calibrated probability of the risk score
};
inline constexpr std::size_t kSignalCount = 14;
inline constexpr std::array<std::string_view, kSignalCount> kSignalNames = {
    "isolated",
    "peer_silence_working_days",
    "peer_degree",
    "core_distance",
    "has_manager",
    "manager_silence_working_days",
    "manager_contacts_per_month",
    "has_tutor",
    "tutor_silence_working_days",
    "tutor_contacts_per_month",
    "weakest_competency_score",
    "next_session_working_days",
    "next_community_event_working_days",
    "risk"};
constexpr std::string_view to_string(Signal s) noexcept { return enum_name(s, kSignalNames); }
inline std::optional<Signal> parse_signal(std::string_view s) noexcept { return enum_parse<Signal>(s, kSignalNames); }
/// The feature an action prompted by signal s aims to move ("" for `risk`, which names no single driver).
std::string_view signal_target(Signal s) noexcept;

/// One comparison of a number: `value op operand`.
struct Comparison {
  enum class Op : std::uint8_t { lt, le, gt, ge, eq, ne };
  Op op = Op::ge;
  double operand = 0;
  bool holds(double v) const noexcept {
    switch (op) {
      case Op::lt: return v < operand;
      case Op::le: return v <= operand;
      case Op::gt: return v > operand;
      case Op::ge: return v >= operand;
      case Op::eq: return v == operand;
      case Op::ne: return v != operand;
    }
    return false;
  }
};
inline constexpr std::array<std::string_view, 6> kComparisonOps = {"<", "<=", ">", ">=", "==", "!="};

/// Comparisons that must all hold (an empty test always holds). NaN never passes a non-empty test.
struct Test {
  std::vector<Comparison> all;
  bool holds(double v) const noexcept {
    for (const Comparison& c : all)
      if (!c.holds(v)) return false;
    return true;
  }
};

struct Condition {
  enum class Kind : std::uint8_t { driver, signal };
  Kind kind = Kind::driver;
  std::string feature;            ///< drivers: the feature id
  Signal signal = Signal::risk;   ///< signals: which
  Test value;                     ///< the driver's or the signal's value; signals default to "!= 0"
  Test contribution;              ///< drivers: defaults to "> 0" (only drivers that raise the risk call for action)
  Test rank;                      ///< drivers: rank among the score's drivers (1 = largest)
};

struct Rule {
  std::string id;
  ActionType action = ActionType::nudge;
  std::vector<Condition> when;               ///< all must hold
  std::optional<Performer> who;              ///< default: default_performer(action)
  std::array<bool, 3> bands = {true, true, true};  ///< indexed by Band: low, medium, high
  std::int32_t priority = 0;                 ///< higher first when a learner has many actions
  std::string target;                        ///< feature id the action aims to move (derived when unset)
  /// Working days to do it, by band (low, medium, high); -1: the settings' value for that band.
  std::array<std::int32_t, 3> due_in_working_days = {-1, -1, -1};
  std::int32_t cooling_off_working_days = -1;  ///< -1: the settings' value
  std::string note;                          ///< free text for the people who maintain the playbook

  Performer performer() const noexcept { return who ? *who : default_performer(action); }
};

struct PlaybookSettings {
  std::array<std::int32_t, 3> due_in_working_days = {10, 5, 2};  ///< by band: low, medium, high
  std::int32_t cooling_off_working_days = 10;  ///< no same action for the same learner within this
  std::int32_t signal_window_days = 28;        ///< the graph signals' window: the last N days up to the date
  std::int32_t isolation_working_days = 10;    ///< SignalOptions::isolation_working_days
  std::uint32_t max_actions_per_enrolment = 3; ///< 0: no limit
  std::uint32_t buddy_cap = 2;                 ///< BuddyOptions::cap
  std::int32_t buddy_active_within_working_days = 10;  ///< BuddyOptions::active_within_working_days
};

class Playbook {
 public:
  /// An empty playbook (no rule) with default settings.
  Playbook() = default;

  /// The playbook shipped with lien (data/playbook.json, embedded at build time).
  static const Playbook& default_playbook();
  /// The text of the embedded default playbook.
  static std::string_view default_playbook_json() noexcept;

  /// Parses a playbook from JSON text. `source` names it in error messages (a file name). Throws ParseError
  /// for text that is not JSON or a document of the wrong shape (missing field, wrong type, unknown field),
  /// and InvalidArgument for a rule lien cannot use (unknown action type, feature id, signal or role, bad
  /// condition, duplicate rule id). Every message names the rule (id, or position when it has no id) and the
  /// field.
  static Playbook parse(std::string_view json, const std::string& source = "playbook");
  /// Reads and parses a file. Throws IoError when it cannot be read, then as parse().
  static Playbook load(const std::string& path);

  /// Extends this playbook with another one: its rules replace the rules with the same id (in place) and the
  /// new ones are appended; the rules it lists in "remove" are dropped; the settings it states override;
  /// its custom features are added. Throws InvalidArgument when it removes a rule that does not exist.
  void merge(const Playbook& extension);

  /// Adds a rule after checking it as parse() would (same messages); throws InvalidArgument on a duplicate id.
  void add_rule(Rule rule);
  /// Removes the rule with this id; returns false when there is none.
  bool remove_rule(std::string_view id);

  const std::vector<Rule>& rules() const noexcept { return rules_; }
  const Rule* find(std::string_view id) const noexcept;
  const PlaybookSettings& settings() const noexcept { return settings_; }
  PlaybookSettings& settings() noexcept { return settings_; }
  /// Feature ids beyond the built-in ones that driver conditions may name (custom features of the model).
  const std::vector<std::string>& custom_features() const noexcept { return custom_features_; }
  void add_custom_feature(const std::string& id);
  /// Rule ids an extension removes when merged.
  const std::vector<std::string>& removals() const noexcept { return removals_; }
  const std::string& description() const noexcept { return description_; }

  /// The feature a rule aims to move: its `target`, else its first driver condition's feature, else the
  /// first of its signals that names one (signal_target). Empty only for a rule that failed validation.
  static std::string effective_target(const Rule& rule);

 private:
  friend struct PlaybookParser;
  void check_rule(const Rule& rule, const std::string& where) const;

  std::vector<Rule> rules_;
  PlaybookSettings settings_;
  std::vector<std::string> explicit_settings_;  // settings this playbook's file stated (merge copies them)
  std::vector<std::string> custom_features_;
  std::vector<std::string> removals_;
  std::string description_;
};

LIEN_END_NAMESPACE
