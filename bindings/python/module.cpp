// lien._lien — the pybind11 module. Each register_<layer>.cpp binds one layer of the C++ API; this file
// creates the module, the exception hierarchy, and calls them.
#include "register.hpp"

PYBIND11_MODULE(_lien, m) {
  m.doc() = "lien's C++ engine (use the `lien` package, not this module directly)";
  m.attr("__version__") = LIEN_VERSION_INFO;
  lien_py::register_errors(m);
  lien_py::register_core(m);
  lien_py::register_io(m);
  lien_py::register_features(m);
  lien_py::register_risk(m);
  lien_py::register_sim(m);
  lien_py::register_act(m);
  lien_py::register_analytics(m);
  lien_py::register_graph(m);
}
