// Internals shared by the C ABI's translation units: the thread-local last error, the exception guard that
// every entry point runs inside (so that no C++ exception ever crosses into the caller), argument checks, and
// the C++ objects behind each opaque handle.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "lien.h"
#include "lien/act/playbook.hpp"
#include "lien/act/queue.hpp"
#include "lien/analytics/funnel.hpp"
#include "lien/analytics/review.hpp"
#include "lien/analytics/summary.hpp"
#include "lien/core/error.hpp"
#include "lien/core/time.hpp"
#include "lien/model/cohort.hpp"
#include "lien/risk/model.hpp"

// ---- the objects behind the handles (global names: they complete the C header's incomplete types) ----------

/// Derived handles hold the cohort through a shared_ptr, so a caller may destroy the cohort handle first.
struct lien_cohort {
  std::shared_ptr<const lien::Cohort> cohort;
  lien::ReadReport report;
};

struct lien_builder {
  lien::CohortBuilder builder;
  std::map<std::string, std::uint64_t> next_row;  // per source: the 1-based number of its next row
};

struct lien_model {
  lien::RiskModel model;
};

struct lien_scores {
  std::shared_ptr<const lien::Cohort> cohort;
  lien::ScoreTable table;
  std::vector<std::string> sentences;  // rows x top_k when a language was asked for, else empty
};

struct lien_playbook {
  lien::Playbook playbook;
};

struct lien_queue {
  std::shared_ptr<const lien::Cohort> cohort;
  lien::ActionQueue queue;
  std::vector<std::string> performer_ids;  // per entry ("" when nobody)
};

struct lien_review {
  std::shared_ptr<const lien::Cohort> cohort;
  lien::Review review;
  std::string text_en, text_fr;
};

struct lien_summary {
  lien::CohortSummary summary;
};

struct lien_funnel {
  std::shared_ptr<const lien::Cohort> cohort;
  lien::Funnel funnel;
};

namespace lien_capi {

#if defined(__GNUC__) || defined(__clang__)
#define LIEN_TLS_INITIAL_EXEC __attribute__((tls_model("initial-exec")))
#define LIEN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LIEN_ALWAYS_INLINE inline
#define LIEN_TLS_INITIAL_EXEC
#endif

/// True while this thread's last-error message is not empty. The success path of every call reads only this
/// byte: a trivially initialised thread_local with the initial-exec model costs one load (no __tls_get_addr
/// call, no initialisation guard), where clearing the std::string message on every call cost ~10 ns. One byte of
/// static TLS is safe for a library loaded with dlopen (glibc keeps a surplus for that).
extern thread_local bool g_error_set LIEN_TLS_INITIAL_EXEC;

void set_error(const std::string& message) noexcept;
void clear_error_slow() noexcept;
inline void clear_error() noexcept {
  if (g_error_set) clear_error_slow();
}
const char* last_error() noexcept;
lien_status status_of(lien::ErrorCode code) noexcept;

/// Runs f() and turns any exception into a status plus a message prefixed with the function name. Inlined into
/// each entry point, so that an accessor costs its own work plus one byte of TLS, not another call.
template <class F>
LIEN_ALWAYS_INLINE lien_status guard(const char* function, F&& f) noexcept {
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

/// Fails with LIEN_ERR_INVALID_ARGUMENT when index >= count, naming both and what is counted.
inline void check_index(std::size_t index, std::size_t count, const char* what) {
  if (index >= count)
    throw lien::InvalidArgument("index " + std::to_string(index) + " out of range (" + std::to_string(count) + " " +
                                what + ")");
}

/// An instant argument: present and within 1970-2199.
inline void check_time(lien_time t, const char* name) {
  if (t == LIEN_NO_TIME) throw lien::InvalidArgument(std::string(name) + " is LIEN_NO_TIME");
  const lien::Day d = lien::utc_day(t);
  if (d < lien::kMinDay || d > lien::kMaxDay)
    throw lien::InvalidArgument(std::string(name) + " = " + std::to_string(t) +
                                " ms is outside 1970-2199 (expected milliseconds since 1970-01-01T00:00:00Z)");
}

/// "en" / "fr".
lien::Lang lang_of(const char* lang, const char* name);

/// Refuses an options struct's version this library does not know.
inline void check_version(std::uint32_t version, std::uint32_t current, const char* name) {
  if (version == 0 || version > current)
    throw lien::InvalidArgument(std::string(name) + ": version " + std::to_string(version) +
                                " unknown to this lien (it reads versions 1 to " + std::to_string(current) +
                                "; initialise the struct with its _INIT macro)");
}

/// The caller's options, or the defaults when `p` is NULL. Refuses a version this library does not know.
/// Only for structs still at version 1: a struct that has grown reads its fields up to p->version (a caller
/// built against an older lien passes a shorter struct), as read_options in cohort.cpp does.
template <class O>
O options_or(const O* p, const O& defaults, std::uint32_t current, const char* name) {
  if (p == nullptr) return defaults;
  check_version(p->version, current, name);
  return *p;
}

/// A malloc'ed copy (freed with lien_free).
inline char* dup_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

/// Deletes *handle and sets it to NULL; NULL or a pointer to NULL does nothing.
template <class H>
void destroy(H** handle) noexcept {
  if (handle == nullptr || *handle == nullptr) return;
  delete *handle;
  *handle = nullptr;
}

/// The scores as RiskScores (what the act and analytics layers read).
std::vector<lien::RiskScore> risk_scores(const lien_scores& s);

}  // namespace lien_capi
