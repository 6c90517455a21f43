/* lms.c — what an LMS would do with lien each night, in plain C: read the programme's data, load (or train and
 * save) the dropout-risk model, score every active enrolment, and print the learners most at risk with the
 * reasons, and the week's actions: what to do, for whom, by whom.
 *
 * usage: example_c_lms <data folder or xAPI file> <as_of, e.g. 2026-11-27T18:00:00Z> [model file]
 * build: cc lms.c $(pkg-config --cflags --libs lien) */
#include <stdio.h>
#include <stdlib.h>

#include <lien.h>

/* Every lien call returns a status; on failure, lien_last_error() says what and where. */
#define TRY(call)                                                                       \
  do {                                                                                  \
    lien_status st_ = (call);                                                           \
    if (st_ != LIEN_OK) {                                                               \
      fprintf(stderr, "%s failed (%s): %s\n", #call, lien_status_name(st_), lien_last_error()); \
      goto done;                                                                        \
    }                                                                                   \
  } while (0)

int main(int argc, char** argv) {
  lien_cohort* cohort = NULL;
  lien_model* model = NULL;
  lien_scores* scores = NULL;
  lien_queue* queue = NULL;
  lien_score_options options = LIEN_SCORE_OPTIONS_INIT;
  lien_read_report report;
  lien_time as_of;
  size_t rows = 0, drivers = 0, entries = 0, i, k;
  int shown = 0, rc = 1;

  if (argc < 3) {
    fprintf(stderr, "usage: %s <data> <as_of> [model file]\n", argv[0]);
    return 2;
  }
  if (lien_version_number() != LIEN_VERSION_NUMBER)
    fprintf(stderr, "note: built against lien %s, running with %s\n", LIEN_VERSION_STRING, lien_version_string());

  /* 1. Read. Records that break a rule are not fatal: they are counted (and listed by lien_cohort_rejection). */
  TRY(lien_cohort_read(argv[1], NULL, &cohort));
  TRY(lien_cohort_read_report(cohort, &report));
  printf("read %lu records, %lu rejected\n", (unsigned long)report.read, (unsigned long)report.rejected);
  TRY(lien_time_parse(argv[2], &as_of));

  /* 2. The model: load it, or learn it from the history and keep it for next time. */
  if (argc > 3 && lien_model_load(argv[3], &model) == LIEN_OK) {
    printf("model loaded from %s\n", argv[3]);
  } else {
    TRY(lien_model_train(cohort, NULL, &model));
    if (argc > 3) TRY(lien_model_save(model, argv[3]));
    printf("model trained%s%s\n", argc > 3 ? " and saved to " : "", argc > 3 ? argv[3] : "");
  }

  /* 3. Score every active enrolment at as_of, with each driver as a sentence, and show the learners most at
   *    risk first: every one in the medium or high band, and at least the top five whatever their band. */
  options.lang = "en";
  options.top_k = 3;
  TRY(lien_model_score(model, cohort, as_of, &options, &scores));
  TRY(lien_scores_count(scores, &rows));
  TRY(lien_scores_driver_count(scores, &drivers));
  printf("\nlearners most at risk on %s (of %lu scored):\n", argv[2], (unsigned long)rows);
  {
    /* Rows in order of probability (highest first, then row order): each round picks the next one. */
    double last_p = 2.0;
    size_t last_row = 0;
    for (;;) {
      lien_score s, best;
      size_t best_row = rows;
      for (i = 0; i < rows; ++i) {
        TRY(lien_scores_get(scores, i, &s));
        if (!(s.probability < last_p || (s.probability == last_p && i > last_row))) continue; /* shown */
        if (best_row == rows || s.probability > best.probability) {
          best = s;
          best_row = i;
        }
      }
      if (best_row == rows || (shown >= 5 && best.band == LIEN_BAND_LOW)) break;
      last_p = best.probability;
      last_row = best_row;
      ++shown;
      printf("  %-8s %-12s %5.1f%% %-6s\n", best.learner_id, best.enrolment_id, 100.0 * best.probability,
             best.band_name);
      for (k = 0; k < drivers; ++k) {
        lien_driver d;
        TRY(lien_scores_driver(scores, best_row, k, &d));
        if (d.contribution > 0) printf("           - %s\n", d.sentence);
      }
    }
  }

  /* 4. The action queue: what to do this week, by whom. */
  TRY(lien_queue_build(cohort, scores, NULL, as_of, NULL, &queue));
  TRY(lien_queue_count(queue, &entries));
  printf("\nactions scheduled:\n");
  for (i = 0; i < entries; ++i) {
    lien_action a;
    char* line = NULL;
    TRY(lien_queue_get(queue, i, &a));
    if (a.status[0] != 's' || a.status[1] != 'c') continue; /* "scheduled" */
    TRY(lien_queue_describe(queue, i, "en", &line));
    printf("  %2u. %s\n", a.rank, line);
    lien_free(line);
  }
  rc = 0;

done:
  lien_queue_destroy(&queue);
  lien_scores_destroy(&scores);
  lien_model_destroy(&model);
  lien_cohort_destroy(&cohort);
  return rc;
}
