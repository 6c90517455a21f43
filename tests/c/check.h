/* check.h — the few assertion macros the C tests share: each failed check prints where, what, and the library's
 * last error, and is counted; main returns the count (0 = pass). Plain C99. */
#ifndef LIEN_TEST_CHECK_H
#define LIEN_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lien.h"

static int check_failures = 0;
static int check_count = 0;

/* The privacy check's message log (docs/reliability.md, "Privacy"): with LIEN_MESSAGE_LOG set, every error
 * message and rejection reason the C tests see is appended to that file, one per line (newlines as "\\n"), and
 * the last test of the suite scans it for personal fields of the fixtures. */
static void check_log(const char* message) {
  const char* path = getenv("LIEN_MESSAGE_LOG");
  FILE* f;
  if (path == NULL || path[0] == '\0' || message == NULL || message[0] == '\0') return;
  f = fopen(path, "ab");
  if (f == NULL) return;
  for (; *message; ++message) {
    if (*message == '\n')
      fputs("\\n", f);
    else
      fputc(*message, f);
  }
  fputc('\n', f);
  fclose(f);
}

#define CHECK(cond)                                                                                      \
  do {                                                                                                   \
    ++check_count;                                                                                       \
    if (!(cond)) {                                                                                       \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: \"%s\")\n", __FILE__, __LINE__, #cond,     \
              lien_last_error());                                                                        \
      ++check_failures;                                                                                  \
    }                                                                                                    \
  } while (0)

/* The call succeeds and leaves lien_last_error() empty. */
#define CHECK_OK(call)                                                                                   \
  do {                                                                                                   \
    lien_status check_st_ = (call);                                                                      \
    ++check_count;                                                                                       \
    if (check_st_ != LIEN_OK || lien_last_error()[0] != '\0') {                                          \
      fprintf(stderr, "%s:%d: %s -> %s: \"%s\"\n", __FILE__, __LINE__, #call, lien_status_name(check_st_), \
              lien_last_error());                                                                        \
      ++check_failures;                                                                                  \
    }                                                                                                    \
  } while (0)

/* The call fails with `status` and a message that names the function and contains `needle`. */
#define CHECK_ERR(call, status, function, needle)                                                       \
  do {                                                                                                   \
    lien_status check_st_ = (call);                                                                      \
    const char* check_msg_ = lien_last_error();                                                          \
    ++check_count;                                                                                       \
    check_log(check_msg_);                                                                               \
    if (check_st_ != (status) || strstr(check_msg_, function) != check_msg_ ||                           \
        strstr(check_msg_, needle) == NULL) {                                                            \
      fprintf(stderr, "%s:%d: %s -> %s \"%s\"; expected %s with \"%s\" ... \"%s\"\n", __FILE__, __LINE__, \
              #call, lien_status_name(check_st_), check_msg_, lien_status_name(status), function, needle); \
      ++check_failures;                                                                                  \
    }                                                                                                    \
  } while (0)

/* A NULL argument: LIEN_ERR_INVALID_ARGUMENT naming it. */
#define CHECK_NULL_ARG(call, function, name) \
  CHECK_ERR(call, LIEN_ERR_INVALID_ARGUMENT, function, "argument '" name "' is NULL")

static int check_report(const char* program) {
  (void)check_log; /* used by CHECK_ERR, which some programs do not use */
  if (check_failures == 0) {
    printf("%s: %d checks passed\n", program, check_count);
    return 0;
  }
  fprintf(stderr, "%s: %d of %d checks failed\n", program, check_failures, check_count);
  return 1;
}

#endif /* LIEN_TEST_CHECK_H */
