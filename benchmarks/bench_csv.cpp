// bench_csv: how fast lien reads a large events.csv (issue 2: >= 200 MB/s on one core, >= 10x pandas).
//
//   bench_csv [--rows N] [--quick] [--seed S] [--dir DIR] [--generate-only] [--json] [--repeat R]
//
// Generates (seeded, deterministic) a CSV folder whose events.csv has N rows (default 10 million; --quick: 1
// million) unless DIR already holds an events.csv of that many rows, then reads it and prints MB/s, events/s and
// bytes per event in memory. Phases: `read_csv_dir` end to end (file read + parse + build, the figure that
// counts), then mapping the file, parsing its rows into a CohortBuilder and building the Cohort, timed apart.
// bench_csv.py runs pandas on the same file in the same run and prints the ratio.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lien/core/random.hpp"
#include "lien/io/read.hpp"

// The reader's internals, for the phase breakdown only (benchmarks/ is part of the source tree).
#include "../src/io/csv_parser.hpp"

using namespace lien;
namespace fs = std::filesystem;

namespace {


/// Wall-clock and CPU seconds: the machine may be shared, and the goal is stated "on one core", so CPU time of
/// this (single-threaded) process is the figure less disturbed by neighbours; both are printed.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  double wall_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(); }
  double cpu_s() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};
struct Timing {
  double wall = 1e300, cpu = 1e300;
  void take(const Stopwatch& w) {
    wall = std::min(wall, w.wall_s());
    cpu = std::min(cpu, w.cpu_s());
  }
};

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) {
    std::fprintf(stderr, "bench_csv: cannot write %s\n", file.string().c_str());
    std::exit(1);
  }
}

std::uint64_t count_lines(const fs::path& file) {
  std::FILE* f = std::fopen(file.string().c_str(), "rb");
  if (!f) return 0;
  static char buf[1 << 20];
  std::uint64_t n = 0;
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0)
    for (std::size_t i = 0; i < got; ++i) n += buf[i] == '\n';
  std::fclose(f);
  return n;
}

/// A folder shaped like an LRS export of a large programme: events in time order, learners interleaved, learners in
/// groups of 25 peers.
void generate(const fs::path& dir, std::uint64_t rows, std::uint64_t seed) {
  fs::create_directories(dir);
  SplitMix64 rng{seed};
  const std::uint64_t learners = std::max<std::uint64_t>(1000, rows / 100);
  const int managers = 200, steps = 40;
  char line[512];
  {
    std::string t = "learner_id,display_name,email,team,site,job\n";
    for (std::uint64_t l = 0; l < learners; ++l) {
      std::snprintf(line, sizeof line, "L%07" PRIu64 ",Learner %" PRIu64 ",l%" PRIu64 "@example.org,T%02d,Lyon,agent\n", l,
                    l, l, static_cast<int>(l % managers));
      t += line;
    }
    write_text(dir / "learners.csv", t);
  }
  {
    std::string t = "stakeholder_id,role\n";
    for (int m = 0; m < managers; ++m) {
      std::snprintf(line, sizeof line, "M%03d,manager\n", m);
      t += line;
    }
    write_text(dir / "stakeholders.csv", t);
  }
  write_text(dir / "paths.csv", "path_id,title\nP1,Onboarding\n");
  {
    std::string t = "step_id,path_id,kind,phase,open,due,activity_iri\n";
    for (int s = 0; s < steps; ++s) {
      std::snprintf(line, sizeof line, "S%02d,P1,elearning,during,+%d,+%d,https://lms.example.org/act/%02d\n", s, s * 7,
                    s * 7 + 14, s);
      t += line;
    }
    write_text(dir / "steps.csv", t);
  }
  {
    std::string t = "enrolment_id,learner_id,path_id,start\n";
    for (std::uint64_t l = 0; l < learners; ++l) {
      std::snprintf(line, sizeof line, "E%07" PRIu64 ",L%07" PRIu64 ",P1,2026-01-05\n", l, l);
      t += line;
    }
    write_text(dir / "enrolments.csv", t);
  }
  // Verb mix of a blended programme's log (per mille).
  struct V {
    const char* verb;
    int weight;
  };
  const V verbs[] = {{"launched", 200}, {"initialized", 10}, {"experienced", 250}, {"attempted", 80},
                     {"answered", 100}, {"completed", 150},  {"passed", 40},       {"failed", 20},
                     {"attended", 30},  {"absent", 10},      {"posted", 40},       {"replied", 40},
                     {"messaged", 20},  {"met", 10}};
  std::ofstream out(dir / "events.csv", std::ios::binary);
  std::string buf = "learner_id,time,verb,object_type,object_id,actor_id,score,success,completion,duration,count\n";
  Time t = 1767600000000;  // 2026-01-05T08:00:00Z
  for (std::uint64_t i = 0; i < rows; ++i) {
    t += static_cast<Time>(rng.below(6000));
    const std::uint64_t l = rng.below(learners);
    int pick = static_cast<int>(rng.below(1000)), v = 0;
    while (pick >= verbs[v].weight) pick -= verbs[v++].weight;
    const std::string verb = verbs[v].verb;
    std::string otype, object, actor, score, success, completion, duration, count = "1";
    if (verb == "experienced") {
      otype = "resource";
      object = "https://lms.example.org/res/" + std::to_string(rng.below(500));
      duration = std::to_string(rng.below(1800));
    } else if (verb == "posted" || verb == "replied" || verb == "messaged" || verb == "met") {
      if (verb == "posted") {
        otype = "resource", object = "https://lms.example.org/forum/" + std::to_string(rng.below(50));
      } else {
        otype = "person";
        char id[16];
        // Learners exchange with the peers of their group (25 learners) and meet their manager.
        if (verb == "met" && rng.below(2)) std::snprintf(id, sizeof id, "M%03d", static_cast<int>(l % managers));
        else std::snprintf(id, sizeof id, "L%07" PRIu64, std::min(learners - 1, l / 25 * 25 + rng.below(25)));
        object = id;
      }
      if (rng.below(4) == 0) count = std::to_string(1 + rng.below(9));
    } else {
      otype = "step";
      char id[8];
      std::snprintf(id, sizeof id, "S%02d", static_cast<int>(rng.below(steps)));
      object = id;
      if (verb == "answered" || verb == "attempted" || verb == "passed" || verb == "failed") {
        char s[16];
        std::snprintf(s, sizeof s, "%.2f", static_cast<double>(rng.below(101)) / 100.0);
        score = s;
      }
      if (verb == "passed") success = "true";
      if (verb == "failed") success = "false";
      if (verb == "completed") completion = "true", duration = "PT" + std::to_string(1 + rng.below(59)) + "M";
    }
    const Day d = utc_day(t);
    const CivilDate c = civil_from_days(d);
    const std::int64_t ms = t - static_cast<std::int64_t>(d) * kMsPerDay;
    std::snprintf(line, sizeof line, "L%07" PRIu64 ",%04d-%02d-%02dT%02d:%02d:%02dZ,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", l, c.year,
                  c.month, c.day, static_cast<int>(ms / kMsPerHour), static_cast<int>(ms / kMsPerMinute % 60),
                  static_cast<int>(ms / 1000 % 60), verb.c_str(), otype.c_str(), object.c_str(), actor.c_str(),
                  score.c_str(), success.c_str(), completion.c_str(), duration.c_str(), count.c_str());
    buf += line;
    if (buf.size() > (1 << 22)) out << buf, buf.clear();
  }
  out << buf;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t rows = 10'000'000, seed = 20261128;
  std::string dir;
  bool generate_only = false, json = false;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) rows = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--quick") rows = 1'000'000;
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--generate-only") generate_only = true;
    else if (a == "--json") json = true;
    else if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
    else {
      std::fprintf(stderr, "usage: bench_csv [--rows N] [--quick] [--seed S] [--dir DIR] [--generate-only] [--json] [--repeat R]\n");
      return 2;
    }
  }
  if (dir.empty()) dir = (fs::temp_directory_path() / ("lien_bench_csv_" + std::to_string(rows))).string();
  const fs::path events = fs::path(dir) / "events.csv";
  if (!fs::exists(events) || count_lines(events) != rows + 1) {
    if (!json) std::printf("generating %" PRIu64 " events in %s (seed %" PRIu64 ")\n", rows, dir.c_str(), seed);
    generate(dir, rows, seed);
  }
  if (generate_only) return 0;
  const double mb = static_cast<double>(fs::file_size(events)) / 1e6;

  // End to end: what a user of read_csv_dir sees (the reference tables are small next to events.csv).
  Timing total, load, parse, build;
  double bytes_per_event = 0;
  for (int rep = 0; rep < repeat; ++rep) {
    Stopwatch w;
    ReadResult r = read_csv_dir(dir);
    total.take(w);
    const std::size_t n = r.cohort.events().size();
    if (n != rows || !r.report.balanced() || !r.report.rejected.empty()) {
      std::fprintf(stderr, "bench_csv: expected %" PRIu64 " events, got %zu (%zu rejected)\n", rows, n,
                   r.report.rejected.size());
      return 1;
    }
    bytes_per_event = static_cast<double>(r.cohort.events().memory_bytes()) / static_cast<double>(n);
  }

  // Phases (through the reader's internal entry points): mapping events.csv, parsing its rows into a builder
  // that already holds the reference tables, building the cohort.
  for (int rep = 0; rep < repeat; ++rep) {
    CohortBuilder b;
    for (const char* t : {"learners", "stakeholders", "paths", "steps", "enrolments"})
      read_csv_table(b, t, slurp(fs::path(dir) / (std::string(t) + ".csv")), std::string(t) + ".csv");
    Stopwatch w0;
    csv::FileBuffer buf = csv::read_file(events.string(), "events.csv");
    load.take(w0);
    Stopwatch w;
    csv::read_table_buffer(b, "events", buf.data(), buf.size(), "events.csv");
    parse.take(w);
    buf = csv::FileBuffer();
    Stopwatch w2;
    ReadReport report;
    const Cohort c = b.build(report);
    build.take(w2);
    if (c.events().size() != rows) return 1;
  }

  if (json) {
    std::printf("{\"rows\": %" PRIu64 ", \"mb\": %.3f, \"total_wall_s\": %.4f, \"total_cpu_s\": %.4f, "
                "\"load_cpu_s\": %.4f, \"parse_cpu_s\": %.4f, \"build_cpu_s\": %.4f, \"bytes_per_event\": %.2f, "
                "\"file\": \"%s\"}\n",
                rows, mb, total.wall, total.cpu, load.cpu, parse.cpu, build.cpu, bytes_per_event, events.string().c_str());
  } else {
    std::printf("events.csv: %.1f MB, %" PRIu64 " rows; best of %d runs, CPU time (wall time)\n", mb, rows, repeat);
    std::printf("read_csv_dir (read + parse + build): %.3f s (%.3f)  %.0f MB/s (%.0f)  %.2f M events/s\n", total.cpu,
                total.wall, mb / total.cpu, mb / total.wall, static_cast<double>(rows) / total.cpu / 1e6);
    std::printf("  map events.csv:                    %.3f s (%.3f)\n", load.cpu, load.wall);
    std::printf("  parse (rows -> builder):           %.3f s (%.3f)  %.0f MB/s\n", parse.cpu, parse.wall, mb / parse.cpu);
    std::printf("  build (-> cohort):                 %.3f s (%.3f)\n", build.cpu, build.wall);
    std::printf("event log in memory: %.2f bytes per event\n", bytes_per_event);
  }
  return 0;
}
