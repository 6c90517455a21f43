// lien/sim/programme.hpp — the shape of the blended programme the simulator plays out.
//
// A Programme is a path described the way a training team plans one: steps with a kind, a phase, a window in
// days from the enrolment's start, an expected effort, prerequisites and competencies. The simulator turns it
// into PathRecord / StepRecord / PrerequisiteRecord for the builder and uses the same description to decide
// what a learner works on each day. The default, manager_programme(), is modelled on a real blended
// management programme: pre-work in the `before` phase, three classroom days separated by intersessions with
// e-learning, an assignment, a coaching call and a virtual class, graded assessments, and a final review in
// the `after` phase.
#pragma once

#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

namespace sim {

/// One step of a simulated programme. Windows are days from the enrolment's start day (day 0).
struct StepSpec {
  std::string id;     ///< unique in the programme (the cohort's step id is the programme's id_prefix + id)
  std::string title;
  StepKind kind = StepKind::elearning;
  Phase phase = Phase::during;
  int open = 0;  ///< first day the step can be done
  int due = 0;   ///< last planned day; for classroom and virtual classes, open == due (the session's day)
  float effort_hours = 1;  ///< self-paced steps: work needed, in hours (sessions of about 45 minutes)
  bool required = true;
  float weight = 1;   ///< weight in the final grade (assessments and assignments)
  bool graded = false;  ///< produces passed / failed against `pass_mark` (assessments, assignments)
  float pass_mark = 0.5f;  ///< scaled score needed to pass, in [0, 1]
  int questions = 0;       ///< assessments: questions per attempt (one `answered` event each; score = share
                           ///< right); 0: the step is read, not answered
  int session_hour = 9;    ///< sessions: local start hour (classroom, virtual class; coaching and review are
                           ///< booked at a random office hour within their window)
  int session_minutes = 60;  ///< sessions: length (a classroom day: 420)
  std::vector<std::string> competencies;
  std::vector<std::string> prerequisites;  ///< ids of steps of the same programme that must be done first
};

/// A programme: a path and its steps, in planning order.
struct Programme {
  std::string path_id = "manager";
  std::string title = "Manager essentials (blended)";
  std::string course = "manager-essentials";
  std::string iri_base = "https://lms.example.org/xapi/activities/manager/";  ///< activity IRI = base + step id
  std::vector<StepSpec> steps;

  /// The day of the last due date: the enrolment's planned end is the end of that day (23:59:59 local).
  int length_days() const noexcept {
    int n = 0;
    for (const auto& s : steps) n = s.due > n ? s.due : n;
    return n;
  }
  /// Index of step `id`, or -1.
  int find(const std::string& id) const noexcept {
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (steps[i].id == id) return static_cast<int>(i);
    return -1;
  }
};

/// Sessions are the steps a learner attends at a planned time (attended / absent), not works through.
constexpr bool is_session(StepKind k) noexcept {
  return k == StepKind::classroom || k == StepKind::virtual_class || k == StepKind::coaching ||
         k == StepKind::review || k == StepKind::community_event;
}

/// The default programme (17 steps over 127 days; see docs/simulator.md for the table).
Programme manager_programme();

/// Checks a programme: at least one step; ids non-empty and unique; 0 <= open <= due; classroom, virtual
/// classes and community events on one day (open == due); effort in [0, 500] hours; weight >= 0; pass mark
/// in [0, 1]; session hours in 0..23 and lengths in 1..720 minutes; questions in 0..200; prerequisites known
/// and listed before the step (which keeps them acyclic). Throws InvalidArgument naming the step and the field.
void validate(const Programme& p);

}  // namespace sim

LIEN_END_NAMESPACE
