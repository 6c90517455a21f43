// The simulator: a synthetic cohort with its ground truth (one row per enrolment, as numpy columns).
// Simulation releases the GIL.
#include <pybind11/stl.h>

#include "lien/sim/simulator.hpp"
#include "register.hpp"

namespace lien_py {

void register_sim(py::module_& m) {
  using namespace lien;
  using sim::HazardParams;
  py::class_<HazardParams>(m, "HazardParams")
      .def(py::init<>())
      .def_readwrite("intercept", &HazardParams::intercept)
      .def_readwrite("phase_before", &HazardParams::phase_before)
      .def_readwrite("phase_after", &HazardParams::phase_after)
      .def_readwrite("per_inactive_day", &HazardParams::per_inactive_day)
      .def_readwrite("inactive_cap", &HazardParams::inactive_cap)
      .def_readwrite("per_overdue_step", &HazardParams::per_overdue_step)
      .def_readwrite("overdue_cap", &HazardParams::overdue_cap)
      .def_readwrite("per_absence", &HazardParams::per_absence)
      .def_readwrite("per_failed_attempt", &HazardParams::per_failed_attempt)
      .def_readwrite("manager_contact", &HazardParams::manager_contact)
      .def_readwrite("manager_window", &HazardParams::manager_window)
      .def_readwrite("per_peer", &HazardParams::per_peer)
      .def_readwrite("peer_window_days", &HazardParams::peer_window_days)
      .def_readwrite("peer_cap", &HazardParams::peer_cap)
      .def_readwrite("prior_attempt", &HazardParams::prior_attempt)
      .def_readwrite("motivation", &HazardParams::motivation)
      .def_readwrite("gender_f_bias", &HazardParams::gender_f_bias)
      .def_readwrite("age_50_plus_bias", &HazardParams::age_50_plus_bias)
      .def_readwrite("disability_bias", &HazardParams::disability_bias);

  m.def("default_sim_calendar", &sim::Params::default_calendar);
  m.def("simulate",
        [](std::uint64_t seed, std::size_t learners, std::size_t group_size, std::size_t waves, int wave_spacing_days,
           Day start, const py::object& calendar, const py::object& observe_until, const std::string& id_prefix,
           std::size_t team_size, std::size_t groups_per_tutor, std::size_t groups_per_trainer,
           const HazardParams& hazard, unsigned threads) {
          sim::Params p;
          p.seed = seed;
          p.learners = learners;
          p.group_size = group_size;
          p.waves = waves;
          p.wave_spacing_days = wave_spacing_days;
          p.start = start;
          if (!calendar.is_none()) p.calendar = calendar.cast<Calendar>();
          p.observe_until = time_or_none(observe_until);
          p.id_prefix = id_prefix;
          p.team_size = team_size;
          p.groups_per_tutor = groups_per_tutor;
          p.groups_per_trainer = groups_per_trainer;
          p.hazard = hazard;
          p.threads = threads;
          sim::Simulation s;
          {
            py::gil_scoped_release release;
            s = sim::simulate(p);
          }
          const auto& rows = s.truth.enrolments;
          const std::size_t n = rows.size();
          py::list enrolment(n), learner(n), instance(n), manager(n), gender(n), age(n), disability(n);
          std::vector<std::uint32_t> group(n), events(n);
          std::vector<double> motivation(n), sociability(n), manager_rate(n);
          std::vector<std::int32_t> prior(n), start_day(n), end_day(n), outcome_day(n);
          std::vector<std::uint8_t> outcome(n), observed(n);
          std::vector<std::int64_t> outcome_time(n);
          for (std::size_t i = 0; i < n; ++i) {
            const auto& r = rows[i];
            enrolment[i] = r.enrolment_id, learner[i] = r.learner_id, instance[i] = r.instance_id;
            manager[i] = r.manager_id, gender[i] = r.gender, age[i] = r.age_band, disability[i] = r.disability;
            group[i] = r.group, events[i] = r.events;
            motivation[i] = r.motivation, sociability[i] = r.sociability, manager_rate[i] = r.manager_log_rate;
            prior[i] = r.prior_attempts, start_day[i] = r.start_day, end_day[i] = r.planned_end_day;
            outcome_day[i] = r.outcome_day;
            outcome[i] = static_cast<std::uint8_t>(r.outcome), observed[i] = static_cast<std::uint8_t>(r.observed_outcome);
            outcome_time[i] = r.outcome_time;
          }
          py::dict truth;
          truth["enrolment_id"] = enrolment;
          truth["learner_id"] = learner;
          truth["instance_id"] = instance;
          truth["manager_id"] = manager;
          truth["group"] = to_numpy(std::move(group));
          truth["motivation"] = to_numpy(std::move(motivation));
          truth["sociability"] = to_numpy(std::move(sociability));
          truth["manager_log_rate"] = to_numpy(std::move(manager_rate));
          truth["gender"] = gender;
          truth["age_band"] = age;
          truth["disability"] = disability;
          truth["prior_attempts"] = to_numpy(std::move(prior));
          truth["start_day"] = to_numpy(std::move(start_day));
          truth["planned_end_day"] = to_numpy(std::move(end_day));
          truth["outcome"] = to_numpy(std::move(outcome));
          truth["outcome_time"] = to_numpy(std::move(outcome_time));
          truth["outcome_day"] = to_numpy(std::move(outcome_day));
          truth["observed_outcome"] = to_numpy(std::move(observed));
          truth["events"] = to_numpy(std::move(events));
          return py::make_tuple(std::make_shared<Cohort>(std::move(s.cohort)), std::move(s.report), truth);
        },
        py::arg("seed"), py::arg("learners"), py::arg("group_size"), py::arg("waves"), py::arg("wave_spacing_days"),
        py::arg("start"), py::arg("calendar"), py::arg("observe_until"), py::arg("id_prefix"), py::arg("team_size"),
        py::arg("groups_per_tutor"), py::arg("groups_per_trainer"), py::arg("hazard"), py::arg("threads"));
}

}  // namespace lien_py
