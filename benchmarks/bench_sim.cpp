// bench_sim — how fast the simulator produces cohorts, and in how much memory.
//
// Two measurements, both from fixed seeds:
//   1. the demo's pair of cohorts (`lien demo`): last year's, fully observed, and this year's, observed until
//      a date — default size (240 learners each); the goal is well under a few seconds together;
//   2. a large cohort for the other benchmarks (issue 3: 1 million learners, about 100 million events):
//      learners per second, events per second, where the time goes (simulating the groups, handing events to
//      the builder, CohortBuilder::build) and the peak resident memory of the process.
//
// Usage: bench_sim [--learners N] [--threads T] [--seed S] [--quick]
//   --learners  size of the large cohort (default 1000000)
//   --threads   simulation threads (default 0: all cores); the cohort does not depend on it
//   --quick     a 20000-learner run, for CI and smoke tests
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "lien/sim/simulator.hpp"

using namespace lien;

namespace {

double peak_rss_mib() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "bench_sim: %s\nusage: bench_sim [--learners N] [--threads T] [--seed S] [--quick]\n", why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t learners = 1000000;
  unsigned threads = 0;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--learners") learners = std::strtoull(value(), nullptr, 10);
    else if (a == "--threads") threads = static_cast<unsigned>(std::strtoul(value(), nullptr, 10));
    else if (a == "--seed") seed = std::strtoull(value(), nullptr, 10);
    else if (a == "--quick") learners = 20000;
    else usage(("unknown option " + a).c_str());
  }
  if (learners == 0) usage("--learners must be at least 1");
  const unsigned used_threads = threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;

  // 1. The demo's two cohorts.
  {
    sim::Params last;
    last.seed = seed;
    last.start = days_from_civil(2025, 9, 8);
    last.id_prefix = "2025-";
    sim::Params now = last;
    now.seed = seed + 1;
    now.start = days_from_civil(2026, 9, 7);
    now.id_prefix = "2026-";
    now.observe_until = now.calendar.start_of_day(days_from_civil(2026, 11, 28)) + 18 * kMsPerHour;  // "today"
    const auto t0 = std::chrono::steady_clock::now();
    const sim::Simulation a = sim::simulate(last);
    const sim::Simulation b = sim::simulate(now);
    const double secs = seconds_since(t0);
    std::printf("demo cohorts: 2 x %zu learners, %zu + %zu events in %.3f s (goal: well under a few seconds)\n",
                last.learners, a.cohort.events().size(), b.cohort.events().size(), secs);
  }

  // 2. The large cohort.
  sim::Params p;
  p.seed = seed;
  p.learners = learners;
  p.threads = threads;
  const auto t0 = std::chrono::steady_clock::now();
  const sim::Simulation s = sim::simulate(p);
  const double secs = seconds_since(t0);
  const std::size_t events = s.cohort.events().size();
  const double log_mib = static_cast<double>(s.cohort.events().memory_bytes()) / (1024.0 * 1024.0);
  std::size_t withdrawn = 0;
  for (const auto& t : s.truth.enrolments) withdrawn += t.outcome == Outcome::withdrawn;

  std::printf("large cohort: %zu learners, %zu events (%.1f per learner), %.1f%% withdrawn, %u thread(s)\n", learners,
              events, double(events) / learners, 100.0 * withdrawn / learners, used_threads);
  const sim::SimTimings& tm = s.timings;
  std::printf("  total (wall)        %8.2f s   %10.0f learners/s          %12.0f events/s\n", secs, learners / secs,
              events / secs);
  std::printf("  simulation          %8.2f thread-s   %7.0f learners/thread-s %12.0f events/thread-s\n", tm.simulate,
              learners / tm.simulate, events / tm.simulate);
  std::printf("  waiting for it      %8.2f s   (wall, not overlapped by feeding)\n", tm.wait);
  std::printf("  feed events         %8.2f s   (CohortBuilder::add_event_columns, overlapping the simulation)\n",
              tm.feed);
  std::printf("  other records       %8.2f s   (people, relations, path, enrolments)\n", tm.records);
  std::printf("  build cohort        %8.2f s   (CohortBuilder::build)\n", tm.build);
  std::printf("  event log           %8.1f MiB (%.1f bytes per event)\n", log_mib, log_mib * 1024 * 1024 / events);
  std::printf("  peak RSS            %8.1f MiB (%.1f bytes per event, everything included)\n", peak_rss_mib(),
              peak_rss_mib() * 1024 * 1024 / events);
  std::printf("  rejected            %8zu\n", s.report.rejected.size());
  return s.report.rejected.empty() ? 0 : 1;
}
