// lien/model/types.hpp — the closed vocabularies of the cohort model and their text forms.
//
// Each enum has one canonical lower-case name (the one written in CSV files, JSON and the APIs) and a parse
// function that accepts exactly those names. Adding a value appends it: the numeric values are part of the
// C ABI and of model files.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "lien/core/config.hpp"
#include "lien/core/intern.hpp"

LIEN_BEGIN_NAMESPACE

using LearnerId = Id;
using PersonId = Id;
using PathId = Id;
using StepId = Id;
using EnrolmentId = Id;
using InstanceId = Id;
using ResourceId = Id;
using CompetencyId = Id;

enum class Verb : std::uint8_t {
  launched, initialized, experienced, attempted, answered, completed, passed, failed,
  attended, absent, posted, replied, messaged, met, other
};
inline constexpr std::array<std::string_view, 15> kVerbNames = {
    "launched", "initialized", "experienced", "attempted", "answered", "completed", "passed", "failed",
    "attended", "absent",      "posted",      "replied",   "messaged", "met",       "other"};

enum class StepKind : std::uint8_t {
  elearning, classroom, virtual_class, assessment, assignment, coaching, community_event, review
};
inline constexpr std::array<std::string_view, 8> kStepKindNames = {
    "elearning", "classroom", "virtual_class", "assessment", "assignment", "coaching", "community_event", "review"};

enum class Phase : std::uint8_t { before, during, intersession, after };
inline constexpr std::array<std::string_view, 4> kPhaseNames = {"before", "during", "intersession", "after"};

enum class Role : std::uint8_t {
  learner, manager, hr, trainer, tutor, community_manager, training_org, company
};
inline constexpr std::array<std::string_view, 8> kRoleNames = {
    "learner", "manager", "hr", "trainer", "tutor", "community_manager", "training_org", "company"};

/// Typed relations between people (and organisations). Interactions (replied, messaged, met) are not
/// relations one declares: the stakeholder graph derives them from events.
enum class RelationType : std::uint8_t { reports_to, tutors, trains, employs, member_of, interacts };
inline constexpr std::array<std::string_view, 6> kRelationNames = {"reports_to", "tutors", "trains",
                                                                   "employs",    "member_of", "interacts"};

enum class Outcome : std::uint8_t { active, completed, withdrawn };
inline constexpr std::array<std::string_view, 3> kOutcomeNames = {"active", "completed", "withdrawn"};

enum class ObjectKind : std::uint8_t { none, step, resource, person };
inline constexpr std::array<std::string_view, 4> kObjectKindNames = {"none", "step", "resource", "person"};

/// A boolean that may be unknown (xAPI result.success and result.completion are optional).
enum class Tri : std::uint8_t { unknown, no, yes };

template <class E, std::size_t N>
constexpr std::string_view enum_name(E e, const std::array<std::string_view, N>& names) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view("?");
}

template <class E, std::size_t N>
constexpr std::optional<E> enum_parse(std::string_view s, const std::array<std::string_view, N>& names) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::string_view to_string(Verb v) noexcept { return enum_name(v, kVerbNames); }
constexpr std::string_view to_string(StepKind v) noexcept { return enum_name(v, kStepKindNames); }
constexpr std::string_view to_string(Phase v) noexcept { return enum_name(v, kPhaseNames); }
constexpr std::string_view to_string(Role v) noexcept { return enum_name(v, kRoleNames); }
constexpr std::string_view to_string(RelationType v) noexcept { return enum_name(v, kRelationNames); }
constexpr std::string_view to_string(Outcome v) noexcept { return enum_name(v, kOutcomeNames); }
constexpr std::string_view to_string(ObjectKind v) noexcept { return enum_name(v, kObjectKindNames); }

template <class E>
std::optional<E> parse_enum(std::string_view s) noexcept;
template <>
inline std::optional<Verb> parse_enum<Verb>(std::string_view s) noexcept { return enum_parse<Verb>(s, kVerbNames); }
template <>
inline std::optional<StepKind> parse_enum<StepKind>(std::string_view s) noexcept {
  return enum_parse<StepKind>(s, kStepKindNames);
}
template <>
inline std::optional<Phase> parse_enum<Phase>(std::string_view s) noexcept { return enum_parse<Phase>(s, kPhaseNames); }
template <>
inline std::optional<Role> parse_enum<Role>(std::string_view s) noexcept { return enum_parse<Role>(s, kRoleNames); }
template <>
inline std::optional<RelationType> parse_enum<RelationType>(std::string_view s) noexcept {
  return enum_parse<RelationType>(s, kRelationNames);
}
template <>
inline std::optional<Outcome> parse_enum<Outcome>(std::string_view s) noexcept {
  return enum_parse<Outcome>(s, kOutcomeNames);
}
template <>
inline std::optional<ObjectKind> parse_enum<ObjectKind>(std::string_view s) noexcept {
  return enum_parse<ObjectKind>(s, kObjectKindNames);
}

/// Verbs that make a peer or stakeholder interaction edge when their object is a person.
constexpr bool is_interaction(Verb v) noexcept {
  return v == Verb::replied || v == Verb::messaged || v == Verb::met;
}

LIEN_END_NAMESPACE
