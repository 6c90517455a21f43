/* test_threads.c — one cohort and one model scored from several threads at once (pthreads): every thread gets
 * the bits a single thread gets, and its errors stay its own (lien_last_error is per thread). Also run under
 * the tsan preset (label concurrency).
 *
 * usage: c_test_threads <managers-2027 folder> */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>

#include "check.h"

#define THREADS 6
#define ROUNDS 4

static const lien_cohort* cohort;
static const lien_model* model;
static lien_time as_of;

typedef struct result {
  size_t rows;
  double probability[64];
  double logit[64];
  double within[64];
  char driver[64][48];
  char sentence[64][160];
  int errors_kept_apart;
  int status;
} result;

static int score_once(result* out) {
  lien_scores* s = NULL;
  lien_score sc;
  lien_driver d;
  lien_score_options o = LIEN_SCORE_OPTIONS_INIT;
  size_t i;
  o.lang = "en";
  if (lien_model_score(model, cohort, as_of, &o, &s) != LIEN_OK) return 1;
  if (lien_scores_count(s, &out->rows) != LIEN_OK || out->rows > 64) return 1;
  for (i = 0; i < out->rows; ++i) {
    if (lien_scores_get(s, i, &sc) != LIEN_OK) return 1;
    out->probability[i] = sc.probability;
    out->logit[i] = sc.logit;
    if (lien_scores_withdraw_within(s, i, 0, &out->within[i]) != LIEN_OK) return 1;
    if (lien_scores_driver(s, i, 0, &d) != LIEN_OK) return 1;
    strncpy(out->driver[i], d.feature, sizeof out->driver[i] - 1);
    out->driver[i][sizeof out->driver[i] - 1] = '\0';
    strncpy(out->sentence[i], d.sentence, sizeof out->sentence[i] - 1);
    out->sentence[i][sizeof out->sentence[i] - 1] = '\0';
  }
  lien_scores_destroy(&s);
  return 0;
}

static void* worker(void* arg) {
  result* r = (result*)arg;
  int round;
  lien_scores* none = NULL;
  r->errors_kept_apart = 1;
  for (round = 0; round < ROUNDS; ++round) {
    result mine;
    memset(&mine, 0, sizeof mine);
    if (score_once(&mine) != 0) {
      r->status = 1;
      return NULL;
    }
    if (round > 0 && memcmp(&mine, r, offsetof(result, errors_kept_apart)) != 0) r->status = 2;
    memcpy(r, &mine, offsetof(result, errors_kept_apart));
    /* A failure on this thread leaves its own message, whatever the other threads do meanwhile. */
    if (lien_model_score(model, cohort, LIEN_NO_TIME, NULL, &none) != LIEN_ERR_INVALID_ARGUMENT ||
        strstr(lien_last_error(), "as_of is LIEN_NO_TIME") == NULL)
      r->errors_kept_apart = 0;
  }
  return NULL;
}

int main(int argc, char** argv) {
  lien_cohort* c = NULL;
  lien_model* m = NULL;
  pthread_t threads[THREADS];
  static result reference, results[THREADS];
  int t;

  if (argc != 2) {
    fprintf(stderr, "usage: %s <managers-2027 folder>\n", argv[0]);
    return 2;
  }
  CHECK_OK(lien_cohort_read(argv[1], NULL, &c));
  CHECK_OK(lien_model_train(c, NULL, &m));
  CHECK_OK(lien_time_parse("2026-11-20T12:00:00Z", &as_of));
  if (check_failures) return check_report("test_threads");
  cohort = c;
  model = m;

  CHECK(score_once(&reference) == 0);
  CHECK(reference.rows > 30);
  for (t = 0; t < THREADS; ++t) CHECK(pthread_create(&threads[t], NULL, worker, &results[t]) == 0);
  for (t = 0; t < THREADS; ++t) CHECK(pthread_join(threads[t], NULL) == 0);
  for (t = 0; t < THREADS; ++t) {
    size_t i;
    CHECK(results[t].status == 0);
    CHECK(results[t].errors_kept_apart == 1);
    CHECK(results[t].rows == reference.rows);
    for (i = 0; i < reference.rows; ++i) {
      /* Bit-identical: == on doubles, not a tolerance. */
      CHECK(results[t].probability[i] == reference.probability[i]);
      CHECK(results[t].logit[i] == reference.logit[i]);
      CHECK(results[t].within[i] == reference.within[i]);
      CHECK(strcmp(results[t].driver[i], reference.driver[i]) == 0);
      CHECK(strcmp(results[t].sentence[i], reference.sentence[i]) == 0 && strlen(reference.sentence[i]) > 0);
    }
  }
  /* This thread's last call succeeded: its message is empty, whatever the workers' failures said. */
  CHECK(strcmp(lien_last_error(), "") == 0);

  lien_model_destroy(&m);
  lien_cohort_destroy(&c);
  return check_report("test_threads");
}
