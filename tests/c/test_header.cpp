// The C header compiled as C++ (with -Wall -Wextra -pedantic -Werror): the types and macros are usable from C++,
// and the options macros initialise the structs.
#define LIEN_EXPERIMENTAL
#include "lien.h"

#include <cstdio>
#include <cstring>

int main() {
  lien_read_options r = LIEN_READ_OPTIONS_INIT;
  lien_train_options t = LIEN_TRAIN_OPTIONS_INIT;
  lien_score_options s = LIEN_SCORE_OPTIONS_INIT;
  lien_queue_options q = LIEN_QUEUE_OPTIONS_INIT;
  lien_review_options v = LIEN_REVIEW_OPTIONS_INIT;
  lien_model* m = nullptr;
  int bad = 0;
  bad += r.version != LIEN_READ_OPTIONS_VERSION;
  bad += t.horizon_days != 28 || t.observed_until != LIEN_NO_TIME;
  bad += s.top_k != -1 || s.lang != nullptr;
  bad += q.weekly_cap != 10;
  bad += v.next_steps != 3;
  bad += lien_version_number() != LIEN_VERSION_NUMBER;
  bad += lien_model_load(nullptr, &m) != LIEN_ERR_INVALID_ARGUMENT;
  bad += std::strstr(lien_last_error(), "'path'") == nullptr;
  lien_model_destroy(&m);
  std::printf("test_header: %s\n", bad ? "FAILED" : "ok");
  return bad;
}
