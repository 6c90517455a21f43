// Declarations shared by the binding files.
#pragma once

#include <pybind11/pybind11.h>

namespace lien_py {
namespace py = pybind11;

void register_errors(py::module_& m);
void register_core(py::module_& m);
void register_io(py::module_& m);
}  // namespace lien_py
