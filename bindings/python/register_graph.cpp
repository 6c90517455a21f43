// Community analytics on a path instance's peer graph: health (density, components, isolated learners, brokers,
// Louvain sub-groups), per-learner signals, stakeholder load, and buddy matching. Graph work runs without the GIL.
#include <pybind11/stl.h>

#include <tuple>

#include "lien/graph/buddy.hpp"
#include "lien/graph/health.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/graph/learner_signals.hpp"
#include "lien/graph/load.hpp"
#include "lien/model/cohort.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
using namespace lien;

py::dict engagement(const Engagement& e) {
  py::dict d;
  d["people"] = e.people;
  d["last_contact"] = e.last_contact == kNoTime ? py::object(py::none()) : py::object(py::int_(e.last_contact));
  d["contacts"] = e.contacts;
  d["contacts_per_month"] = e.contacts_per_month;
  return d;
}

py::list load_list(const std::vector<StakeholderLoad>& v) {
  py::list out;
  for (const auto& s : v) {
    py::dict d;
    d["person"] = s.person;
    d["learners"] = s.learners;
    d["at_risk"] = s.at_risk;
    out.append(d);
  }
  return out;
}

py::dict pair_dict(const BuddyPair& p) {
  py::dict d;
  d["seeker"] = p.seeker;
  d["buddy"] = p.buddy;
  d["score"] = p.score;
  d["steps_ahead"] = p.steps_ahead;
  d["other_team"] = p.other_team;
  d["distance"] = p.distance == kUnreachable ? py::object(py::none()) : py::object(py::int_(p.distance));
  d["working_days_since_active"] = p.working_days_since_active;
  return d;
}
}  // namespace

void register_graph(py::module_& m) {
  m.def("community_health",
        [](const Cohort& c, InstanceId instance, Time from, Time to, std::size_t max_brokers) {
          CommunityHealth h;
          std::vector<std::tuple<LearnerId, LearnerId, std::uint32_t>> edges;  // (learner, learner, interactions)
          {
            py::gil_scoped_release release;
            const InteractionGraph g = InteractionGraph::of_instance(c, instance, TimeWindow{from, to});
            HealthOptions o;
            o.max_brokers = max_brokers;
            h = community_health(g, o);
            for (std::size_t u = 0; u < g.vertex_count(); ++u)
              for (Vertex v : g.neighbours(static_cast<Vertex>(u)))
                if (v > u) edges.emplace_back(g.learner(static_cast<Vertex>(u)), g.learner(v), g.weight(static_cast<Vertex>(u), v));
          }
          py::dict d;
          d["edges"] = edges;
          d["members"] = h.members;
          d["learners"] = h.learners;
          d["ties"] = h.ties;
          d["density"] = h.density;
          d["components"] = h.components;
          d["largest_component"] = h.largest_component;
          d["isolated"] = h.isolated;
          d["betweenness"] = h.betweenness;
          py::list brokers;
          for (const Broker& b : h.brokers) {
            py::dict x;
            x["learner"] = b.learner;
            x["betweenness"] = b.betweenness;
            brokers.append(x);
          }
          d["brokers"] = brokers;
          d["community"] = h.communities.community;
          d["communities"] = h.communities.count;
          d["modularity"] = h.communities.modularity;
          return d;
        },
        py::arg("cohort"), py::arg("instance"), py::arg("window_from"), py::arg("window_to"),
        py::arg("max_brokers") = 5);

  m.def("learner_signals",
        [](const Cohort& c, InstanceId instance, Time from, Time to, int isolation_working_days) {
          std::vector<LearnerSignals> s;
          {
            py::gil_scoped_release release;
            const InteractionGraph g = InteractionGraph::of_instance(c, instance, TimeWindow{from, to});
            SignalOptions o;
            o.isolation_working_days = isolation_working_days;
            s = learner_signals(c, g, o);
          }
          py::list out;
          for (const LearnerSignals& x : s) {
            py::dict d;
            d["learner"] = x.learner;
            d["enrolment"] = x.enrolment;
            d["peer_degree"] = x.peer_degree;
            d["reciprocity"] = x.reciprocity;
            d["sent"] = x.sent;
            d["received"] = x.received;
            d["replies_received"] = x.replies_received;
            d["last_peer_contact"] =
                x.last_peer_contact == kNoTime ? py::object(py::none()) : py::object(py::int_(x.last_peer_contact));
            d["working_days_without_peers"] = x.working_days_without_peers;
            d["isolated"] = x.isolated;
            d["core_distance"] = x.core_distance == kUnreachable ? py::object(py::none()) : py::object(py::int_(x.core_distance));
            d["manager"] = engagement(x.manager);
            d["tutor"] = engagement(x.tutor);
            out.append(d);
          }
          return out;
        },
        py::arg("cohort"), py::arg("instance"), py::arg("window_from"), py::arg("window_to"),
        py::arg("isolation_working_days") = 10);

  m.def("stakeholder_load",
        [](const Cohort& c, const std::vector<std::uint8_t>& band, std::uint8_t at_risk_from, Time as_of) {
          LoadReport r;
          {
            py::gil_scoped_release release;
            r = stakeholder_load(c, Span<std::uint8_t>(band), at_risk_from, as_of);
          }
          py::dict d;
          d["manager"] = load_list(r.managers);
          d["tutor"] = load_list(r.tutors);
          d["trainer"] = load_list(r.trainers);
          return d;
        },
        py::arg("cohort"), py::arg("band"), py::arg("at_risk_from"), py::arg("as_of"));

  m.def("match_buddies",
        [](const Cohort& c, InstanceId instance, Time from, Time to, const std::vector<EnrolmentId>& seekers,
           std::uint32_t cap, int active_within_working_days) {
          BuddyPlan plan;
          {
            py::gil_scoped_release release;
            const InteractionGraph g = InteractionGraph::of_instance(c, instance, TimeWindow{from, to});
            BuddyOptions o;
            o.cap = cap;
            o.active_within_working_days = active_within_working_days;
            plan = match_buddies(c, g, Span<EnrolmentId>(seekers), to, o);
          }
          py::dict d;
          py::list pairs, candidates;
          for (const auto& p : plan.pairs) pairs.append(pair_dict(p));
          for (const auto& p : plan.candidates) candidates.append(pair_dict(p));
          d["pairs"] = pairs;
          d["candidates"] = candidates;
          d["unmatched"] = plan.unmatched;
          d["total_score"] = plan.total_score;
          return d;
        },
        py::arg("cohort"), py::arg("instance"), py::arg("window_from"), py::arg("window_to"), py::arg("seekers"),
        py::arg("cap") = 2, py::arg("active_within_working_days") = 10);
}

}  // namespace lien_py
