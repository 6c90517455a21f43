// lien/analytics/summary.hpp — the cohort at a glance: enrolled, active, completed, withdrawn, at risk by band
// and open actions, for the whole cohort and by group (path instance, team, site).
//
// Counts are of enrolments that started at or before as_of, with outcomes as known at as_of. "At risk by
// band" counts the active enrolments that have a score, by the score's band (unscored active enrolments are
// counted apart). "Actions open" counts the queue's entries that are scheduled or deferred (the work still to
// do), attributed to their enrolment's groups. Team and site are the learner's labels ("" when unknown, which
// is a group of its own).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/risk/score.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;
struct ActionQueue;

struct GroupSummary {
  std::string key;  ///< the instance id, team or site ("" for the total, or an unknown team / site)
  std::uint32_t enrolled = 0, active = 0, completed = 0, withdrawn = 0;
  std::array<std::uint32_t, 3> at_risk{};  ///< active and scored, by band: low, medium, high
  std::uint32_t unscored = 0;              ///< active without a score
  std::uint32_t actions_open = 0;          ///< scheduled or deferred queue entries
};

struct CohortSummary {
  Time as_of = kNoTime;
  GroupSummary total;
  std::vector<GroupSummary> by_instance;  ///< by instance id
  std::vector<GroupSummary> by_team;      ///< by team label
  std::vector<GroupSummary> by_site;      ///< by site label
};

/// The summary at `as_of`. `scores`: risk scores (scores of enrolments that are not active at as_of are
/// ignored); `queue` (optional): the action queue whose open entries are counted (entries of enrolments that
/// had not started at as_of are ignored). Throws InvalidArgument for
/// a score naming an unknown enrolment or two scores for one enrolment.
CohortSummary summarize(const Cohort& cohort, Time as_of, Span<RiskScore> scores = {}, const ActionQueue* queue = nullptr);

LIEN_END_NAMESPACE
