// Feature extraction: the registry (catalog) and feature matrices as numpy arrays. Extraction releases the GIL.
#include <pybind11/stl.h>

#include "lien/features/extract.hpp"
#include "lien/features/registry.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
// A FeatureMatrix as a dict of numpy arrays; `values` takes over the Eigen buffer (row-major, no copy).
py::dict matrix_dict(lien::FeatureMatrix&& fm) {
  using lien::FeatureValues;
  auto* owned = new FeatureValues(std::move(fm.values));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<FeatureValues*>(p); });
  const auto rows = static_cast<py::ssize_t>(owned->rows()), cols = static_cast<py::ssize_t>(owned->cols());
  py::array_t<double> values({rows, cols},
                             {static_cast<py::ssize_t>(sizeof(double)) * cols, static_cast<py::ssize_t>(sizeof(double))},
                             owned->data(), free_when_done);
  py::dict d;
  d["values"] = values;
  d["enrolment"] = to_numpy(std::move(fm.enrolments));
  d["as_of"] = to_numpy(std::move(fm.as_of));
  d["features"] = fm.spec.ids();
  return d;
}
}  // namespace

void register_features(py::module_& m) {
  using namespace lien;
  m.def("feature_catalog", []() {
    py::list out;
    for (const FeatureInfo& f : kFeatures) {
      py::dict d;
      d["id"] = std::string(f.name);
      d["group"] = std::string(f.group);
      d["unit"] = std::string(f.unit);
      d["description_en"] = std::string(f.description_en);
      d["description_fr"] = std::string(f.description_fr);
      d["direction"] = std::string(f.direction);
      out.append(d);
    }
    return out;
  });
  m.def("extract_features",
        [](const Cohort& c, const std::vector<Time>& as_of, const py::object& enrolments,
           const std::vector<std::string>& features, int isolation_working_days, int deadline_horizon_working_days,
           bool paired) {
          FeatureOptions o;
          o.features = features;
          o.isolation_working_days = isolation_working_days;
          o.deadline_horizon_working_days = deadline_horizon_working_days;
          std::vector<Landmark> rows;
          std::vector<EnrolmentId> chosen;
          if (!enrolments.is_none()) chosen = enrolments.cast<std::vector<EnrolmentId>>();
          FeatureMatrix fm;
          {
            py::gil_scoped_release release;
            rows = enrolments.is_none() ? landmarks(c, as_of) : landmark_rows(chosen, as_of, paired);
            fm = extract(c, Span<Landmark>(rows.data(), rows.size()), o);
          }
          return matrix_dict(std::move(fm));
        },
        py::arg("cohort"), py::arg("as_of"), py::arg("enrolments") = py::none(),
        py::arg("features") = std::vector<std::string>{}, py::arg("isolation_working_days") = 20,
        py::arg("deadline_horizon_working_days") = 60, py::arg("paired") = false);
  m.def("population", [](const Cohort& c, Time as_of) { return to_numpy(population(c, as_of)); }, py::arg("cohort"),
        py::arg("as_of"));
}

}  // namespace lien_py
