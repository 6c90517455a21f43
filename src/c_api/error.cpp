// C ABI: the thread-local last-error message, kept inside the library (never in the header).
#include "c_api_internal.hpp"

namespace lien_capi {
namespace {
thread_local std::string g_last_error;
}
thread_local bool g_error_set LIEN_TLS_INITIAL_EXEC = false;

void set_error(const std::string& message) noexcept {
  try {
    g_last_error = message;
  } catch (...) {
    g_last_error.clear();  // last_error() then says why
  }
  g_error_set = true;
}
void clear_error_slow() noexcept {
  g_last_error.clear();
  g_error_set = false;
}
const char* last_error() noexcept {
  if (!g_error_set) return "";
  return g_last_error.empty() ? "out of memory while writing the error message" : g_last_error.c_str();
}

lien_status status_of(lien::ErrorCode code) noexcept {
  switch (code) {
    case lien::ErrorCode::invalid_argument: return LIEN_ERR_INVALID_ARGUMENT;
    case lien::ErrorCode::not_found: return LIEN_ERR_NOT_FOUND;
    case lien::ErrorCode::parse_error: return LIEN_ERR_PARSE;
    case lien::ErrorCode::model_incompatible: return LIEN_ERR_MODEL_INCOMPATIBLE;
    case lien::ErrorCode::io_error: return LIEN_ERR_IO;
    case lien::ErrorCode::out_of_memory: return LIEN_ERR_OUT_OF_MEMORY;
    case lien::ErrorCode::internal: return LIEN_ERR_INTERNAL;
  }
  return LIEN_ERR_INTERNAL;
}
}  // namespace lien_capi

extern "C" LIEN_API const char* lien_last_error(void) { return lien_capi::last_error(); }

extern "C" LIEN_API const char* lien_status_name(lien_status status) {
  switch (status) {
    case LIEN_OK: return "LIEN_OK";
    case LIEN_ERR_INVALID_ARGUMENT: return "LIEN_ERR_INVALID_ARGUMENT";
    case LIEN_ERR_NOT_FOUND: return "LIEN_ERR_NOT_FOUND";
    case LIEN_ERR_PARSE: return "LIEN_ERR_PARSE";
    case LIEN_ERR_MODEL_INCOMPATIBLE: return "LIEN_ERR_MODEL_INCOMPATIBLE";
    case LIEN_ERR_IO: return "LIEN_ERR_IO";
    case LIEN_ERR_OUT_OF_MEMORY: return "LIEN_ERR_OUT_OF_MEMORY";
    case LIEN_ERR_INTERNAL: return "LIEN_ERR_INTERNAL";
  }
  return "LIEN_ERR_UNKNOWN";
}

lien::Lang lien_capi::lang_of(const char* lang, const char* name) {
  if (lang == nullptr) throw lien::InvalidArgument(std::string("argument '") + name + "' is NULL");
  const std::string s(lang);
  if (s == "en") return lien::Lang::en;
  if (s == "fr") return lien::Lang::fr;
  throw lien::InvalidArgument(std::string(name) + ": unknown language '" + s + "' (expected \"en\" or \"fr\")");
}
