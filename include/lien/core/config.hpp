// lien/core/config.hpp — namespace, version and export macros shared by every lien header.
#pragma once

#define LIEN_VERSION_MAJOR_CXX 0
#define LIEN_VERSION_MINOR_CXX 1
#define LIEN_VERSION_PATCH_CXX 0

// All C++ code lives in lien::v1 (an inline namespace, as fmt does): a C++ ABI break bumps it,
// which changes every mangled name instead of failing at run time.
#define LIEN_BEGIN_NAMESPACE \
  namespace lien {           \
  inline namespace v1 {
#define LIEN_END_NAMESPACE \
  }                        \
  }

#if defined(__GNUC__) || defined(__clang__)
#define LIEN_LIKELY(x) __builtin_expect(!!(x), 1)
#define LIEN_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIEN_LIKELY(x) (x)
#define LIEN_UNLIKELY(x) (x)
#endif
