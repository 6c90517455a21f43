// lien/model/counts.hpp — what a cohort holds, counted: the body of `lien summary`.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "lien/core/config.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

struct CohortCounts {
  std::uint64_t learners = 0, stakeholders = 0, paths = 0, steps = 0, instances = 0, enrolments = 0, events = 0;
  std::uint64_t relations = 0;     ///< declared relations (graph edges and instance relations)
  std::uint64_t interactions = 0;  ///< aggregated interaction edges between people
  std::map<std::string, std::uint64_t> enrolments_by_outcome;  ///< every outcome, zeros included
  std::map<std::string, std::uint64_t> events_by_verb;         ///< every verb, zeros included; `count` ignored
  std::map<std::string, std::uint64_t> stakeholders_by_role;   ///< every stakeholder role, zeros included
  std::map<std::string, std::uint64_t> relations_by_type;      ///< every declared type, zeros included
  std::map<std::string, std::uint64_t> steps_by_kind;          ///< every step kind, zeros included
};

inline CohortCounts count_records(const Cohort& c) {
  CohortCounts n;
  n.learners = c.learner_count();
  n.stakeholders = c.person_count() - c.learner_count();
  n.paths = c.path_count();
  n.steps = c.step_count();
  n.instances = c.instances().size();
  n.enrolments = c.enrolment_count();
  n.events = c.events().size();
  for (auto name : kOutcomeNames) n.enrolments_by_outcome[std::string(name)] = 0;
  for (auto name : kVerbNames) n.events_by_verb[std::string(name)] = 0;
  for (std::size_t r = 1; r < kRoleNames.size(); ++r) n.stakeholders_by_role[std::string(kRoleNames[r])] = 0;
  for (std::size_t t = 0; t + 1 < kRelationNames.size(); ++t) n.relations_by_type[std::string(kRelationNames[t])] = 0;
  for (auto name : kStepKindNames) n.steps_by_kind[std::string(name)] = 0;
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e)
    ++n.enrolments_by_outcome[std::string(to_string(c.enrolment(e).outcome))];
  std::array<std::uint64_t, kVerbNames.size()> verbs{};
  const Verb* v = c.events().verbs();
  for (std::size_t i = 0; i < c.events().size(); ++i) ++verbs[static_cast<std::size_t>(v[i])];
  for (std::size_t i = 0; i < verbs.size(); ++i) n.events_by_verb[std::string(kVerbNames[i])] = verbs[i];
  for (PersonId p = 0; p < c.person_count(); ++p)
    if (c.person(p).role != Role::learner) ++n.stakeholders_by_role[std::string(to_string(c.person(p).role))];
  for (StepId s = 0; s < c.step_count(); ++s) ++n.steps_by_kind[std::string(to_string(c.step(s).kind))];
  const auto& g = c.graph().boost_graph();
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    if (g[*it].type == RelationType::interacts) {
      ++n.interactions;
    } else {
      ++n.relations;
      ++n.relations_by_type[std::string(to_string(g[*it].type))];
    }
  }
  for (const auto& r : c.graph().instance_relations()) {
    ++n.relations;
    ++n.relations_by_type[std::string(to_string(r.type))];
  }
  return n;
}

LIEN_END_NAMESPACE
