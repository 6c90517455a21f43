// The engine calls the command line, the HTML report, the plots and the OULAD evaluation need, as free
// functions over plain values (ids as strings, instants as ms since epoch, columns as lists or NumPy arrays,
// a model as its JSON text). They bind no C++ class of their own, so they sit beside the package's class
// bindings without registering any type twice; python/lien/_engine.py wraps them.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lien/act/action.hpp"
#include "lien/act/playbook.hpp"
#include "lien/act/queue.hpp"
#include "lien/act/recommend.hpp"
#include "lien/analytics/funnel.hpp"
#include "lien/analytics/review.hpp"
#include "lien/analytics/survival.hpp"
#include "lien/core/error.hpp"
#include "lien/core/time.hpp"
#include "lien/features/extract.hpp"
#include "lien/graph/health.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/model/cohort.hpp"
#include "lien/risk/model.hpp"
#include "lien/sim/simulator.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
using lien::Cohort;
using lien::Time;

lien::Lang lang_of(const std::string& s) { return lien::parse_lang(s); }

std::string person_id(const Cohort& c, lien::PersonId p) { return p == lien::kNoId ? std::string() : c.person(p).id; }

std::string day_text(lien::Day d) { return d == lien::kNoDay ? std::string() : lien::format_date(d); }

// A date (YYYY-MM-DD) is the start of that local day (the readers' rule, docs/ARCHITECTURE.md); a timestamp
// without an offset is local time.
Time instant(const Cohort& c, const std::string& text) {
  lien::Day d;
  if (lien::parse_date(text, d)) return c.calendar().start_of_day(d);
  lien::ParsedTimestamp p;
  const char* why = nullptr;
  if (!lien::parse_timestamp(text, p, &why))
    throw lien::InvalidArgument("as_of '" + text + "': " + (why ? why : "not a date or timestamp"));
  return c.calendar().to_instant(p);
}

lien::RiskModelOptions model_options(const py::dict& o) {
  lien::RiskModelOptions opt;
  if (o.contains("horizon_days")) opt.horizon_days = o["horizon_days"].cast<int>();
  if (o.contains("target")) opt.target = lien::parse_target(o["target"].cast<std::string>());
  if (o.contains("l2")) opt.l2 = o["l2"].cast<double>();
  if (o.contains("calibration")) opt.calibration = lien::parse_calibration(o["calibration"].cast<std::string>());
  if (o.contains("folds")) opt.folds = o["folds"].cast<int>();
  if (o.contains("top_k")) opt.top_k = o["top_k"].cast<std::size_t>();
  if (o.contains("threads")) opt.threads = o["threads"].cast<int>();
  if (o.contains("observed_until")) opt.observed_until = o["observed_until"].cast<Time>();
  if (o.contains("survival")) opt.survival.enabled = o["survival"].cast<bool>();
  return opt;
}

std::vector<lien::Landmark> rows_of(const Cohort& c, const std::vector<std::string>& ids, const std::vector<Time>& at) {
  if (ids.size() != at.size()) throw lien::InvalidArgument("rows: enrolment ids and as_of differ in length");
  std::vector<lien::Landmark> rows(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const lien::EnrolmentId e = c.find_enrolment(ids[i]);
    if (e == lien::kNoId) throw lien::InvalidArgument("rows[" + std::to_string(i) + "]: unknown enrolment '" + ids[i] + "'");
    rows[i] = lien::Landmark{e, at[i]};
  }
  return rows;
}

py::dict scores_dict(const Cohort& c, const lien::RiskModel& model, const std::vector<lien::RiskScore>& s,
                     std::size_t horizons) {
  const std::size_t n = s.size();
  std::vector<std::string> enr(n), learner(n), path(n), instance(n), band(n);
  std::vector<Time> as_of(n);
  py::array_t<double> prob(n), logit(n), by_end(n);
  py::array_t<double> within({n, horizons});
  auto p = prob.mutable_unchecked<1>();
  auto l = logit.mutable_unchecked<1>();
  auto be = by_end.mutable_unchecked<1>();
  auto w = within.mutable_unchecked<2>();
  py::list drivers;
  for (std::size_t i = 0; i < n; ++i) {
    const lien::Enrolment& e = c.enrolment(s[i].enrolment);
    enr[i] = e.id;
    learner[i] = c.learner_id(e.learner);
    path[i] = c.path(e.path).id;
    instance[i] = std::string(c.instances()[e.instance]);
    band[i] = lien::to_string(s[i].band);
    as_of[i] = s[i].as_of;
    p(i) = s[i].probability;
    l(i) = s[i].logit;
    be(i) = s[i].withdraw_by_end;
    for (std::size_t h = 0; h < horizons; ++h)
      w(i, h) = h < s[i].withdraw_within.size() ? s[i].withdraw_within[h] : std::nan("");
    py::list d;
    for (const lien::Driver& x : s[i].drivers)
      d.append(py::make_tuple(x.feature, x.value, x.contribution, x.rank, x.sentence));
    drivers.append(std::move(d));
  }
  (void)model;
  py::dict out;
  out["enrolment"] = enr;
  out["learner"] = learner;
  out["path"] = path;
  out["instance"] = instance;
  out["as_of"] = as_of;
  out["probability"] = prob;
  out["band"] = band;
  out["logit"] = logit;
  out["withdraw_within"] = within;
  out["withdraw_by_end"] = by_end;
  out["drivers"] = drivers;
  return out;
}

std::vector<lien::RiskScore> score_at(const Cohort& c, const lien::RiskModel& model, Time as_of, std::size_t top_k,
                                      const std::vector<int>& horizons, const std::string& lang) {
  lien::ScoreOptions o;
  o.top_k = top_k;
  o.horizons_days = horizons;
  if (!lang.empty()) o.lang = lang_of(lang);
  py::gil_scoped_release release;
  return model.score(c, as_of, o);
}

const lien::Playbook& playbook_of(const std::string& path, std::unique_ptr<lien::Playbook>& holder) {
  if (path.empty()) return lien::Playbook::default_playbook();
  holder = std::make_unique<lien::Playbook>(lien::Playbook::load(path));
  return *holder;
}

py::dict action_dict(const Cohort& c, const lien::Action& a) {
  py::dict d;
  d["type"] = std::string(lien::to_string(a.type));
  d["label_en"] = std::string(lien::action_label(a.type, lien::Lang::en));
  d["label_fr"] = std::string(lien::action_label(a.type, lien::Lang::fr));
  d["rule"] = a.rule;
  d["priority"] = a.priority;
  d["enrolment"] = c.enrolment(a.enrolment).id;
  d["learner"] = c.learner_id(a.learner);
  d["learner_name"] = c.person(c.learner(a.learner).person).display_name;
  d["role"] = std::string(lien::to_string(a.resolved));
  d["role_en"] = std::string(lien::performer_label(a.resolved, lien::Lang::en));
  d["role_fr"] = std::string(lien::performer_label(a.resolved, lien::Lang::fr));
  d["performer"] = person_id(c, a.performer);
  d["performer_name"] = a.performer == lien::kNoId ? std::string() : c.person(a.performer).display_name;
  d["buddy"] = person_id(c, a.buddy);
  d["band"] = std::string(lien::to_string(a.band));
  d["probability"] = a.probability;
  d["why_en"] = a.why_en;
  d["why_fr"] = a.why_fr;
  d["due"] = day_text(a.due);
  d["target"] = a.target;
  d["text_en"] = lien::describe_action(c, a, lien::Lang::en);
  d["text_fr"] = lien::describe_action(c, a, lien::Lang::fr);
  return d;
}

py::dict hazard_test_dict(const lien::HazardTest& t) {
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

py::dict km_dict(const lien::KaplanMeier& k) {
  py::dict d;
  d["time"] = k.time;
  d["at_risk"] = k.at_risk;
  d["events"] = k.events;
  d["censored"] = k.censored;
  d["survival"] = k.survival;
  d["lower"] = k.lower;
  d["upper"] = k.upper;
  return d;
}
}  // namespace

void register_cli_extras(py::module_& m) {
  using namespace lien;

  m.def("cli_instant", &instant, py::arg("cohort"), py::arg("text"),
        "An instant (ms) from a date (the start of that local day) or a timestamp (local when it has no offset).");
  m.def("cli_format_day", [](const Cohort& c, Time t) { return lien::format_date(c.calendar().local_day(t)); },
        py::arg("cohort"), py::arg("time_ms"));
  m.def("cli_latest_instant", [](const Cohort& c) { return latest_instant(c); }, py::arg("cohort"));

  m.def(
      "cli_simulate",
      [](std::size_t learners, std::uint64_t seed, const std::string& start, std::optional<Time> observe_until,
         const std::string& id_prefix, std::size_t group_size) {
        sim::Params p;
        p.learners = learners;
        p.seed = seed;
        Day d;
        const char* why = nullptr;
        if (!parse_date(start, d, &why)) throw InvalidArgument("simulate: start '" + start + "': " + why);
        p.start = d;
        if (observe_until) p.observe_until = *observe_until;
        p.id_prefix = id_prefix;
        if (group_size) p.group_size = group_size;
        sim::Simulation s;
        {
          py::gil_scoped_release release;
          s = sim::simulate(p);
        }
        return py::make_tuple(std::make_shared<Cohort>(std::move(s.cohort)), sim::ground_truth_csv(s.truth));
      },
      py::arg("learners"), py::arg("seed"), py::arg("start"), py::arg("observe_until") = py::none(),
      py::arg("id_prefix") = "", py::arg("group_size") = 0);

  m.def(
      "cli_enrolments",
      [](const Cohort& c) {
        const std::size_t n = c.enrolment_count();
        std::vector<std::string> id(n), learner(n), path(n), instance(n), outcome(n), name(n), team(n), site(n);
        std::vector<Time> start(n), end(n), outcome_time(n);
        std::vector<std::int32_t> prior(n);
        for (std::size_t i = 0; i < n; ++i) {
          const Enrolment& e = c.enrolment(static_cast<EnrolmentId>(i));
          id[i] = e.id;
          learner[i] = c.learner_id(e.learner);
          path[i] = c.path(e.path).id;
          instance[i] = std::string(c.instances()[e.instance]);
          outcome[i] = std::string(to_string(e.outcome));
          name[i] = c.person(c.learner(e.learner).person).display_name;
          team[i] = c.learner(e.learner).team;
          site[i] = c.learner(e.learner).site;
          start[i] = e.start;
          end[i] = e.planned_end;
          outcome_time[i] = e.outcome_time;
          prior[i] = e.prior_attempts;
        }
        py::dict d;
        d["enrolment"] = id;
        d["learner"] = learner;
        d["path"] = path;
        d["instance"] = instance;
        d["start"] = start;
        d["planned_end"] = end;
        d["outcome"] = outcome;
        d["outcome_time"] = outcome_time;
        d["prior_attempts"] = prior;
        d["display_name"] = name;
        d["team"] = team;
        d["site"] = site;
        return d;
      },
      py::arg("cohort"));

  m.def(
      "cli_fit",
      [](const Cohort& c, std::optional<std::vector<Time>> landmarks, std::optional<std::vector<std::string>> row_ids,
         std::optional<std::vector<Time>> row_as_of, const py::dict& options) {
        const RiskModelOptions o = model_options(options);
        RiskModel model;
        if (row_ids) {
          const std::vector<Landmark> rows = rows_of(c, *row_ids, row_as_of ? *row_as_of : std::vector<Time>{});
          py::gil_scoped_release release;
          model = RiskModel::fit(c, Span<Landmark>(rows.data(), rows.size()), o);
        } else {
          py::gil_scoped_release release;
          model = RiskModel::fit(c, landmarks ? *landmarks : std::vector<Time>{}, o);
        }
        return model.to_json();
      },
      py::arg("cohort"), py::arg("landmarks") = py::none(), py::arg("row_ids") = py::none(),
      py::arg("row_as_of") = py::none(), py::arg("options") = py::dict());

  m.def("cli_check_model", [](const std::string& json) { (void)RiskModel::from_json(json); }, py::arg("model_json"));
  m.def("cli_load_model", [](const std::string& path) { return RiskModel::load(path).to_json(); }, py::arg("path"));

  m.def(
      "cli_score",
      [](const Cohort& c, const std::string& json, std::optional<Time> as_of,
         std::optional<std::vector<std::string>> row_ids, std::optional<std::vector<Time>> row_as_of,
         std::size_t top_k, std::vector<int> horizons, const std::string& lang) {
        const RiskModel model = RiskModel::from_json(json);
        std::vector<RiskScore> s;
        if (row_ids) {
          const std::vector<Landmark> rows = rows_of(c, *row_ids, row_as_of ? *row_as_of : std::vector<Time>{});
          ScoreOptions o;
          o.top_k = top_k;
          o.horizons_days = horizons;
          if (!lang.empty()) o.lang = lang_of(lang);
          py::gil_scoped_release release;
          s = model.score(c, Span<Landmark>(rows.data(), rows.size()), o);
        } else {
          if (!as_of) throw InvalidArgument("score: give as_of or rows");
          s = score_at(c, model, *as_of, top_k, horizons, lang);
        }
        py::dict d = scores_dict(c, model, s, model.has_survival() ? horizons.size() : 0);
        d["horizons"] = model.has_survival() ? horizons : std::vector<int>{};
        return d;
      },
      py::arg("cohort"), py::arg("model_json"), py::arg("as_of") = py::none(), py::arg("row_ids") = py::none(),
      py::arg("row_as_of") = py::none(), py::arg("top_k") = 5, py::arg("horizons") = std::vector<int>{28, 56},
      py::arg("lang") = "en");

  m.def(
      "cli_features",
      [](const Cohort& c, const std::string& json, std::optional<Time> as_of,
         std::optional<std::vector<std::string>> row_ids, std::optional<std::vector<Time>> row_as_of) {
        std::vector<Landmark> rows;
        if (row_ids) {
          rows = rows_of(c, *row_ids, row_as_of ? *row_as_of : std::vector<Time>{});
        } else {
          if (!as_of) throw InvalidArgument("features: give as_of or rows");
          rows = landmarks(c, {*as_of});
        }
        FeatureMatrix fm;
        {
          py::gil_scoped_release release;
          if (json.empty()) {
            fm = extract(c, Span<Landmark>(rows.data(), rows.size()));
          } else {
            const RiskModel model = RiskModel::from_json(json);
            fm = model.features(c, Span<Landmark>(rows.data(), rows.size()));
          }
        }
        const std::size_t n = fm.rows(), k = fm.cols();
        py::array_t<double> x({n, k});
        auto v = x.mutable_unchecked<2>();
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < k; ++j)
            v(i, j) = fm.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        std::vector<std::string> names(k), ids(n);
        for (std::size_t j = 0; j < k; ++j) names[j] = fm.spec[j].id;
        for (std::size_t i = 0; i < n; ++i) ids[i] = c.enrolment(fm.enrolments[i]).id;
        return py::make_tuple(names, x, ids, fm.as_of);
      },
      py::arg("cohort"), py::arg("model_json") = "", py::arg("as_of") = py::none(), py::arg("row_ids") = py::none(),
      py::arg("row_as_of") = py::none());

  m.def(
      "cli_queue",
      [](const Cohort& c, const std::string& json, Time as_of, const std::string& playbook_path, std::uint32_t cap) {
        std::unique_ptr<Playbook> holder;
        const Playbook& pb = playbook_of(playbook_path, holder);
        const RiskModel model = RiskModel::from_json(json);
        const std::vector<RiskScore> s = score_at(c, model, as_of, model.options().top_k, {}, "");
        QueueOptions qo;
        qo.weekly_cap = cap;
        ActionQueue q;
        {
          py::gil_scoped_release release;
          q = build_queue(c, recommend(c, pb, Span<RiskScore>(s.data(), s.size()), as_of), as_of, qo);
        }
        py::list out;
        for (const QueueEntry& e : q.entries) {
          py::dict d = action_dict(c, e.action);
          d["rank"] = e.rank;
          d["status"] = std::string(to_string(e.status));
          d["day"] = day_text(e.day);
          d["note"] = e.note;
          out.append(std::move(d));
        }
        return out;
      },
      py::arg("cohort"), py::arg("model_json"), py::arg("as_of"), py::arg("playbook") = "",
      py::arg("weekly_cap") = 10);

  m.def(
      "cli_review",
      [](const Cohort& c, const std::string& learner_id, Time as_of, const std::string& json, const std::string& lang,
         const std::string& playbook_path) {
        const LearnerId l = c.find_learner(learner_id);
        if (l == kNoId) throw NotFound("no learner '" + learner_id + "' in the data");
        const Span<EnrolmentId> es = c.enrolments_of(l);
        if (es.size() == 0) throw NotFound("learner '" + learner_id + "' has no enrolment");
        // The learner's latest enrolment that had started by as_of (else the first one).
        EnrolmentId e = es[0];
        for (EnrolmentId x : es)
          if (c.enrolment(x).start <= as_of && c.enrolment(x).start >= c.enrolment(e).start) e = x;
        std::unique_ptr<Playbook> holder;
        ReviewOptions ro;
        std::optional<RiskScore> risk;
        if (!json.empty()) {
          const RiskModel model = RiskModel::from_json(json);
          const Landmark row{e, as_of};
          if (in_population(c, e, as_of)) {
            ScoreOptions so;
            so.lang = lang_of(lang);
            risk = model.score(c, Span<Landmark>(&row, 1), so).front();
            ro.playbook = &playbook_of(playbook_path, holder);
          }
        }
        const Review r = review(c, e, as_of, risk ? &*risk : nullptr, {}, ro);
        return render_review(c, r, lang_of(lang));
      },
      py::arg("cohort"), py::arg("learner"), py::arg("as_of"), py::arg("model_json") = "", py::arg("lang") = "en",
      py::arg("playbook") = "");

  m.def(
      "cli_funnel",
      [](const Cohort& c, const std::string& path_id, Time as_of) {
        const PathId p = c.find_path(path_id);
        if (p == kNoId) throw NotFound("no path '" + path_id + "' in the data");
        const Funnel f = path_funnel(c, p, as_of);
        const HazardReport h = withdrawal_hazards(f);
        py::list steps;
        for (std::size_t i = 0; i < f.steps.size(); ++i) {
          const FunnelStep& s = f.steps[i];
          py::dict d;
          d["step"] = c.step(s.step).id;
          d["title"] = c.step(s.step).title;
          d["phase"] = std::string(to_string(s.phase));
          d["required"] = s.required;
          d["reached"] = s.reached;
          d["completed"] = s.completed;
          d["withdrew_after"] = s.withdrew_after;
          d["hazard"] = hazard_test_dict(h.steps[i].test);
          steps.append(std::move(d));
        }
        py::dict d;
        d["path"] = path_id;
        d["enrolled"] = f.enrolled;
        d["active"] = f.active;
        d["completed"] = f.completed;
        d["withdrawn"] = f.withdrawn;
        d["withdrew_before_first_step"] = f.withdrew_before_first_step;
        d["steps"] = steps;
        d["baseline"] = h.baseline;
        d["method"] = h.method;
        d["km_days"] = km_dict(path_survival(f, TimeScale::days));
        return d;
      },
      py::arg("cohort"), py::arg("path"), py::arg("as_of"));

  m.def(
      "cli_health",
      [](const Cohort& c, const std::string& instance_id, Time as_of, int window_days) {
        const InstanceId i = c.instances().find(instance_id);
        if (i == kNoId) throw NotFound("no path instance '" + instance_id + "' in the data");
        const TimeWindow w{as_of - static_cast<Time>(window_days) * kMsPerDay, as_of};
        const InteractionGraph g = InteractionGraph::of_instance(c, i, w);
        const CommunityHealth h = community_health(g);
        std::vector<std::string> members(g.vertex_count()), isolated;
        for (std::size_t v = 0; v < g.vertex_count(); ++v) members[v] = c.learner_id(g.learner(static_cast<Vertex>(v)));
        for (LearnerId l : h.isolated) isolated.push_back(c.learner_id(l));
        std::vector<std::tuple<std::size_t, std::size_t, std::uint32_t>> edges;
        for (std::size_t u = 0; u < g.vertex_count(); ++u)
          for (Vertex v : g.neighbours(static_cast<Vertex>(u)))
            if (v > u) edges.emplace_back(u, v, g.weight(static_cast<Vertex>(u), v));
        py::dict d;
        d["instance"] = instance_id;
        d["members"] = members;
        d["edges"] = edges;
        d["isolated"] = isolated;
        d["components"] = h.components;
        d["largest_component"] = h.largest_component;
        d["density"] = g.density();
        d["communities"] = h.communities.count;
        d["community"] = h.communities.community;
        d["modularity"] = h.communities.modularity;
        std::vector<std::pair<std::string, double>> brokers;
        for (const Broker& b : h.brokers)
          brokers.emplace_back(b.learner == kNoId ? std::string() : c.learner_id(b.learner), b.betweenness);
        d["brokers"] = brokers;
        return d;
      },
      py::arg("cohort"), py::arg("instance"), py::arg("as_of"), py::arg("window_days") = 28);
}

}  // namespace lien_py
