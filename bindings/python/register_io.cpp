// Readers, read reports and the cohort handle. Reading releases the GIL.
#include <pybind11/stl.h>

#include <memory>

#include "lien/io/read.hpp"
#include "lien/model/counts.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
struct PyReadResult {
  std::shared_ptr<lien::Cohort> cohort;
  lien::ReadReport report;
};

template <class F>
PyReadResult read_with(F&& f) {
  lien::ReadResult r;
  {
    py::gil_scoped_release release;
    r = f();
  }
  return PyReadResult{std::make_shared<lien::Cohort>(std::move(r.cohort)), std::move(r.report)};
}

py::dict counts_dict(const lien::CohortCounts& n) {
  py::dict d;
  d["learners"] = n.learners;
  d["stakeholders"] = n.stakeholders;
  d["paths"] = n.paths;
  d["steps"] = n.steps;
  d["instances"] = n.instances;
  d["enrolments"] = n.enrolments;
  d["events"] = n.events;
  d["relations"] = n.relations;
  d["interactions"] = n.interactions;
  d["enrolments_by_outcome"] = n.enrolments_by_outcome;
  d["events_by_verb"] = n.events_by_verb;
  d["stakeholders_by_role"] = n.stakeholders_by_role;
  d["relations_by_type"] = n.relations_by_type;
  d["steps_by_kind"] = n.steps_by_kind;
  return d;
}
}  // namespace

void register_io(py::module_& m) {
  using namespace lien;
  py::class_<Rejection>(m, "Rejection")
      .def_readonly("source", &Rejection::source)
      .def_readonly("index", &Rejection::index)
      .def_readonly("field", &Rejection::field)
      .def_readonly("reason", &Rejection::reason)
      .def("__repr__", [](const Rejection& r) {
        return "<Rejection " + r.source + ":" + std::to_string(r.index) + " [" + r.field + "] " + r.reason + ">";
      });
  py::class_<SourceCount>(m, "SourceCount")
      .def_readonly("read", &SourceCount::read)
      .def_readonly("accepted", &SourceCount::accepted)
      .def_readonly("rejected", &SourceCount::rejected);
  py::class_<ReadReport>(m, "ReadReport")
      .def_readonly("read", &ReadReport::read)
      .def_readonly("accepted", &ReadReport::accepted)
      .def_readonly("voided", &ReadReport::voided)
      .def_readonly("rejected", &ReadReport::rejected)
      .def_readonly("sources", &ReadReport::sources)
      .def("balanced", &ReadReport::balanced);
  py::class_<Cohort, std::shared_ptr<Cohort>>(m, "Cohort")
      .def_property_readonly("learner_count", &Cohort::learner_count)
      .def_property_readonly("person_count", &Cohort::person_count)
      .def_property_readonly("path_count", &Cohort::path_count)
      .def_property_readonly("step_count", &Cohort::step_count)
      .def_property_readonly("enrolment_count", &Cohort::enrolment_count)
      .def_property_readonly("event_count", [](const Cohort& c) { return c.events().size(); })
      .def_property_readonly("event_memory_bytes", [](const Cohort& c) { return c.events().memory_bytes(); })
      .def_property_readonly("calendar", &Cohort::calendar);
  py::class_<PyReadResult>(m, "ReadResult")
      .def_readonly("cohort", &PyReadResult::cohort)
      .def_readonly("report", &PyReadResult::report);

  ReadOptions defaults;
  m.def("read_csv_dir", [](const std::string& dir) { return read_with([&] { return read_csv_dir(dir); }); },
        py::arg("path"));
  m.def("read_xapi_file",
        [](const std::string& file, bool strict) {
          ReadOptions o;
          o.strict = strict;
          return read_with([&] { return read_xapi_file(file, o); });
        },
        py::arg("path"), py::arg("strict") = defaults.strict);
  m.def("read_xapi_file_with_tables",
        [](const std::string& file, const std::string& tables, bool strict) {
          ReadOptions o;
          o.strict = strict;
          return read_with([&] { return read_xapi_file_with_tables(file, tables, o); });
        },
        py::arg("path"), py::arg("tables"), py::arg("strict") = defaults.strict);
  m.def("read_data", [](const std::string& path) { return read_with([&] { return read_data(path); }); },
        py::arg("path"));
  m.def("write_csv_dir",
        [](const Cohort& c, const std::string& dir) {
          py::gil_scoped_release release;
          write_csv_dir(c, dir);
        },
        py::arg("cohort"), py::arg("path"));
  m.def("count_records", [](const Cohort& c) { return counts_dict(count_records(c)); }, py::arg("cohort"));
}

}  // namespace lien_py
