/* lien.h — the stable C ABI of lien, the learning-community engine.
 *
 * C99, no dependency beyond <stddef.h> and <stdint.h>. Every function returns a lien_status (LIEN_OK = 0,
 * negative on failure) and, on failure, leaves a message in a thread-local buffer read by lien_last_error().
 * Handles are opaque; memory lien returns is released with lien_free. See docs/c-api.md.
 */
#ifndef LIEN_H
#define LIEN_H

#include <stddef.h>
#include <stdint.h>

/* Release version, and ABI version (the SOVERSION of liblien.so: it changes only when the ABI breaks). */
#define LIEN_VERSION_MAJOR 0
#define LIEN_VERSION_MINOR 1
#define LIEN_VERSION_PATCH 0
#define LIEN_ABI_VERSION 1
#define LIEN_VERSION_NUMBER (LIEN_VERSION_MAJOR * 10000 + LIEN_VERSION_MINOR * 100 + LIEN_VERSION_PATCH)
#define LIEN_VERSION_STRING "0.1.0"

#if defined(_WIN32)
#if defined(LIEN_BUILDING_LIBRARY)
#define LIEN_API __declspec(dllexport)
#else
#define LIEN_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define LIEN_API __attribute__((visibility("default")))
#else
#define LIEN_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lien_status {
  LIEN_OK = 0,
  LIEN_ERR_INVALID_ARGUMENT = -1,  /* a NULL pointer, a bad option, an out-of-range index */
  LIEN_ERR_NOT_FOUND = -2,         /* an unknown id or a missing file */
  LIEN_ERR_PARSE = -3,             /* input that could not be read at all */
  LIEN_ERR_MODEL_INCOMPATIBLE = -4, /* a model file from another version, corrupt, or with unknown features */
  LIEN_ERR_IO = -5,                /* the operating system refused a read or a write */
  LIEN_ERR_OUT_OF_MEMORY = -6,
  LIEN_ERR_INTERNAL = -7           /* a bug in lien */
} lien_status;

/* The version of the library actually loaded (compare with LIEN_VERSION_NUMBER). */
LIEN_API int lien_version_number(void);
LIEN_API const char* lien_version_string(void);

/* The message of the last failure on this thread ("" if none). Owned by lien; valid until the next lien call
 * on the same thread. */
LIEN_API const char* lien_last_error(void);

/* Releases memory that lien returned to the caller (strings, arrays). NULL is a no-op. */
LIEN_API void lien_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* LIEN_H */
