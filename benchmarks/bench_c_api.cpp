// bench_c_api: what the C ABI costs on top of the C++ API when scoring, per enrolment.
//
// A model is trained on a simulated cohort (lien::sim) and handed to both faces (RiskModel for C++, the same
// model file through lien_model_from_json for C). A second simulated cohort, observed until day 45 of its
// first wave, is written as CSV tables and read by both (read_csv_dir / lien_cohort_read: the same cohort).
// Then, for the same enrolments, options (top 5 drivers, survival at 28 and 56 days) and reads of every value:
//   - C++: population + features + RiskModel::score into a ScoreTable, then each row read from its columns
//     (probability, logit, band, withdraw_by_end, both horizons, every driver's feature, value, contribution);
//   - C:   lien_model_score, then the same values through lien_scores_get, lien_scores_withdraw_within and
//     lien_scores_driver (one call per value group, each checking its handle and indices).
// Also the reading part alone (the scores already computed), which is where the C layer adds calls. Times are
// the best of --repeat runs (the two faces interleaved), CPU time of this thread. The goal (issue 5): < 100 ns
// per scored enrolment on top of the C++ path.
//
//   bench_c_api [--learners N] [--train-learners N] [--seed S] [--repeat R] [--quick]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "lien.h"
#include "lien/io/read.hpp"
#include "lien/risk/model.hpp"
#include "lien/sim/simulator.hpp"

using namespace lien;

namespace {

double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class F>
double best_cpu(int repeat, F&& f) {
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeat; ++r) {
    const double c0 = cpu_now();
    f();
    best = std::min(best, cpu_now() - c0);
  }
  return best;
}

void ok(lien_status s, const char* what) {
  if (s != LIEN_OK) {
    std::fprintf(stderr, "%s: %s\n", what, lien_last_error());
    std::exit(1);
  }
}

/// Every value of every row of a ScoreTable, as a C++ caller reads them.
double read_table(const ScoreTable& t) {
  double sum = 0;
  const std::size_t nh = t.horizons_days.size();
  for (std::size_t i = 0; i < t.rows; ++i) {
    sum += t.probability[i] + t.logit[i] + static_cast<double>(t.band[i]) + t.withdraw_by_end[i];
    for (std::size_t h = 0; h < nh; ++h) sum += t.withdraw_within[i * nh + h];
    for (std::size_t k = 0; k < t.top_k; ++k) {
      const std::size_t j = i * t.top_k + k;
      sum += t.driver_value[j] + t.driver_contribution[j] + static_cast<double>(t.features[t.driver_feature[j]].size());
    }
  }
  return sum;
}

/// The same values through the C accessors.
double read_c(const lien_scores* s) {
  double sum = 0;
  std::size_t rows = 0, top_k = 0, nh = 0;
  ok(lien_scores_count(s, &rows), "count");
  ok(lien_scores_driver_count(s, &top_k), "drivers");
  ok(lien_scores_horizon_count(s, &nh), "horizons");
  lien_score sc;
  lien_driver d;
  double w = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    lien_scores_get(s, i, &sc);
    sum += sc.probability + sc.logit + static_cast<double>(sc.band) + sc.withdraw_by_end;
    for (std::size_t h = 0; h < nh; ++h) {
      lien_scores_withdraw_within(s, i, h, &w);
      sum += w;
    }
    for (std::size_t k = 0; k < top_k; ++k) {
      lien_scores_driver(s, i, k, &d);
      sum += d.value + d.contribution + static_cast<double>(std::char_traits<char>::length(d.feature));
    }
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t learners = 20000, train_learners = 2400;
  std::uint64_t seed = 11;
  int repeat = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--learners") learners = std::stoul(value());
    else if (a == "--train-learners") train_learners = std::stoul(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--repeat") repeat = std::stoi(value());
    else if (a == "--quick") learners = 3000, train_learners = 1200, repeat = 3;
    else {
      std::fprintf(stderr,
                   "usage: bench_c_api [--learners N] [--train-learners N] [--seed S] [--repeat R] [--quick]\n");
      return 2;
    }
  }

  sim::Params tp;
  tp.learners = train_learners;
  tp.seed = seed;
  tp.threads = 0;
  const sim::Simulation train = sim::simulate(tp);
  const RiskModel model = RiskModel::fit(train.cohort);
  const std::string json = model.to_json();
  lien_model* cmodel = nullptr;
  ok(lien_model_from_json(json.data(), json.size(), &cmodel), "lien_model_from_json");

  sim::Params sp = tp;
  sp.learners = learners;
  sp.seed = seed + 1;
  sp.id_prefix = "S-";
  sp.observe_until = sp.calendar.start_of_day(sp.start + 45) + 18 * kMsPerHour;
  const Time as_of = sp.observe_until;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("lien-bench-c-api-" + std::to_string(learners) + "-" + std::to_string(seed));
  write_csv_dir(sim::simulate(sp).cohort, dir.string());
  const ReadResult read = read_csv_dir(dir.string());
  const Cohort& c = read.cohort;
  lien_cohort* ccohort = nullptr;
  ok(lien_cohort_read(dir.string().c_str(), nullptr, &ccohort), "lien_cohort_read");
  std::filesystem::remove_all(dir);

  ScoreOptions so;
  so.top_k = 5;
  so.horizons_days = {28, 56};
  const int32_t horizons[] = {28, 56};
  lien_score_options co = LIEN_SCORE_OPTIONS_INIT;
  co.top_k = 5;
  co.horizons_days = horizons;
  co.horizon_count = 2;

  double sum_cpp = 0, sum_c = 0;
  ScoreTable table;
  lien_scores* scores = nullptr;
  auto run_cpp = [&]() {
    std::vector<Landmark> rows;
    for (EnrolmentId e : population(c, as_of)) rows.push_back({e, as_of});
    const FeatureMatrix x = model.features(c, Span<Landmark>(rows));
    model.score(c, x, so, table);
    sum_cpp = read_table(table);
  };
  auto run_c = [&]() {
    lien_scores_destroy(&scores);
    ok(lien_model_score(cmodel, ccohort, as_of, &co, &scores), "lien_model_score");
    sum_c = read_c(scores);
  };
  // Interleaved (C++, C, C++, C, ...): on a shared machine both faces then see the same load.
  double cpp_e2e = std::numeric_limits<double>::infinity(), c_e2e = cpp_e2e;
  for (int r = 0; r < repeat; ++r) {
    cpp_e2e = std::min(cpp_e2e, best_cpu(1, run_cpp));
    c_e2e = std::min(c_e2e, best_cpu(1, run_c));
  }
  const int rounds = std::max(repeat, 50);
  double check_cpp = 0, check_c = 0;
  double cpp_read = std::numeric_limits<double>::infinity(), c_read = cpp_read;
  for (int r = 0; r < rounds; ++r) {
    cpp_read = std::min(cpp_read, best_cpu(1, [&]() { check_cpp = read_table(table); }));
    c_read = std::min(c_read, best_cpu(1, [&]() { check_c = read_c(scores); }));
  }

  std::size_t n = 0;
  ok(lien_scores_count(scores, &n), "count");
  if (n != table.rows || sum_c != sum_cpp || check_c != check_cpp) {
    std::fprintf(stderr, "the two faces disagree: %zu vs %zu rows, sums %.17g vs %.17g\n", n, table.rows, sum_c,
                 sum_cpp);
    return 1;
  }
  const double dn = static_cast<double>(n);
  std::printf("lien C API overhead when scoring, %zu enrolments (%zu learners, %zu events), top 5 drivers, "
              "2 horizons, one core, CPU time\n", n, c.learner_count(), c.events().size());
  std::printf("  end to end   C++ %8.3f ms   C %8.3f ms   ratio C/C++ %.3f   overhead %+7.1f ns per enrolment\n",
              1e3 * cpp_e2e, 1e3 * c_e2e, c_e2e / cpp_e2e, 1e9 * (c_e2e - cpp_e2e) / dn);
  std::printf("  reading only C++ %8.3f ms   C %8.3f ms   ratio C/C++ %.3f   overhead %+7.1f ns per enrolment "
              "(%zu C calls per enrolment)\n", 1e3 * cpp_read, 1e3 * c_read, c_read / cpp_read,
              1e9 * (c_read - cpp_read) / dn, static_cast<std::size_t>(1 + 2 + 5));
  std::printf("  goal: < 100 ns per enrolment on top of the C++ path\n");

  lien_scores_destroy(&scores);
  lien_cohort_destroy(&ccohort);
  lien_model_destroy(&cmodel);
  return 0;
}
