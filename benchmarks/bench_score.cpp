// bench_score: how many enrolments per second a fitted RiskModel scores, end to end and for the model part alone.
//
// A model is trained on a simulated cohort (lien::sim, 4,800 learners, fully observed, all 37 features), then a
// second, larger simulated cohort (by default 100,000 learners) observed until day 45 of its first wave is
// scored at that instant:
//   - end to end: RiskModel::score(cohort, as_of, options) — population, feature extraction, standardisation,
//     logit and contributions, calibration (Platt), band, the top 5 drivers with their ids, and the survival
//     probabilities at 2 horizons (28 and 56 days) and by the planned end;
//   - model part: the same scores from the already extracted feature matrix, (a) as a ScoreTable (columns: the
//     drivers as feature indices, values and contributions; what the C and Python faces hand out), (b) into a
//     reused vector of RiskScores (the drivers' strings and vectors keep their buffers: no allocation, but a
//     dozen scattered heap blocks written per score), (c) into a fresh vector each time (what a caller that keeps
//     nothing pays: the allocations of the drivers and their ids), (d) with French sentences.
// Times are the best of --repeat runs (at least 20 for the model part, which takes milliseconds), in CPU time of the scoring thread (the benchmark machine is shared) and
// wall-clock time. The goal (issue 3): >= 2 million enrolments per second on one core, explanations included.
//
//   bench_score [--learners N] [--train-learners N] [--seed S] [--repeat R] [--top-k K] [--quick]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "lien/risk/model.hpp"
#include "lien/sim/simulator.hpp"

using namespace lien;

namespace {

double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Timing {
  double wall = std::numeric_limits<double>::infinity();
  double cpu = std::numeric_limits<double>::infinity();
};

template <class F>
Timing best_seconds(int repeat, F&& f) {
  Timing best;
  for (int r = 0; r < repeat; ++r) {
    const double c0 = cpu_now();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best.wall = std::min(best.wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    best.cpu = std::min(best.cpu, cpu_now() - c0);
  }
  return best;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t learners = 100000, train_learners = 4800, top_k = 5;
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
    else if (a == "--top-k") top_k = std::stoul(value());
    else if (a == "--quick") learners = 10000, train_learners = 2400, repeat = 3;
    else {
      std::fprintf(stderr, "usage: bench_score [--learners N] [--train-learners N] [--seed S] [--repeat R] "
                           "[--top-k K] [--quick]\n");
      return 2;
    }
  }

  auto t0 = std::chrono::steady_clock::now();
  sim::Params tp;
  tp.learners = train_learners;
  tp.seed = seed;
  tp.threads = 0;
  const sim::Simulation train = sim::simulate(tp);
  RiskModelOptions options;
  options.threads = 2;
  const RiskModel model = RiskModel::fit(train.cohort, options);
  std::fprintf(stderr, "trained on %zu learners (%zu rows, %zu person-periods) in %.1f s\n", train_learners,
               model.training().rows, model.training().person_periods, seconds_since(t0));

  t0 = std::chrono::steady_clock::now();
  sim::Params sp = tp;
  sp.learners = learners;
  sp.seed = seed + 1;
  sp.id_prefix = "S-";
  sp.observe_until = sp.calendar.start_of_day(sp.start + 45) + 18 * kMsPerHour;
  const sim::Simulation scored = sim::simulate(sp);
  const Cohort& c = scored.cohort;
  const Time as_of = sp.observe_until;
  std::fprintf(stderr, "simulated %zu learners, %zu events, in %.1f s\n", c.learner_count(), c.events().size(),
               seconds_since(t0));

  ScoreOptions so;
  so.top_k = top_k;
  so.horizons_days = {28, 56};
  std::vector<RiskScore> end_to_end;
  const Timing e2e = best_seconds(repeat, [&]() { end_to_end = model.score(c, as_of, so); });
  const std::size_t n = end_to_end.size();

  std::vector<Landmark> rows;
  for (EnrolmentId e : population(c, as_of)) rows.push_back({e, as_of});
  FeatureMatrix x;
  const Timing extraction = best_seconds(repeat, [&]() { x = model.features(c, Span<Landmark>(rows)); });
  // The model part takes milliseconds: more rounds, so that the best one is a run the shared machine left alone.
  const int rounds = std::max(repeat, 20);
  ScoreTable table;
  const Timing part_table = best_seconds(rounds, [&]() { model.score(c, x, so, table); });
  std::vector<RiskScore> reused;
  const Timing part = best_seconds(rounds, [&]() { model.score(c, x, so, reused); });
  const Timing part_fresh = best_seconds(rounds, [&]() {
    std::vector<RiskScore> out;
    model.score(c, x, so, out);
  });
  // With sentences: what a report pays for writing every driver out in French.
  ScoreOptions sentences = so;
  sentences.lang = Lang::fr;
  const Timing part_sentences = best_seconds(repeat, [&]() { model.score(c, x, sentences, reused); });

  double check = 0;  // keep the work observable
  for (const RiskScore& r : end_to_end) check += r.probability + r.withdraw_within[1];
  for (std::size_t i = 0; i < table.rows; ++i) check -= table.probability[i] + table.withdraw_within[2 * i + 1];
  const auto rate = [&](double s) { return static_cast<double>(n) / s; };
  std::printf("lien RiskModel scoring, %zu features, top %zu drivers, survival at 28 and 56 days and by the end, "
              "one core\n", model.spec().size(), top_k);
  std::printf("  cohort: %zu learners, %zu events; %zu enrolments in the population at as_of (checksum %.6f)\n",
              c.learner_count(), c.events().size(), n, check);
  std::printf("  end to end (extraction + model):  %.3f s CPU (%.3f s wall) = %8.0f enrolments/s\n", e2e.cpu, e2e.wall,
              rate(e2e.cpu));
  std::printf("    of which feature extraction:    %.3f s CPU (%.3f s wall) = %8.0f enrolments/s\n", extraction.cpu,
              extraction.wall, rate(extraction.cpu));
  std::printf("  model part, score table:          %.4f s CPU (%.4f s wall) = %8.0f enrolments/s (goal >= 2000000)\n",
              part_table.cpu, part_table.wall, rate(part_table.cpu));
  std::printf("  model part, RiskScores reused:    %.4f s CPU (%.4f s wall) = %8.0f enrolments/s\n", part.cpu, part.wall,
              rate(part.cpu));
  std::printf("  model part, fresh RiskScores:       %.4f s CPU (%.4f s wall) = %8.0f enrolments/s\n", part_fresh.cpu,
              part_fresh.wall, rate(part_fresh.cpu));
  std::printf("  model part with French sentences: %.4f s CPU (%.4f s wall) = %8.0f enrolments/s\n",
              part_sentences.cpu, part_sentences.wall, rate(part_sentences.cpu));
  std::printf("{\"bench\": \"score\", \"learners\": %zu, \"events\": %zu, \"enrolments\": %zu, \"features\": %zu, "
              "\"top_k\": %zu, \"end_to_end\": {\"seconds\": %.6f, \"wall_seconds\": %.6f, \"per_second\": %.0f}, "
              "\"extraction\": {\"seconds\": %.6f, \"per_second\": %.0f}, "
              "\"model_table\": {\"seconds\": %.6f, \"wall_seconds\": %.6f, \"per_second\": %.0f}, "
              "\"model_reused\": {\"seconds\": %.6f, \"wall_seconds\": %.6f, \"per_second\": %.0f}, "
              "\"model_fresh\": {\"seconds\": %.6f, \"per_second\": %.0f}, "
              "\"model_sentences\": {\"seconds\": %.6f, \"per_second\": %.0f}}\n",
              c.learner_count(), c.events().size(), n, model.spec().size(), top_k, e2e.cpu, e2e.wall, rate(e2e.cpu),
              extraction.cpu, rate(extraction.cpu), part_table.cpu, part_table.wall, rate(part_table.cpu), part.cpu, part.wall, rate(part.cpu), part_fresh.cpu,
              rate(part_fresh.cpu), part_sentences.cpu, rate(part_sentences.cpu));
  return 0;
}
