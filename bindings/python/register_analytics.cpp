// Analytics: funnels, withdrawal hazards by step and phase, Kaplan–Meier curves and log-rank tests, and the
// cohort summary at a date. The engine's work runs without the GIL.
#include <pybind11/stl.h>

#include "lien/act/playbook.hpp"
#include "lien/act/queue.hpp"
#include "lien/act/recommend.hpp"
#include "lien/analytics/funnel.hpp"
#include "lien/analytics/summary.hpp"
#include "lien/analytics/survival.hpp"
#include "lien/model/cohort.hpp"
#include "lien/risk/model.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
using namespace lien;

Funnel funnel_for(const Cohort& c, const std::string& kind, Id id, Time as_of) {
  py::gil_scoped_release release;
  if (kind == "path") return path_funnel(c, id, as_of);
  if (kind == "instance") return instance_funnel(c, id, as_of);
  throw InvalidArgument("funnel: kind '" + kind + "': expected path or instance");
}

Correction correction_of(const std::string& s) {
  if (s == "holm") return Correction::holm;
  if (s == "benjamini_hochberg" || s == "fdr_bh") return Correction::benjamini_hochberg;
  if (s == "none") return Correction::none;
  throw InvalidArgument("correction '" + s + "': expected holm, benjamini_hochberg or none");
}

py::dict km_dict(KaplanMeier&& k) {
  py::dict d;
  d["alpha"] = k.alpha;
  d["subjects"] = k.subjects;
  d["median"] = k.median();
  d["time"] = to_numpy(std::move(k.time));
  d["at_risk"] = to_numpy(std::move(k.at_risk));
  d["events"] = to_numpy(std::move(k.events));
  d["censored"] = to_numpy(std::move(k.censored));
  d["survival"] = to_numpy(std::move(k.survival));
  d["lower"] = to_numpy(std::move(k.lower));
  d["upper"] = to_numpy(std::move(k.upper));
  return d;
}

py::dict test_dict(const HazardTest& t) {
  py::dict d;
  d["at_risk"] = t.at_risk;
  d["events"] = t.events;
  d["hazard"] = t.hazard;
  d["expected"] = t.expected;
  d["p_value"] = t.p_value;
  d["p_adjusted"] = t.p_adjusted;
  d["flagged"] = t.flagged;
  return d;
}

py::dict group_dict(const GroupSummary& g) {
  py::dict d;
  d["key"] = g.key;
  d["enrolled"] = g.enrolled;
  d["active"] = g.active;
  d["completed"] = g.completed;
  d["withdrawn"] = g.withdrawn;
  d["at_risk_low"] = g.at_risk[0];
  d["at_risk_medium"] = g.at_risk[1];
  d["at_risk_high"] = g.at_risk[2];
  d["unscored"] = g.unscored;
  d["actions_open"] = g.actions_open;
  return d;
}
}  // namespace

void register_analytics(py::module_& m) {
  m.def("funnel",
        [](const Cohort& c, const std::string& kind, Id id, Time as_of) {
          Funnel f = funnel_for(c, kind, id, as_of);
          py::dict d;
          d["enrolled"] = f.enrolled;
          d["active"] = f.active;
          d["completed"] = f.completed;
          d["withdrawn"] = f.withdrawn;
          d["withdrew_before_first_step"] = f.withdrew_before_first_step;
          py::list steps;
          for (const FunnelStep& s : f.steps) {
            py::dict x;
            x["step"] = s.step;
            x["title"] = c.step(s.step).title;
            x["phase"] = std::string(to_string(s.phase));
            x["required"] = s.required;
            x["reached"] = s.reached;
            x["completed"] = s.completed;
            x["withdrew_after"] = s.withdrew_after;
            x["withdrew_after_completing"] = s.withdrew_after_completing;
            steps.append(x);
          }
          d["steps"] = steps;
          py::list phases;
          for (const PhaseFunnel& p : f.phases) {
            py::dict x;
            x["phase"] = std::string(to_string(p.phase));
            x["steps"] = p.steps;
            x["reached"] = p.reached;
            x["withdrew_after"] = p.withdrew_after;
            phases.append(x);
          }
          d["phases"] = phases;
          return d;
        },
        py::arg("cohort"), py::arg("kind"), py::arg("id"), py::arg("as_of"));

  m.def("step_hazards",
        [](const Cohort& c, const std::string& kind, Id id, Time as_of, const std::string& correction, double alpha) {
          Funnel f = funnel_for(c, kind, id, as_of);
          HazardOptions o;
          o.correction = correction_of(correction);
          o.alpha = alpha;
          const HazardReport r = withdrawal_hazards(f, o);
          py::dict d;
          d["method"] = r.method;
          d["baseline"] = r.baseline;
          d["phase_baseline"] = r.phase_baseline;
          py::list steps;
          for (const StepHazard& s : r.steps) {
            py::dict x = test_dict(s.test);
            x["step"] = s.step;
            x["phase"] = std::string(to_string(s.phase));
            steps.append(x);
          }
          d["steps"] = steps;
          py::list phases;
          for (const PhaseHazard& p : r.phases) {
            py::dict x = test_dict(p.test);
            x["phase"] = std::string(to_string(p.phase));
            phases.append(x);
          }
          d["phases"] = phases;
          return d;
        },
        py::arg("cohort"), py::arg("kind"), py::arg("id"), py::arg("as_of"), py::arg("correction") = "holm",
        py::arg("alpha") = 0.05);

  m.def("path_survival",
        [](const Cohort& c, const std::string& kind, Id id, Time as_of, const std::string& scale, double alpha) {
          Funnel f = funnel_for(c, kind, id, as_of);
          TimeScale ts = TimeScale::days;
          if (scale == "steps") ts = TimeScale::steps;
          else if (scale != "days") throw InvalidArgument("scale '" + scale + "': expected days or steps");
          SurvivalData data = survival_data(f, ts);
          py::dict d = km_dict(path_survival(f, ts, alpha));
          d["durations"] = to_numpy(std::move(data.durations));
          d["observed"] = to_numpy(std::move(data.observed));
          return d;
        },
        py::arg("cohort"), py::arg("kind"), py::arg("id"), py::arg("as_of"), py::arg("scale") = "days",
        py::arg("alpha") = 0.05);

  m.def("kaplan_meier",
        [](const std::vector<double>& durations, const std::vector<std::uint8_t>& observed, double alpha) {
          return km_dict(kaplan_meier(Span<double>(durations), Span<std::uint8_t>(observed), alpha));
        },
        py::arg("durations"), py::arg("observed"), py::arg("alpha") = 0.05);

  m.def("logrank_test",
        [](const std::vector<double>& da, const std::vector<std::uint8_t>& oa, const std::vector<double>& db,
           const std::vector<std::uint8_t>& ob) {
          const LogRank r = logrank_test(Span<double>(da), Span<std::uint8_t>(oa), Span<double>(db), Span<std::uint8_t>(ob));
          py::dict d;
          d["statistic"] = r.statistic;
          d["p_value"] = r.p_value;
          d["observed_a"] = r.observed_a;
          d["expected_a"] = r.expected_a;
          d["observed_b"] = r.observed_b;
          d["expected_b"] = r.expected_b;
          d["variance"] = r.variance;
          return d;
        },
        py::arg("durations_a"), py::arg("observed_a"), py::arg("durations_b"), py::arg("observed_b"));

  m.def("summarize",
        [](const Cohort& c, Time as_of, const py::object& scores, const py::object& playbook) {
          CohortSummary s;
          {
            std::shared_ptr<ScoreTable> t;
            if (!scores.is_none()) t = scores.cast<std::shared_ptr<ScoreTable>>();
            const Playbook* pb = playbook.is_none() ? &Playbook::default_playbook()
                                                    : playbook.cast<std::shared_ptr<Playbook>>().get();
            py::gil_scoped_release release;
            std::vector<RiskScore> rs;
            if (t)
              for (std::size_t i = 0; i < t->rows; ++i) rs.push_back(t->score(i));
            if (t) {
              const ActionQueue q = build_queue(c, recommend(c, *pb, Span<RiskScore>(rs), as_of), as_of);
              s = summarize(c, as_of, Span<RiskScore>(rs), &q);
            } else {
              s = summarize(c, as_of);
            }
          }
          py::dict d;
          d["total"] = group_dict(s.total);
          py::list a, b, cc;
          for (const auto& g : s.by_instance) a.append(group_dict(g));
          for (const auto& g : s.by_team) b.append(group_dict(g));
          for (const auto& g : s.by_site) cc.append(group_dict(g));
          d["by_instance"] = a;
          d["by_team"] = b;
          d["by_site"] = cc;
          return d;
        },
        py::arg("cohort"), py::arg("as_of"), py::arg("scores") = py::none(), py::arg("playbook") = py::none());
}

}  // namespace lien_py
