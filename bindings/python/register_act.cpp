// Actions: playbooks (the embedded default, a file, JSON text), recommendations and the weekly action queue
// from a ScoreTable, and reviews. Each call releases the GIL around the engine's work.
#include <pybind11/stl.h>

#include "lien/act/playbook.hpp"
#include "lien/act/queue.hpp"
#include "lien/act/recommend.hpp"
#include "lien/analytics/review.hpp"
#include "lien/risk/model.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
using namespace lien;

Lang lang_of(const std::string& s) {
  if (s == "en") return Lang::en;
  if (s == "fr") return Lang::fr;
  throw InvalidArgument("language '" + s + "': expected en or fr");
}

std::vector<RiskScore> scores_of(const ScoreTable& t) {
  std::vector<RiskScore> out;
  out.reserve(t.rows);
  for (std::size_t i = 0; i < t.rows; ++i) out.push_back(t.score(i));
  return out;
}

const Playbook& playbook_or_default(const py::object& p) {
  return p.is_none() ? Playbook::default_playbook() : *p.cast<std::shared_ptr<Playbook>>();
}

// One column per field of the actions; the texts (why, label, who_label, text) in `lang`.
py::dict action_columns(const Cohort& c, const std::vector<const Action*>& actions, Lang lang) {
  const std::size_t n = actions.size();
  py::list type(n), rule(n), requested(n), resolved(n), why(n), target(n), band(n), label(n), who_label(n), text(n);
  std::vector<std::int32_t> priority(n), due_in(n), due(n), step_day(n);
  std::vector<std::uint32_t> enrolment(n), learner(n), performer(n), buddy(n), step(n), competency(n);
  std::vector<double> probability(n), buddy_score(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Action& a = *actions[i];
    type[i] = std::string(to_string(a.type));
    rule[i] = a.rule;
    requested[i] = std::string(to_string(a.requested));
    resolved[i] = std::string(to_string(a.resolved));
    why[i] = a.why(lang);
    label[i] = std::string(action_label(a.type, lang));
    who_label[i] = std::string(performer_label(a.resolved, lang));
    text[i] = describe_action(c, a, lang);
    target[i] = a.target;
    band[i] = std::string(to_string(a.band));
    priority[i] = a.priority, due_in[i] = a.due_in_working_days, due[i] = a.due, step_day[i] = a.step_day;
    enrolment[i] = a.enrolment, learner[i] = a.learner, performer[i] = a.performer, buddy[i] = a.buddy;
    step[i] = a.step, competency[i] = a.competency;
    probability[i] = a.probability, buddy_score[i] = a.buddy_score;
  }
  py::dict d;
  d["action"] = type;
  d["rule"] = rule;
  d["requested_role"] = requested;
  d["who_role"] = resolved;
  d["why"] = why;
  d["label"] = label;
  d["who_label"] = who_label;
  d["text"] = text;
  d["target"] = target;
  d["band"] = band;
  d["priority"] = to_numpy(std::move(priority));
  d["due_in_working_days"] = to_numpy(std::move(due_in));
  d["due_day"] = to_numpy(std::move(due));
  d["step_day"] = to_numpy(std::move(step_day));
  d["enrolment"] = to_numpy(std::move(enrolment));
  d["learner"] = to_numpy(std::move(learner));
  d["who"] = to_numpy(std::move(performer));
  d["buddy"] = to_numpy(std::move(buddy));
  d["step"] = to_numpy(std::move(step));
  d["competency"] = to_numpy(std::move(competency));
  d["probability"] = to_numpy(std::move(probability));
  d["buddy_score"] = to_numpy(std::move(buddy_score));
  return d;
}

py::list review_steps(const std::vector<ReviewStep>& steps) {
  py::list out;
  for (const ReviewStep& s : steps) {
    py::dict d;
    d["step"] = s.step;
    d["done_day"] = s.done_day == kNoDay ? py::object(py::none()) : py::object(py::int_(s.done_day));
    d["score"] = s.has_score ? py::object(py::float_(s.score)) : py::object(py::none());
    d["due_day"] = s.due_day == kNoDay ? py::object(py::none()) : py::object(py::int_(s.due_day));
    d["planned_day"] = s.planned_day == kNoDay ? py::object(py::none()) : py::object(py::int_(s.planned_day));
    d["working_days_late"] = s.working_days_late;
    out.append(d);
  }
  return out;
}
}  // namespace

void register_act(py::module_& m) {
  py::class_<Playbook, std::shared_ptr<Playbook>>(m, "Playbook")
      .def_static("default", []() { return std::make_shared<Playbook>(Playbook::default_playbook()); })
      .def_static("default_json", []() { return std::string(Playbook::default_playbook_json()); })
      .def_static("parse", [](const std::string& json, const std::string& source) {
                    return std::make_shared<Playbook>(Playbook::parse(json, source));
                  },
                  py::arg("json"), py::arg("source") = "playbook")
      .def_static("load", [](const std::string& path) { return std::make_shared<Playbook>(Playbook::load(path)); },
                  py::arg("path"))
      .def("merge", &Playbook::merge, py::arg("extension"))
      .def_property_readonly("rule_ids",
                             [](const Playbook& p) {
                               std::vector<std::string> ids;
                               for (const Rule& r : p.rules()) ids.push_back(r.id);
                               return ids;
                             })
      .def_property_readonly("description", &Playbook::description);

  m.def("recommend",
        [](const Cohort& c, const ScoreTable& t, Time date, const py::object& playbook, const std::string& lang) {
          const Playbook& pb = playbook_or_default(playbook);
          std::vector<Action> actions;
          {
            py::gil_scoped_release release;
            const std::vector<RiskScore> scores = scores_of(t);
            actions = recommend(c, pb, Span<RiskScore>(scores), date);
          }
          std::vector<const Action*> ptrs;
          for (const Action& a : actions) ptrs.push_back(&a);
          return action_columns(c, ptrs, lang_of(lang));
        },
        py::arg("cohort"), py::arg("scores"), py::arg("date"), py::arg("playbook") = py::none(), py::arg("lang") = "en");

  m.def("action_queue",
        [](const Cohort& c, const ScoreTable& t, Time date, const py::object& playbook, const std::string& lang,
           std::uint32_t weekly_cap, const std::string& over_cap, std::int32_t cooling_off) {
          const Playbook& pb = playbook_or_default(playbook);
          QueueOptions o;
          o.weekly_cap = weekly_cap;
          if (over_cap == "defer") o.over_cap = CapPolicy::defer;
          else if (over_cap == "drop") o.over_cap = CapPolicy::drop;
          else throw InvalidArgument("over_cap '" + over_cap + "': expected defer or drop");
          o.cooling_off_working_days = cooling_off;
          ActionQueue q;
          {
            py::gil_scoped_release release;
            const std::vector<RiskScore> scores = scores_of(t);
            q = build_queue(c, recommend(c, pb, Span<RiskScore>(scores), date), date, o);
          }
          std::vector<const Action*> ptrs;
          const std::size_t n = q.entries.size();
          py::list status(n), note(n);
          std::vector<std::uint32_t> rank(n), last_by(n);
          std::vector<std::int32_t> day(n);
          std::vector<std::int64_t> last(n);
          for (std::size_t i = 0; i < n; ++i) {
            const QueueEntry& e = q.entries[i];
            ptrs.push_back(&e.action);
            status[i] = std::string(to_string(e.status));
            note[i] = e.note;
            rank[i] = e.rank, day[i] = e.day, last[i] = e.last_taken, last_by[i] = e.last_taken_by;
          }
          py::dict d = action_columns(c, ptrs, lang_of(lang));
          d["status"] = status;
          d["note"] = note;
          d["rank"] = to_numpy(std::move(rank));
          d["day"] = to_numpy(std::move(day));
          d["last_taken"] = to_numpy(std::move(last));
          d["last_taken_by"] = to_numpy(std::move(last_by));
          return d;
        },
        py::arg("cohort"), py::arg("scores"), py::arg("date"), py::arg("playbook") = py::none(), py::arg("lang") = "en",
        py::arg("weekly_cap") = 10, py::arg("over_cap") = "defer", py::arg("cooling_off_working_days") = -1);

  m.def("review",
        [](const Cohort& c, EnrolmentId e, Time as_of, const py::object& model, const py::object& playbook,
           std::uint32_t next_steps) {
          Review r;
          {
            std::shared_ptr<RiskModel> rm;
            if (!model.is_none()) rm = model.cast<std::shared_ptr<RiskModel>>();
            const Playbook* pb = playbook.is_none() ? &Playbook::default_playbook()
                                                    : playbook.cast<std::shared_ptr<Playbook>>().get();
            py::gil_scoped_release release;
            ReviewOptions o;
            o.next_steps = next_steps;
            o.playbook = pb;
            std::vector<RiskScore> scores;
            if (rm) {
              const Landmark row{e, as_of};
              scores = rm->score(c, Span<Landmark>(&row, 1));
            }
            r = review(c, e, as_of, scores.empty() ? nullptr : &scores[0], {}, o);
          }
          py::dict d;
          d["text_en"] = render_review(c, r, Lang::en);
          d["text_fr"] = render_review(c, r, Lang::fr);
          d["enrolment"] = r.enrolment;
          d["learner"] = r.learner;
          d["as_of"] = r.as_of;
          d["day"] = r.day;
          d["outcome"] = std::string(to_string(r.outcome));
          d["working_days_enrolled"] = r.working_days_enrolled;
          d["done"] = review_steps(r.done);
          d["late"] = review_steps(r.late);
          d["next"] = review_steps(r.next);
          py::list comps;
          for (const ReviewCompetency& k : r.competencies) {
            py::dict x;
            x["competency"] = k.competency;
            x["score"] = k.scored ? py::object(py::float_(k.score)) : py::object(py::none());
            x["steps_scored"] = k.steps_scored;
            x["required_steps"] = k.required_steps;
            x["required_steps_done"] = k.required_steps_done;
            x["covered"] = k.covered;
            comps.append(x);
          }
          d["competencies"] = comps;
          d["required_steps"] = r.required_steps;
          d["required_steps_done"] = r.required_steps_done;
          d["certification_progress"] = r.certification_progress;
          d["has_risk"] = r.has_risk;
          d["probability"] = r.probability;
          d["band"] = std::string(to_string(r.band));
          py::list drivers;
          for (const ReviewDriver& x : r.drivers) {
            py::dict y;
            y["feature"] = x.driver.feature;
            y["value"] = x.driver.value;
            y["contribution"] = x.driver.contribution;
            y["rank"] = x.driver.rank;
            y["text_en"] = x.text_en;
            y["text_fr"] = x.text_fr;
            drivers.append(y);
          }
          d["drivers"] = drivers;
          std::vector<const Action*> ptrs;
          for (const Action& a : r.suggestions) ptrs.push_back(&a);
          d["suggestions_en"] = action_columns(c, ptrs, Lang::en);
          d["suggestions_fr"] = action_columns(c, ptrs, Lang::fr);
          return d;
        },
        py::arg("cohort"), py::arg("enrolment"), py::arg("as_of"), py::arg("model") = py::none(),
        py::arg("playbook") = py::none(), py::arg("next_steps") = 3);
}

}  // namespace lien_py
