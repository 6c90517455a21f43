// Readers, read reports and the cohort handle. Reading releases the GIL.
#include <pybind11/stl.h>

#include <memory>

#include "lien/io/frames.hpp"
#include "lien/io/read.hpp"
#include "lien/model/counts.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
struct PyReadResult {
  std::shared_ptr<lien::Cohort> cohort;
  lien::ReadReport report;
};

// The strings of a Python list as views; the list keeps them alive (CPython caches each str's UTF-8).
std::vector<std::string_view> string_views(const py::list& l) {
  std::vector<std::string_view> out(l.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    PyObject* o = PyList_GET_ITEM(l.ptr(), static_cast<py::ssize_t>(i));
    if (o == Py_None) continue;
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(o, &n);
    if (!p) throw py::error_already_set();
    out[i] = std::string_view(p, static_cast<std::size_t>(n));
  }
  return out;
}

// One column of the events frame from its Python description: ("strings", codes int32, uniques list),
// ("numbers", float64), ("instants", int64, local: bool).
struct HeldColumn {
  py::object keep;
  lien::FrameColumn col;
};
HeldColumn frame_column(const py::dict& d, const char* name, std::size_t rows) {
  HeldColumn h;
  if (!d.contains(name)) return h;
  const py::tuple t = d[name].cast<py::tuple>();
  const std::string kind = t[0].cast<std::string>();
  auto check = [&](const py::array& a) {
    if (static_cast<std::size_t>(a.size()) != rows)
      throw lien::InvalidArgument(std::string("events frame: column ") + name + " has " + std::to_string(a.size()) +
                                  " values for " + std::to_string(rows) + " rows");
  };
  if (kind == "strings") {
    auto codes = t[1].cast<py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>>();
    check(codes);
    h.keep = py::make_tuple(codes, t[2]);
    h.col.kind = lien::FrameColumn::Kind::strings;
    h.col.codes = codes.data();
    h.col.uniques = string_views(t[2].cast<py::list>());
  } else if (kind == "numbers") {
    auto a = t[1].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
    check(a);
    h.keep = a;
    h.col.kind = lien::FrameColumn::Kind::numbers;
    h.col.numbers = a.data();
  } else if (kind == "instants") {
    auto a = t[1].cast<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>();
    check(a);
    h.keep = a;
    h.col.kind = lien::FrameColumn::Kind::instants;
    h.col.instants = a.data();
    h.col.local = t[2].cast<bool>();
  } else {
    throw lien::InvalidArgument("events frame: unknown column kind " + kind);
  }
  return h;
}

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
  m.def("learner_ids", [](const Cohort& c) {
    py::list out(c.learner_count());
    for (LearnerId l = 0; l < c.learner_count(); ++l) out[l] = py::str(c.learner_id(l));
    return out;
  });
  m.def("person_ids", [](const Cohort& c) {
    py::list out(c.person_count());
    for (PersonId p = 0; p < c.person_count(); ++p) out[p] = py::str(c.person(p).id);
    return out;
  });
  m.def("person_names", [](const Cohort& c) {
    py::list out(c.person_count());
    for (PersonId p = 0; p < c.person_count(); ++p) out[p] = py::str(c.person(p).display_name);
    return out;
  });
  m.def("person_roles", [](const Cohort& c) {
    std::vector<std::uint8_t> r(c.person_count());
    for (PersonId p = 0; p < c.person_count(); ++p) r[p] = static_cast<std::uint8_t>(c.person(p).role);
    return to_numpy(std::move(r));
  });
  m.def("learner_persons", [](const Cohort& c) {
    std::vector<std::uint32_t> r(c.learner_count());
    for (LearnerId l = 0; l < c.learner_count(); ++l) r[l] = c.learner(l).person;
    return to_numpy(std::move(r));
  });
  m.def("path_ids", [](const Cohort& c) {
    py::list out(c.path_count());
    for (PathId p = 0; p < c.path_count(); ++p) out[p] = py::str(c.path(p).id);
    return out;
  });
  m.def("step_ids", [](const Cohort& c) {
    py::list out(c.step_count());
    for (StepId s = 0; s < c.step_count(); ++s) out[s] = py::str(c.step(s).id);
    return out;
  });
  m.def("instance_ids", [](const Cohort& c) { return c.instances().names(); });
  m.def("competency_ids", [](const Cohort& c) { return c.competencies().names(); });
  m.def("enrolment_table", [](const Cohort& c) {
    const std::size_t n = c.enrolment_count();
    py::list ids(n);
    std::vector<std::uint32_t> learner(n), path(n), instance(n);
    std::vector<std::int64_t> start(n), end(n), outcome_time(n);
    std::vector<std::uint8_t> outcome(n);
    for (EnrolmentId e = 0; e < n; ++e) {
      const Enrolment& en = c.enrolment(e);
      ids[e] = py::str(en.id);
      learner[e] = en.learner, path[e] = en.path, instance[e] = en.instance;
      start[e] = en.start, end[e] = en.planned_end, outcome_time[e] = en.outcome_time;
      outcome[e] = static_cast<std::uint8_t>(en.outcome);
    }
    py::dict d;
    d["id"] = ids;
    d["learner"] = to_numpy(std::move(learner));
    d["path"] = to_numpy(std::move(path));
    d["instance"] = to_numpy(std::move(instance));
    d["start"] = to_numpy(std::move(start));
    d["planned_end"] = to_numpy(std::move(end));
    d["outcome"] = to_numpy(std::move(outcome));
    d["outcome_time"] = to_numpy(std::move(outcome_time));
    return d;
  });
  m.def("find_enrolment", [](const Cohort& c, const std::string& id) { return c.find_enrolment(id); });
  m.def("find_learner", [](const Cohort& c, const std::string& id) { return c.find_learner(id); });
  m.def("find_path", [](const Cohort& c, const std::string& id) { return c.find_path(id); });
  m.def("find_instance", [](const Cohort& c, const std::string& id) { return c.instances().find(id); });
  m.def("find_person", [](const Cohort& c, const std::string& id) { return c.find_person(id); });

  // Frames: small tables as string columns (the CSV row code), events as typed columns.
  m.def("build_from_columns",
        [](const Calendar& calendar, const py::list& tables, const py::dict& events, std::size_t event_rows) {
          CohortBuilder builder(calendar);
          for (const auto& item : tables) {
            const py::tuple t = item.cast<py::tuple>();
            const std::string table = t[0].cast<std::string>();
            const std::vector<std::string> names = t[1].cast<std::vector<std::string>>();
            const py::list cols = t[2].cast<py::list>();
            std::vector<std::vector<std::string_view>> columns;
            for (const auto& col : cols) columns.push_back(string_views(col.cast<py::list>()));
            py::gil_scoped_release release;
            read_table_columns(builder, table, names, columns, table);
          }
          if (!events.empty()) {
            std::vector<HeldColumn> held;
            EventFrame f;
            f.rows = event_rows;
            const std::pair<const char*, FrameColumn EventFrame::*> cols[] = {
                {"learner_id", &EventFrame::learner_id}, {"time", &EventFrame::time},
                {"verb", &EventFrame::verb},             {"object_type", &EventFrame::object_type},
                {"object_id", &EventFrame::object_id},   {"actor_id", &EventFrame::actor_id},
                {"score", &EventFrame::score},           {"success", &EventFrame::success},
                {"completion", &EventFrame::completion}, {"duration", &EventFrame::duration},
                {"count", &EventFrame::count}};
            for (const auto& [name, member] : cols) {
              HeldColumn h = frame_column(events, name, event_rows);
              f.*member = std::move(h.col);
              held.push_back(std::move(h));
            }
            py::gil_scoped_release release;
            read_event_frame(builder, f, "events");
          }
          PyReadResult out;
          ReadReport report;
          {
            py::gil_scoped_release release;
            out.cohort = std::make_shared<Cohort>(builder.build(report));
          }
          out.report = std::move(report);
          return out;
        },
        py::arg("calendar"), py::arg("tables"), py::arg("events"), py::arg("event_rows"));

  py::class_<PyReadResult>(m, "ReadResult")
      .def_readonly("cohort", &PyReadResult::cohort)
      .def_readonly("report", &PyReadResult::report);

  ReadOptions defaults;
  // `pseudonymise_key`: ReadOptions::pseudonymise_key (empty: ids as they are).
  m.def("read_csv_dir",
        [](const std::string& dir, const std::string& key) {
          ReadOptions o;
          o.pseudonymise_key = key;
          return read_with([&] { return read_csv_dir(dir, o); });
        },
        py::arg("path"), py::arg("pseudonymise_key") = std::string());
  m.def("read_xapi_file",
        [](const std::string& file, bool strict, const std::string& key) {
          ReadOptions o;
          o.strict = strict;
          o.pseudonymise_key = key;
          return read_with([&] { return read_xapi_file(file, o); });
        },
        py::arg("path"), py::arg("strict") = defaults.strict, py::arg("pseudonymise_key") = std::string());
  m.def("read_xapi_file_with_tables",
        [](const std::string& file, const std::string& tables, bool strict, const std::string& key) {
          ReadOptions o;
          o.strict = strict;
          o.pseudonymise_key = key;
          return read_with([&] { return read_xapi_file_with_tables(file, tables, o); });
        },
        py::arg("path"), py::arg("tables"), py::arg("strict") = defaults.strict,
        py::arg("pseudonymise_key") = std::string());
  m.def("read_data",
        [](const std::string& path, const std::string& key) {
          ReadOptions o;
          o.pseudonymise_key = key;
          return read_with([&] { return read_data(path, o); });
        },
        py::arg("path"), py::arg("pseudonymise_key") = std::string());
  m.def("write_csv_dir",
        [](const Cohort& c, const std::string& dir) {
          py::gil_scoped_release release;
          write_csv_dir(c, dir);
        },
        py::arg("cohort"), py::arg("path"));
  m.def("count_records", [](const Cohort& c) { return counts_dict(count_records(c)); }, py::arg("cohort"));
}

}  // namespace lien_py
