// Declarations and small helpers shared by the binding files.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lien/core/error.hpp"
#include "lien/core/time.hpp"
#include "lien/features/extract.hpp"

namespace lien_py {
namespace py = pybind11;

void register_errors(py::module_& m);
void register_core(py::module_& m);
void register_io(py::module_& m);
void register_features(py::module_& m);
void register_risk(py::module_& m);
void register_sim(py::module_& m);
void register_act(py::module_& m);
void register_analytics(py::module_& m);
void register_graph(py::module_& m);

/// A numpy array that takes over a vector's buffer: no copy, freed when the array is.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(T))},
                        owned->data(), free_when_done);
}

/// A copy of a vector of another type as a numpy array (enums, narrow ids).
template <class To, class From>
py::array_t<To> to_numpy_as(const std::vector<From>& v) {
  std::vector<To> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<To>(v[i]);
  return to_numpy(std::move(out));
}

/// The (enrolment, as_of) rows of explicit enrolments: every enrolment at every instant, or with `paired`
/// enrolments[i] at as_of[i] (the two of the same length).
inline std::vector<lien::Landmark> landmark_rows(const std::vector<lien::EnrolmentId>& enrolments,
                                                 const std::vector<lien::Time>& as_of, bool paired) {
  std::vector<lien::Landmark> rows;
  if (paired) {
    if (enrolments.size() != as_of.size())
      throw lien::InvalidArgument("paired rows: " + std::to_string(enrolments.size()) + " enrolments but " +
                                  std::to_string(as_of.size()) + " as_of instants");
    for (std::size_t i = 0; i < enrolments.size(); ++i) rows.push_back(lien::Landmark{enrolments[i], as_of[i]});
    return rows;
  }
  rows.reserve(enrolments.size() * as_of.size());
  for (lien::Time t : as_of)
    for (lien::EnrolmentId e : enrolments) rows.push_back(lien::Landmark{e, t});
  return rows;
}

/// An optional instant from Python: None -> kNoTime.
inline lien::Time time_or_none(const py::object& o) {
  return o.is_none() ? lien::kNoTime : o.cast<lien::Time>();
}
}  // namespace lien_py
