// bench_xapi — how fast lien reads xAPI: parse + validate + map statements to events, on one core.
//
// Generates (seeded, reproducible) an NDJSON file of realistic statements — Open edX shapes with context
// activities, registrations, results and extensions, 600-900 bytes each, as an LRS stream interleaving eight
// learners' sessions at a time — then reads it with
// lien::read_xapi into a CohortBuilder (inference mode: learners, paths, steps and enrolments are inferred)
// and builds the cohort. Prints MB/s, statements/s and bytes per event in memory; with --json, one JSON
// object for benchmarks/bench_xapi.py, which runs Python's json module on the same file and prints ratios.
//
//   bench_xapi [--file PATH] [--size MB] [--quick] [--seed N] [--repeat N] [--generate-only] [--json] [--strict]
//   default: 1024 MB in $TMPDIR/lien_bench_xapi_<size>MB_<seed>.ndjson (reused when it exists); --quick: 100 MB.
//   Times are CPU seconds of the best of --repeat runs (default 3), each into a fresh builder: on a shared
//   machine, wall time counts other processes' turns.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "lien/core/time.hpp"
#include "lien/io/xapi.hpp"

using namespace lien;

namespace {

/// xoshiro256** seeded by splitmix64: the same file on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& x : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      x = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0], s_[3] ^= s_[1], s_[1] ^= s_[2], s_[0] ^= s_[3], s_[2] ^= t, s_[3] = rotl(s_[3], 45);
    return r;
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

void uuid(Rng& rng, char* out) {  // 36 chars, version 4 layout
  static const char* hex = "0123456789abcdef";
  const std::uint64_t a = rng.next(), b = rng.next();
  int k = 0;
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      out[i] = '-';
      continue;
    }
    const std::uint64_t w = k < 16 ? a : b;
    out[i] = hex[(w >> (4 * (k % 16))) & 15];
    ++k;
  }
  out[14] = '4';
  out[19] = hex[8 + (b & 3)];
}

struct Verb_ {
  const char* iri;
  const char* display;
  int weight;
  bool result;
};
const Verb_ kVerbs[] = {
    {"http://id.tincanapi.com/verb/viewed", "viewed", 30, false},
    {"https://w3id.org/xapi/video/verbs/played", "played", 15, false},
    {"https://w3id.org/xapi/video/verbs/paused", "paused", 8, false},
    {"http://adlnet.gov/expapi/verbs/launched", "launched", 6, false},
    {"http://adlnet.gov/expapi/verbs/initialized", "initialized", 6, false},
    {"http://adlnet.gov/expapi/verbs/completed", "completed", 8, true},
    {"https://w3id.org/xapi/acrossx/verbs/evaluated", "evaluated", 10, true},
    {"http://adlnet.gov/expapi/verbs/passed", "passed", 3, true},
    {"http://adlnet.gov/expapi/verbs/failed", "failed", 2, true},
    {"https://w3id.org/xapi/acrossx/verbs/posted", "posted", 4, false},
    {"http://id.tincanapi.com/verb/replied", "replied to", 3, false},
    {"http://adlnet.gov/expapi/verbs/terminated", "terminated", 5, false},
};
const char* kTypes[] = {"https://w3id.org/xapi/video/activity-type/video",
                        "http://adlnet.gov/expapi/activities/cmi.interaction",
                        "http://adlnet.gov/expapi/activities/module", "http://adlnet.gov/expapi/activities/assessment",
                        "https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/assignment",
                        "http://adlnet.gov/expapi/activities/meeting"};

/// Writes statements until the file holds `bytes`. Returns the number of statements.
std::uint64_t generate(const std::string& path, std::uint64_t bytes, std::uint64_t seed) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::cerr << "bench_xapi: cannot write " << path << "\n";
    std::exit(1);
  }
  Rng rng(seed);
  constexpr int kCourses = 40, kActivities = 120, kLearners = 20000;
  int total_weight = 0;
  for (const auto& v : kVerbs) total_weight += v.weight;
  std::vector<std::string> regs(static_cast<std::size_t>(kLearners) * 2);
  for (auto& r : regs) {
    r.resize(36);
    uuid(rng, &r[0]);
  }
  std::string buf;
  buf.reserve(1 << 20);
  std::uint64_t written = 0, n = 0;
  Time t = 1801000000000;  // 2027-01-26
  char id[37] = {}, sid[37] = {};
  // An LRS stream interleaves a few learners' sessions: each session is one learner on one course, going
  // through activities (several statements each: launched, played, paused, answered...).
  struct Session {
    int learner = 0, course = 0, act = 0, left_in_act = 0, left = 0;
    char sid[37] = {};
  };
  constexpr int kConcurrent = 8;
  Session sessions[kConcurrent];
  auto start = [&](Session& ss) {
    ss.learner = static_cast<int>(rng.below(kLearners));
    ss.course = (ss.learner * 7 + static_cast<int>(rng.below(2))) % kCourses;
    ss.act = static_cast<int>(rng.below(kActivities));
    ss.left_in_act = 1 + static_cast<int>(rng.below(4));
    ss.left = 5 + static_cast<int>(rng.below(40));
    uuid(rng, ss.sid);
  };
  for (auto& ss : sessions) start(ss);
  while (written < bytes) {
    Session& ss = sessions[rng.below(kConcurrent)];
    if (ss.left-- == 0) start(ss);
    if (ss.left_in_act-- == 0) {
      ss.act = (ss.act + 1 + static_cast<int>(rng.below(3))) % kActivities;
      ss.left_in_act = static_cast<int>(rng.below(4));
    }
    const int learner = ss.learner, course = ss.course, act = ss.act;
    std::memcpy(sid, ss.sid, sizeof sid);
    const int type = act % 6;
    int w = static_cast<int>(rng.below(static_cast<std::uint64_t>(total_weight)));
    std::size_t vi = 0;
    while (w >= kVerbs[vi].weight) w -= kVerbs[vi].weight, ++vi;
    const Verb_& v = kVerbs[vi];
    t += static_cast<Time>(rng.below(4000));
    uuid(rng, id);
    const std::string& reg = regs[static_cast<std::size_t>(learner) * 2 + (course & 1)];
    char line[2048];
    int k = std::snprintf(
        line, sizeof line,
        "{\"id\":\"%s\",\"actor\":{\"objectType\":\"Agent\",\"account\":{\"homePage\":\"https://courses.example.org\","
        "\"name\":\"learner-%05d\"}},\"verb\":{\"id\":\"%s\",\"display\":{\"en\":\"%s\"}},"
        "\"object\":{\"id\":\"https://courses.example.org/xblock/block-v1:Acme+C%02d+2027"
        "+type@unit+block@%04d\",\"definition\":{\"type\":\"%s\",\"name\":{\"en-US\":\"Unit %d\"}}},",
        id, learner, v.iri, v.display, course, act, kTypes[type], act);
    if (v.result) {
      const int max = 10, raw = static_cast<int>(rng.below(11));
      k += std::snprintf(line + k, sizeof line - static_cast<std::size_t>(k),
                         "\"result\":{\"score\":{\"raw\":%d,\"min\":0,\"max\":%d,\"scaled\":%.1f},\"success\":%s,"
                         "\"completion\":true,\"duration\":\"PT%dM%dS\"},",
                         raw, max, raw / 10.0, raw >= 6 ? "true" : "false", static_cast<int>(rng.below(60)),
                         static_cast<int>(rng.below(60)));
    } else if (vi < 3) {
      k += std::snprintf(line + k, sizeof line - static_cast<std::size_t>(k),
                         "\"result\":{\"extensions\":{\"https://w3id.org/xapi/video/extensions/time\":%.3f}},",
                         rng.unit() * 600);
    }
    const std::string ts = format_timestamp_utc(t);
    k += std::snprintf(
        line + k, sizeof line - static_cast<std::size_t>(k),
        "\"context\":{\"registration\":\"%s\",\"contextActivities\":{\"parent\":[{\"id\":"
        "\"https://courses.example.org/course/course-v1:Acme+C%02d+2027\",\"definition\":"
        "{\"type\":\"http://adlnet.gov/expapi/activities/course\"}}]},\"extensions\":{"
        "\"https://w3id.org/xapi/openedx/extensions/session-id\":\"%s\"}},"
        "\"timestamp\":\"%s\",\"version\":\"1.0.3\"}\n",
        reg.c_str(), course, sid, ts.c_str());
    buf.append(line, static_cast<std::size_t>(k));
    written += static_cast<std::uint64_t>(k);
    ++n;
    if (buf.size() > (1 << 20) - 4096) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  std::fclose(f);
  return n;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(0, std::ios::end);
  std::string s(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0, std::ios::beg);
  in.read(&s[0], static_cast<std::streamsize>(s.size()));
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// CPU time of this process: on a shared machine, wall time counts the other processes' turns too.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t mb = 1024, seed = 2027, repeat = 3;
  std::string file;
  bool generate_only = false, json = false, strict = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "bench_xapi: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick") mb = 100;
    else if (a == "--size") mb = std::stoull(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--repeat") repeat = std::max<std::uint64_t>(1, std::stoull(value()));
    else if (a == "--file") file = value();
    else if (a == "--generate-only") generate_only = true;
    else if (a == "--json") json = true;
    else if (a == "--strict") strict = true;
    else {
      std::cerr << "usage: bench_xapi [--file PATH] [--size MB] [--quick] [--seed N] [--repeat N] [--generate-only] "
                   "[--json] [--strict]\n";
      return 2;
    }
  }
  if (file.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    file = std::string(tmp ? tmp : "/tmp") + "/lien_bench_xapi_" + std::to_string(mb) + "MB_" + std::to_string(seed) + ".ndjson";
  }
  if (!std::ifstream(file).good()) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t n = generate(file, mb << 20, seed);
    if (!json) std::cerr << "generated " << n << " statements in " << seconds_since(t0) << " s: " << file << "\n";
  }
  if (generate_only) {
    if (json) std::cout << "{\"file\":\"" << file << "\"}\n";
    return 0;
  }
  const std::string text = read_all(file);
  const double mbytes = static_cast<double>(text.size()) / (1 << 20);

  double t_read = 1e300, t_build = 1e300, wall_read = 0, wall_build = 0;
  XapiReadStats stats;
  ReadReport report;
  Cohort cohort;
  for (std::uint64_t run = 0; run < repeat; ++run) {
    CohortBuilder builder;
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_seconds();
    stats = read_xapi(builder, text, "bench.ndjson", ReadOptions{strict});
    const double tr = cpu_seconds() - c0, wr = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    c0 = cpu_seconds();
    cohort = builder.build(report);
    const double tb = cpu_seconds() - c0, wb = seconds_since(t0);
    if (tr < t_read) t_read = tr, wall_read = wr;
    if (tb < t_build) t_build = tb, wall_build = wb;
  }
  const double events = static_cast<double>(cohort.events().size());
  const double bytes_per_event = events > 0 ? static_cast<double>(cohort.events().memory_bytes()) / events : 0;
  if (json) {
    std::printf(
        "{\"file\":\"%s\",\"bytes\":%zu,\"statements\":%llu,\"events\":%.0f,\"rejected\":%zu,\"read_seconds\":%.4f,"
        "\"build_seconds\":%.4f,\"wall_read_seconds\":%.4f,\"mb_per_s\":%.1f,\"statements_per_s\":%.0f,"
        "\"bytes_per_event\":%.2f,\"learners\":%zu,\"steps\":%zu,\"paths\":%zu,\"enrolments\":%zu}\n",
        file.c_str(), text.size(), static_cast<unsigned long long>(stats.statements), events, report.rejected.size(), t_read,
        t_build, wall_read, mbytes / t_read, static_cast<double>(stats.statements) / t_read, bytes_per_event,
        cohort.learner_count(), cohort.step_count(), cohort.path_count(), cohort.enrolment_count());
    return 0;
  }
  std::printf("xAPI NDJSON %.1f MB, %llu statements (%.0f bytes each), %zu rejected%s\n", mbytes,
              static_cast<unsigned long long>(stats.statements), static_cast<double>(text.size()) / stats.statements,
              report.rejected.size(), strict ? ", strict mode" : "");
  std::printf("  CPU seconds, best of %llu (wall seconds in brackets: the machine may be shared)\n",
              static_cast<unsigned long long>(repeat));
  std::printf("  read_xapi (parse + validate + map + add to builder): %.3f s (%.3f)  %.1f MB/s  %.0f statements/s\n",
              t_read, wall_read, mbytes / t_read, static_cast<double>(stats.statements) / t_read);
  std::printf("  build (resolve, sort the event log):                 %.3f s (%.3f)\n", t_build, wall_build);
  std::printf("  whole read:                                          %.1f MB/s\n", mbytes / (t_read + t_build));
  std::printf("  event log: %.2f bytes per event (%zu learners, %zu paths, %zu steps, %zu enrolments)\n", bytes_per_event,
              cohort.learner_count(), cohort.path_count(), cohort.step_count(), cohort.enrolment_count());
  std::printf("  goal: >= 300 MB/s for read_xapi on one core: %s\n", mbytes / t_read >= 300 ? "met" : "MISSED");
  return 0;
}
