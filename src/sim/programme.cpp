// The default simulated programme and the checks every programme passes before the simulator plays it.
#include "lien/sim/programme.hpp"

#include <cmath>
#include <set>

#include "lien/core/error.hpp"

LIEN_BEGIN_NAMESPACE

namespace sim {

namespace {

StepSpec step(const char* id, const char* title, StepKind kind, Phase phase, int open, int due, float effort) {
  StepSpec s;
  s.id = id;
  s.title = title;
  s.kind = kind;
  s.phase = phase;
  s.open = open;
  s.due = due;
  s.effort_hours = effort;
  return s;
}

StepSpec session(const char* id, const char* title, StepKind kind, Phase phase, int day, int hour, int minutes) {
  StepSpec s = step(id, title, kind, phase, day, day, 0);
  s.session_hour = hour;
  s.session_minutes = minutes;
  return s;
}

}  // namespace

Programme manager_programme() {
  // Day 0 is a Monday: classroom days and the virtual class fall on Tuesdays, the community meetup on a
  // Thursday. Windows follow the programme's real rhythm: about four weeks of pre-work, then five weeks
  // between classroom days, then four weeks to close.
  using K = StepKind;
  using P = Phase;
  Programme p;
  auto& v = p.steps;

  v.push_back(step("welcome", "Welcome and programme guide", K::elearning, P::before, 0, 6, 0.5f));
  v.back().competencies = {"self_awareness"};

  v.push_back(step("self_assessment", "Leadership self-assessment", K::assessment, P::before, 0, 13, 0.75f));
  v.back().questions = 5;
  v.back().competencies = {"self_awareness"};

  v.push_back(step("fundamentals", "The manager's role: fundamentals", K::elearning, P::before, 2, 24, 2.5f));
  v.back().competencies = {"leadership"};
  v.back().prerequisites = {"welcome"};

  v.push_back(session("class_1", "Classroom day 1: from expert to manager", K::classroom, P::during, 29, 9, 420));
  v.back().competencies = {"leadership", "self_awareness"};
  v.back().prerequisites = {"fundamentals"};

  v.push_back(step("feedback_module", "Giving and receiving feedback", K::elearning, P::intersession, 30, 48, 2.0f));
  v.back().competencies = {"feedback"};
  v.back().prerequisites = {"class_1"};

  v.push_back(step("feedback_assignment", "Field assignment: a feedback conversation", K::assignment,
                   P::intersession, 30, 56, 2.0f));
  v.back().graded = true;
  v.back().weight = 2;
  v.back().competencies = {"feedback"};
  v.back().prerequisites = {"feedback_module"};

  v.push_back(step("quiz_1", "Quiz: feedback and delegation basics", K::assessment, P::intersession, 35, 59, 0.75f));
  v.back().graded = true;
  v.back().questions = 5;
  v.back().competencies = {"feedback", "delegation"};
  v.back().prerequisites = {"feedback_module"};

  v.push_back(session("community_meetup", "Community meetup: peer exchange (optional)", K::community_event,
                      P::intersession, 45, 12, 60));
  v.back().required = false;
  v.back().competencies = {"networking"};

  v.push_back(session("class_2", "Classroom day 2: delegation and motivation", K::classroom, P::during, 64, 9, 420));
  v.back().competencies = {"delegation", "motivation"};
  v.back().prerequisites = {"class_1"};

  v.push_back(step("delegation_module", "Delegating well", K::elearning, P::intersession, 65, 83, 2.0f));
  v.back().competencies = {"delegation"};
  v.back().prerequisites = {"class_2"};

  v.push_back(step("coaching_call", "Individual coaching call with the tutor", K::coaching, P::intersession, 65, 90,
                   0.75f));
  v.back().session_minutes = 45;
  v.back().competencies = {"coaching"};
  v.back().prerequisites = {"class_2"};

  v.push_back(session("virtual_class", "Virtual class: difficult conversations", K::virtual_class, P::intersession,
                      85, 14, 90));
  v.back().competencies = {"conflict_management"};
  v.back().prerequisites = {"class_2"};

  v.push_back(step("quiz_2", "Quiz: delegation and difficult conversations", K::assessment, P::intersession, 70, 95,
                   0.75f));
  v.back().graded = true;
  v.back().questions = 5;
  v.back().competencies = {"delegation", "conflict_management"};
  v.back().prerequisites = {"delegation_module"};

  v.push_back(session("class_3", "Classroom day 3: leading the team", K::classroom, P::during, 99, 9, 420));
  v.back().competencies = {"leadership", "motivation"};
  v.back().prerequisites = {"class_2"};

  v.push_back(step("final_assessment", "Final assessment", K::assessment, P::after, 100, 113, 1.5f));
  v.back().graded = true;
  v.back().questions = 8;
  v.back().weight = 3;
  v.back().competencies = {"leadership", "feedback", "delegation"};
  v.back().prerequisites = {"class_3", "quiz_1", "quiz_2"};

  v.push_back(step("action_plan", "Individual development action plan", K::assignment, P::after, 100, 120, 2.0f));
  v.back().graded = true;
  v.back().competencies = {"self_awareness", "leadership"};
  v.back().prerequisites = {"class_3"};

  v.push_back(step("final_review", "Final review with the manager and the tutor", K::review, P::after, 121, 127, 1.0f));
  v.back().session_minutes = 60;
  v.back().competencies = {"self_awareness"};
  v.back().prerequisites = {"final_assessment", "action_plan"};
  return p;
}

void validate(const Programme& p) {
  auto fail = [&](const std::string& step, const std::string& what) {
    throw InvalidArgument("simulator programme '" + p.path_id + "', step '" + step + "': " + what);
  };
  if (p.path_id.empty()) throw InvalidArgument("simulator programme: empty path id");
  if (p.steps.empty()) throw InvalidArgument("simulator programme '" + p.path_id + "': no step");
  std::set<std::string> seen;
  for (const StepSpec& s : p.steps) {
    if (s.id.empty()) fail(s.id, "empty step id");
    if (seen.count(s.id)) fail(s.id, "duplicate step id");
    if (s.open < 0) fail(s.id, "open before the enrolment starts (open < 0)");
    if (s.due < s.open) fail(s.id, "due before it opens");
    if ((s.kind == StepKind::classroom || s.kind == StepKind::virtual_class || s.kind == StepKind::community_event) &&
        s.open != s.due)
      fail(s.id, "a classroom, virtual class or community event takes place on one day (open == due)");
    if (!(s.effort_hours >= 0 && s.effort_hours <= 500)) fail(s.id, "effort_hours must lie in [0, 500]");
    if (!(s.weight >= 0) || !std::isfinite(s.weight)) fail(s.id, "weight must be >= 0");
    if (!(s.pass_mark >= 0 && s.pass_mark <= 1)) fail(s.id, "pass_mark must lie in [0, 1]");
    if (s.session_hour < 0 || s.session_hour > 23) fail(s.id, "session_hour must lie in 0..23");
    if (s.session_minutes < 1 || s.session_minutes > 720) fail(s.id, "session_minutes must lie in 1..720");
    if (s.questions < 0 || s.questions > 200) fail(s.id, "questions must lie in 0..200");
    for (const std::string& r : s.prerequisites) {
      if (r == s.id) fail(s.id, "requires itself");
      if (!seen.count(r)) fail(s.id, "prerequisite '" + r + "' is unknown or listed after the step");
    }
    seen.insert(s.id);
  }
}

}  // namespace sim

LIEN_END_NAMESPACE
