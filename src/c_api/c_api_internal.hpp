// Internals shared by the C ABI's translation units: the thread-local last error and the exception guard that
// every entry point runs inside, so that no C++ exception ever crosses into the caller.
#pragma once

#include <new>
#include <string>

#include "lien.h"
#include "lien/core/error.hpp"

namespace lien_capi {

void set_error(const std::string& message) noexcept;
void clear_error() noexcept;
const char* last_error() noexcept;
lien_status status_of(lien::ErrorCode code) noexcept;

/// Runs f() and turns any exception into a status plus a message prefixed with the function name.
template <class F>
lien_status guard(const char* function, F&& f) noexcept {
  try {
    clear_error();
    return f();
  } catch (const lien::Error& e) {
    set_error(std::string(function) + ": " + e.what());
    return status_of(e.code());
  } catch (const std::bad_alloc&) {
    set_error(std::string(function) + ": out of memory");
    return LIEN_ERR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_error(std::string(function) + ": internal error: " + e.what());
    return LIEN_ERR_INTERNAL;
  } catch (...) {
    set_error(std::string(function) + ": internal error");
    return LIEN_ERR_INTERNAL;
  }
}

/// Fails with LIEN_ERR_INVALID_ARGUMENT naming the argument when p is NULL.
#define LIEN_REQUIRE_ARG(p)                                                                        \
  do {                                                                                             \
    if ((p) == nullptr) throw lien::InvalidArgument(std::string("argument '") + #p + "' is NULL"); \
  } while (0)

}  // namespace lien_capi
