// lien/model/path.hpp — learning paths (parcours), their steps, and the prerequisite DAG between steps.
//
// A step's planned window is either absolute (calendar dates) or relative to the enrolment's start (offsets
// in days), so one path describes every group that follows it at different dates. Prerequisites form a DAG
// held in Boost.Graph; the model keeps a topological order, and "which required steps should be done by day d
// for this enrolment" includes the required prerequisites of every step due by then, dated or not.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

/// When a step opens and when it is due. `relative` windows count days from the enrolment's start day
/// (day 0 = the start day); absolute ones are local calendar days. Either bound may be missing (kNoDay).
struct StepWindow {
  bool relative = false;
  Day open = kNoDay;
  Day due = kNoDay;

  Day open_day(Day enrolment_start) const noexcept {
    return open == kNoDay ? kNoDay : (relative ? enrolment_start + open : open);
  }
  Day due_day(Day enrolment_start) const noexcept {
    return due == kNoDay ? kNoDay : (relative ? enrolment_start + due : due);
  }
};

struct Step {
  std::string id;
  PathId path = kNoId;
  std::uint32_t position = 0;  ///< index of the step in its path's `steps`
  std::string title;
  StepKind kind = StepKind::elearning;
  Phase phase = Phase::during;
  StepWindow window;
  float effort_hours = 0;  ///< expected effort; 0 when unknown
  bool required = true;
  float weight = 1;  ///< weight in the path's assessment (e.g. an OULAD assessment's weight); 1 by default
  std::vector<CompetencyId> competencies;
  std::string activity_iri;  ///< the xAPI activity id that denotes this step ("" if none)
};

/// Prerequisite graph of one path: vertices are the path's step positions, an edge u -> v says u must be
/// done before v.
using PrerequisiteGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

struct Path {
  std::string id;
  std::string title;
  std::string course;               ///< the family of paths that are attempts of the same training; id if unset
  std::vector<StepId> steps;        ///< in the order of the steps table
  std::vector<StepId> topo_order;   ///< a topological order of `steps` (ties keep table order)
  PrerequisiteGraph prerequisites;  ///< over positions in `steps`

  /// Steps `s` directly requires (as StepIds).
  std::vector<StepId> prerequisites_of(const Step& s) const {
    std::vector<StepId> out;
    for (auto [it, end] = boost::in_edges(s.position, prerequisites); it != end; ++it)
      out.push_back(steps[boost::source(*it, prerequisites)]);
    return out;
  }
};

/// Required steps that an enrolment starting on `start_day` should have done by local day `d`: required steps
/// due on or before d, and the required prerequisites (transitively) of those, in topological order.
template <class StepLookup>
std::vector<StepId> required_due_by(const Path& path, StepLookup&& step_of, Day start_day, Day d) {
  const std::size_t n = path.steps.size();
  std::vector<char> mark(n, 0);
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < n; ++i) {
    const Step& s = step_of(path.steps[i]);
    const Day due = s.window.due_day(start_day);
    if (s.required && due != kNoDay && due <= d) {
      mark[i] = 1;
      stack.push_back(i);
    }
  }
  while (!stack.empty()) {
    const std::size_t v = stack.back();
    stack.pop_back();
    for (auto [it, end] = boost::in_edges(v, path.prerequisites); it != end; ++it) {
      const std::size_t u = boost::source(*it, path.prerequisites);
      if (!mark[u] && step_of(path.steps[u]).required) {
        mark[u] = 1;
        stack.push_back(u);
      }
    }
  }
  std::vector<StepId> out;
  for (StepId s : path.topo_order)
    if (mark[step_of(s).position]) out.push_back(s);
  return out;
}

LIEN_END_NAMESPACE
