// bench_features: feature extraction speed on a large synthetic blended-programme cohort.
//
// The cohort is generated here from a seed (its own splitmix64, so every platform draws the same data): by
// default 100,000 learners, about 10 million events, Paris calendar with French holidays, 20 paths of 12
// steps, groups of 50 learners, one manager per learner, one tutor per group. It times extract() at one
// as_of and at 4 landmark instants (one pass per learner for the 4), and prints events read per second.
// --dump DIR writes the cohort as flat binary columns and lien's matrices, so that bench_features.py can
// compute the same features with pandas on the same data and compare values and time.
//
//   bench_features [--learners N] [--events-per-learner K] [--seed S] [--repeat R] [--quick] [--dump DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <time.h>

#include "lien/features/features.hpp"
#include "lien/model/cohort.hpp"

using namespace lien;

namespace {

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
};

struct StepPlan {
  StepKind kind;
  Day due;
  bool required;
  Phase phase;
};
const StepPlan kPlan[12] = {
    {StepKind::elearning, 7, true, Phase::before},          {StepKind::elearning, 14, true, Phase::during},
    {StepKind::virtual_class, 17, false, Phase::during},    {StepKind::assessment, 21, true, Phase::during},
    {StepKind::classroom, 28, true, Phase::during},         {StepKind::elearning, 35, true, Phase::intersession},
    {StepKind::assignment, 42, true, Phase::intersession},  {StepKind::classroom, 49, true, Phase::during},
    {StepKind::elearning, 56, false, Phase::intersession},  {StepKind::assessment, 63, true, Phase::during},
    {StepKind::virtual_class, 70, true, Phase::during},     {StepKind::review, 90, false, Phase::after}};
constexpr int kPaths = 20, kGroup = 50, kManagers = 5000, kTutors = 500, kResources = 200;

Time at(const char* s) {
  ParsedTimestamp p;
  if (!parse_timestamp(s, p)) std::abort();
  return p.ms;
}

Cohort generate(std::size_t learners, std::size_t events_per_learner, std::uint64_t seed) {
  Rng rng{seed};
  CohortBuilder b(Calendar("CET-1CEST,M3.5.0,M10.5.0/3", kMondayToFriday, Calendar::french_holidays(2026, 2028)));
  const std::uint32_t src = b.source("synthetic");
  std::uint64_t line = 0;
  auto ref = [&]() { return RecordRef{src, ++line}; };
  std::vector<std::string> lid(learners), mid(kManagers), tid(kTutors), rid(kResources), pid(kPaths), sid(kPaths * 12);
  for (std::size_t l = 0; l < learners; ++l) lid[l] = "L" + std::to_string(l);
  for (int m = 0; m < kManagers; ++m) mid[m] = "M" + std::to_string(m);
  for (int t = 0; t < kTutors; ++t) tid[t] = "T" + std::to_string(t);
  for (int r = 0; r < kResources; ++r) rid[r] = "R" + std::to_string(r);
  for (std::size_t l = 0; l < learners; ++l) b.add_learner({lid[l], "", "", "", "", "", {}}, ref());
  for (int m = 0; m < kManagers; ++m) b.add_stakeholder({mid[m], Role::manager, "", "", ""}, ref());
  for (int t = 0; t < kTutors; ++t) b.add_stakeholder({tid[t], Role::tutor, "", "", ""}, ref());
  for (int p = 0; p < kPaths; ++p) {
    pid[p] = "P" + std::to_string(p);
    b.add_path({pid[p], "", ""}, ref());
    int prev = -1;
    for (int k = 0; k < 12; ++k) {
      sid[p * 12 + k] = pid[p] + "S" + std::to_string(k);
      StepRecord s;
      s.path = pid[p], s.id = sid[p * 12 + k], s.kind = kPlan[k].kind, s.phase = kPlan[k].phase;
      s.required = kPlan[k].required;
      s.window = StepWindow{true, kNoDay, kPlan[k].due};
      b.add_step(s, ref());
      if (kPlan[k].required) {
        if (prev >= 0) b.add_prerequisite({sid[p * 12 + k], sid[p * 12 + prev]}, ref());
        prev = k;
      }
    }
  }
  const std::size_t groups = (learners + kGroup - 1) / kGroup;
  std::vector<std::string> gid(groups);
  const Time first_start = at("2027-01-04T08:00:00Z");
  for (std::size_t g = 0; g < groups; ++g) {
    gid[g] = "G" + std::to_string(g);
    b.add_relation({tid[g % kTutors], gid[g], RelationType::tutors, kNoTime, kNoTime}, ref());
  }
  std::vector<std::string> eid(learners);
  for (std::size_t l = 0; l < learners; ++l) {
    const std::size_t g = l / kGroup;
    const int path = static_cast<int>(g % kPaths);
    const Time start = first_start + static_cast<Time>((g * 7) % 63) * kMsPerDay;
    b.add_relation({lid[l], mid[rng.below(kManagers)], RelationType::reports_to, kNoTime, kNoTime}, ref());
    eid[l] = "E" + std::to_string(l);
    EnrolmentRecord e{eid[l], lid[l], pid[path], gid[g], start, start + 100 * kMsPerDay, Outcome::active, kNoTime,
                      static_cast<std::int32_t>(rng.below(4)) - 1};
    const double u = rng.uniform();
    if (u < 0.2) e.outcome = Outcome::withdrawn, e.outcome_time = start + static_cast<Time>(rng.below(100 * kMsPerDay));
    else if (u < 0.8) e.outcome = Outcome::completed, e.outcome_time = start + 100 * kMsPerDay + static_cast<Time>(rng.below(10 * kMsPerDay));
    b.add_enrolment(e, ref());
    // Events from a week before the start to the outcome (or 110 days in).
    const Time from = start - 7 * kMsPerDay;
    const Time to = e.outcome_time != kNoTime ? e.outcome_time : start + 110 * kMsPerDay;
    const std::size_t n = events_per_learner / 2 + rng.below(events_per_learner + 1);
    for (std::size_t i = 0; i < n; ++i) {
      EventRecord ev;
      ev.learner = lid[l];
      ev.time = from + static_cast<Time>(rng.below(static_cast<std::uint64_t>(to - from)));
      const double r = rng.uniform();
      if (r < 0.75) {
        ev.verb = rng.below(2) ? Verb::launched : Verb::experienced;
        ev.object_kind = ObjectKind::resource;
        ev.object = rid[rng.below(kResources)];
        ev.count = 1 + static_cast<std::uint32_t>(rng.below(4) == 0 ? rng.below(20) : 0);
      } else if (r < 0.85) {
        const int k = static_cast<int>(rng.below(12));
        ev.object_kind = ObjectKind::step;
        ev.object = sid[path * 12 + k];
        const StepKind kind = kPlan[k].kind;
        if (kind == StepKind::assessment || kind == StepKind::assignment) {
          const bool pass = rng.below(3) != 0;
          ev.verb = pass ? Verb::passed : Verb::failed;
          ev.success = pass ? Tri::yes : Tri::no;
          ev.score = static_cast<float>(pass ? 0.5 + 0.5 * rng.uniform() : 0.5 * rng.uniform());
        } else if (kind == StepKind::classroom || kind == StepKind::virtual_class) {
          ev.verb = rng.below(5) ? Verb::attended : Verb::absent;
          if (ev.verb == Verb::absent) ev.actor = tid[g % kTutors];
        } else {
          ev.verb = rng.below(2) ? Verb::completed : Verb::launched;
          if (rng.below(4) == 0) ev.completion = Tri::yes;
        }
      } else if (r < 0.95) {
        std::size_t peer = g * kGroup + rng.below(kGroup);
        if (peer >= learners || peer == l) peer = (l + 1) % learners;
        ev.verb = rng.below(2) ? Verb::messaged : Verb::replied;
        ev.object_kind = ObjectKind::person;
        ev.object = lid[peer];
        ev.count = 1 + static_cast<std::uint32_t>(rng.below(3));
      } else {
        ev.verb = Verb::met;
        ev.object_kind = ObjectKind::person;
        ev.object = lid[l];
        ev.actor = rng.below(2) ? std::string_view(tid[g % kTutors]) : std::string_view(mid[rng.below(kManagers)]);
      }
      b.add_event(ev, ref());
    }
  }
  ReadReport report;
  Cohort c = b.build(report);
  if (!report.rejected.empty()) {
    std::fprintf(stderr, "generator: %zu records rejected, first: %s\n", report.rejected.size(),
                 report.rejected.front().reason.c_str());
    std::exit(1);
  }
  return c;
}

// Events each extraction reads: for each learner with a row, those up to its latest as_of.
std::size_t events_read(const Cohort& c, const std::vector<Landmark>& rows) {
  std::vector<Time> latest(c.learner_count(), kNoTime);
  for (const Landmark& r : rows) {
    Time& t = latest[c.enrolment(r.enrolment).learner];
    t = std::max(t, r.as_of);
  }
  std::size_t n = 0;
  for (LearnerId l = 0; l < c.learner_count(); ++l)
    if (latest[l] != kNoTime) n += c.events().upper_bound(l, latest[l]) - c.events().begin(l);
  return n;
}

// CPU time of this thread: the goal is per core, and the machine running the benchmark may be shared, in
// which case wall-clock time also counts the time other processes held the core.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Timing {
  double cpu = 1e300, wall = 1e300;  // best of the repeats
};

template <class F>
Timing best_seconds(int repeat, F&& f) {
  Timing best;
  for (int i = 0; i < repeat; ++i) {
    const double c0 = cpu_now();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best.wall = std::min(best.wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    best.cpu = std::min(best.cpu, cpu_now() - c0);
  }
  return best;
}

template <class T>
void write_column(const std::string& dir, const char* name, const std::vector<T>& v) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
  if (!out) {
    std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name);
    std::exit(1);
  }
}

void write_matrix(const std::string& dir, const std::string& name, const FeatureMatrix& m) {
  std::vector<double> v(m.values.data(), m.values.data() + m.values.size());
  write_column(dir, (name + "_values.f64").c_str(), v);
  write_column(dir, (name + "_enrolments.u32").c_str(), m.enrolments);
  write_column(dir, (name + "_as_of.i64").c_str(), m.as_of);
}

// The cohort as flat columns (internal ids), for the pandas peer.
void dump(const std::string& dir, const Cohort& c) {
  const EventLog& log = c.events();
  const std::size_t n = log.size();
  std::vector<std::uint32_t> learner(n), object(n), actor(n), count(n);
  std::vector<std::int64_t> time(n);
  std::vector<std::uint8_t> verb(n), kind(n), success(n), completion(n);
  std::vector<float> score(n);
  for (LearnerId l = 0; l < c.learner_count(); ++l)
    for (std::size_t i = log.begin(l); i < log.end(l); ++i) {
      learner[i] = l, time[i] = log.time(i), object[i] = log.object(i), actor[i] = log.actor(i);
      count[i] = log.count(i), verb[i] = static_cast<std::uint8_t>(log.verb(i));
      kind[i] = static_cast<std::uint8_t>(log.object_kind(i)), score[i] = log.score(i);
      success[i] = static_cast<std::uint8_t>(log.success(i));
      completion[i] = static_cast<std::uint8_t>(log.completion(i));
    }
  write_column(dir, "ev_learner.u32", learner);
  write_column(dir, "ev_time.i64", time);
  write_column(dir, "ev_object.u32", object);
  write_column(dir, "ev_actor.u32", actor);
  write_column(dir, "ev_count.u32", count);
  write_column(dir, "ev_verb.u8", verb);
  write_column(dir, "ev_kind.u8", kind);
  write_column(dir, "ev_score.f32", score);
  write_column(dir, "ev_success.u8", success);
  write_column(dir, "ev_completion.u8", completion);
  std::vector<std::int32_t> person_learner(c.person_count(), -1);
  for (PersonId p = 0; p < c.person_count(); ++p)
    if (c.person(p).role == Role::learner) person_learner[p] = static_cast<std::int32_t>(c.person(p).learner);
  write_column(dir, "person_learner.i32", person_learner);
  std::ofstream en(dir + "/enrolments.csv");
  en << "enrolment,learner,path,instance,start,outcome,outcome_time,prior,manager,tutor\n";
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) {
    const Enrolment& x = c.enrolment(e);
    const auto managers = c.managers(x.learner, x.start);
    const auto tutors = c.tutors(e, x.start);
    en << e << ',' << x.learner << ',' << x.path << ',' << x.instance << ',' << x.start << ','
       << static_cast<int>(x.outcome) << ',' << (x.outcome_time == kNoTime ? 0 : x.outcome_time) << ','
       << x.prior_attempts << ',' << managers.at(0) << ',' << tutors.at(0) << '\n';
  }
  std::ofstream st(dir + "/steps.csv");
  st << "step,path,position,kind,phase,due,required\n";
  for (StepId s = 0; s < c.step_count(); ++s) {
    const Step& x = c.step(s);
    st << s << ',' << x.path << ',' << x.position << ',' << static_cast<int>(x.kind) << ','
       << static_cast<int>(x.phase) << ',' << x.window.due << ',' << (x.required ? 1 : 0) << '\n';
  }
  std::ofstream ho(dir + "/holidays.txt");
  for (Day d : c.calendar().holidays()) ho << format_date(d) << '\n';
  std::ofstream fe(dir + "/features.txt");
  for (const FeatureInfo& f : kFeatures) fe << f.name << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t learners = 100000, per_learner = 100;
  std::uint64_t seed = 42;
  int repeat = 3;
  std::string dump_dir;
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
    else if (a == "--events-per-learner") per_learner = std::stoul(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--repeat") repeat = std::stoi(value());
    else if (a == "--quick") learners = 10000, repeat = 2;
    else if (a == "--dump") dump_dir = value();
    else {
      std::fprintf(stderr, "usage: bench_features [--learners N] [--events-per-learner K] [--seed S] [--repeat R] "
                           "[--quick] [--dump DIR]\n");
      return 2;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  const Cohort c = generate(learners, per_learner, seed);
  const double gen = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "generated %zu learners, %zu events in %.1f s\n", c.learner_count(), c.events().size(), gen);

  const Time as_of = at("2027-04-15T16:00:00Z");
  const std::vector<Time> instants = {at("2027-02-15T16:00:00Z"), at("2027-03-15T16:00:00Z"), as_of,
                                      at("2027-05-14T16:00:00Z")};
  FeatureMatrix single, marks;
  const std::vector<Landmark> rows1 = landmarks(c, {as_of});
  const std::vector<Landmark> rows4 = landmarks(c, instants);
  const Timing t1 = best_seconds(repeat, [&]() { single = extract(c, as_of); });
  const Timing t4 = best_seconds(repeat, [&]() { marks = extract(c, Span<Landmark>(rows4)); });
  const double s1 = t1.cpu, s4 = t4.cpu;
  const std::size_t read1 = events_read(c, rows1), read4 = events_read(c, rows4);
  std::printf("lien feature extraction, %zu features, one core\n", kFeatureCount);
  std::printf("  cohort: %zu learners, %zu events (%.1f bytes/event in the log)\n", c.learner_count(),
              c.events().size(), static_cast<double>(c.events().memory_bytes()) / static_cast<double>(c.events().size()));
  std::printf("  one as_of:    %7zu rows, %9zu events read in %.3f s CPU (%.3f s wall) = %6.1f M events/s (goal >= 10)\n",
              single.rows(), read1, s1, t1.wall, read1 / s1 / 1e6);
  std::printf("  4 landmarks:  %7zu rows, %9zu events read in %.3f s CPU (%.3f s wall) = %6.1f M events/s (goal >= 10)\n",
              marks.rows(), read4, s4, t4.wall, read4 / s4 / 1e6);
  std::printf("{\"bench\": \"features\", \"learners\": %zu, \"events\": %zu, \"features\": %zu, "
              "\"single\": {\"rows\": %zu, \"events_read\": %zu, \"seconds\": %.6f, \"wall_seconds\": %.6f, "
              "\"events_per_second\": %.0f}, "
              "\"landmarks\": {\"instants\": 4, \"rows\": %zu, \"events_read\": %zu, \"seconds\": %.6f, "
              "\"wall_seconds\": %.6f, \"events_per_second\": %.0f}, \"as_of\": [%lld, %lld, %lld, %lld], \"single_as_of\": %lld}\n",
              c.learner_count(), c.events().size(), kFeatureCount, single.rows(), read1, s1, t1.wall, read1 / s1,
              marks.rows(), read4, s4, t4.wall, read4 / s4, static_cast<long long>(instants[0]), static_cast<long long>(instants[1]),
              static_cast<long long>(instants[2]), static_cast<long long>(instants[3]), static_cast<long long>(as_of));
  if (!dump_dir.empty()) {
    dump(dump_dir, c);
    write_matrix(dump_dir, "single", single);
    write_matrix(dump_dir, "landmarks", marks);
  }
  return 0;
}
