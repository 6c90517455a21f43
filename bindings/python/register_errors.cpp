// C++ exceptions arrive in Python as lien.Error and its subclasses, with lien's message.
#include "lien/core/error.hpp"
#include "register.hpp"

namespace lien_py {

void register_errors(py::module_& m) {
  static py::exception<lien::Error> error(m, "Error", PyExc_Exception);
  static py::exception<lien::InvalidArgument> invalid(m, "InvalidArgument", error.ptr());
  static py::exception<lien::NotFound> not_found(m, "NotFoundError", error.ptr());
  static py::exception<lien::ParseError> parse(m, "ParseError", error.ptr());
  static py::exception<lien::ModelError> model(m, "ModelError", error.ptr());
  static py::exception<lien::IoError> io(m, "IoError", error.ptr());
  static py::exception<lien::InternalError> internal(m, "InternalError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const lien::InvalidArgument& e) {
      PyErr_SetString(invalid.ptr(), e.what());
    } catch (const lien::NotFound& e) {
      PyErr_SetString(not_found.ptr(), e.what());
    } catch (const lien::ParseError& e) {
      PyErr_SetString(parse.ptr(), e.what());
    } catch (const lien::ModelError& e) {
      PyErr_SetString(model.ptr(), e.what());
    } catch (const lien::IoError& e) {
      PyErr_SetString(io.ptr(), e.what());
    } catch (const lien::InternalError& e) {
      PyErr_SetString(internal.ptr(), e.what());
    } catch (const lien::Error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });
}

}  // namespace lien_py
