// Concurrency and determinism (docs/reliability.md): many threads reading, extracting features, scoring,
// recommending, queueing and reviewing the same cohort with the same model at once get what one thread gets,
// bit for bit; training, scoring and reports are identical across runs and across thread counts (1, 2, 8).
// Registered with the `concurrency` label: the tsan preset runs this file under ThreadSanitizer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "lien/act/playbook.hpp"
#include "lien/act/queue.hpp"
#include "lien/act/recommend.hpp"
#include "lien/analytics/review.hpp"
#include "lien/io/read.hpp"
#include "lien/risk/model.hpp"
#include "model_cohort.hpp"

using namespace lien;

namespace {

const std::string kExample = std::string(LIEN_SOURCE_DIR) + "/examples/data/managers-2027";

/// A double as its bits, so that text comparisons are bit comparisons.
std::string bits(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, u);
  return buf;
}

std::string dump(const std::vector<RiskScore>& scores) {
  std::string out;
  for (const RiskScore& s : scores) {
    out += std::to_string(s.enrolment) + ' ' + std::to_string(s.as_of) + ' ' + bits(s.logit) + ' ' +
           bits(s.probability) + ' ' + std::to_string(static_cast<int>(s.band)) + ' ' + bits(s.withdraw_by_end);
    for (double w : s.withdraw_within) out += ' ' + bits(w);
    for (const Driver& d : s.drivers)
      out += " [" + d.feature + ' ' + bits(d.value) + ' ' + bits(d.contribution) + ' ' + std::to_string(d.rank) +
             ' ' + d.sentence + ']';
    out += '\n';
  }
  return out;
}

std::string dump(const FeatureMatrix& m) {
  std::string out;
  for (std::size_t r = 0; r < m.rows(); ++r) {
    out += std::to_string(m.enrolments[r]) + ' ' + std::to_string(m.as_of[r]);
    for (std::size_t c = 0; c < m.cols(); ++c)
      out += ' ' + bits(m.values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)));
    out += '\n';
  }
  return out;
}

std::string dump(const ActionQueue& q) {
  std::string out;
  for (const QueueEntry& e : q.entries) {
    const Action& a = e.action;
    out += std::to_string(static_cast<int>(a.type)) + ' ' + a.rule + ' ' + std::to_string(a.enrolment) + ' ' +
           std::to_string(a.performer) + ' ' + std::to_string(static_cast<int>(a.resolved)) + ' ' +
           std::to_string(a.buddy) + ' ' + bits(a.buddy_score) + ' ' + bits(a.probability) + ' ' + a.why_en + " | " +
           a.why_fr + ' ' + std::to_string(static_cast<int>(e.status)) + ' ' + std::to_string(e.rank) + ' ' +
           std::to_string(e.day) + ' ' + e.note + '\n';
  }
  for (const PerformerLoad& l : q.load)
    out += std::to_string(l.person) + ' ' + std::to_string(l.scheduled) + ' ' + std::to_string(l.deferred) + ' ' +
           std::to_string(l.dropped) + '\n';
  return out;
}

std::string slurp_dir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) {
    std::ifstream in(dir + "/" + n, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out += "== " + n + "\n" + ss.str();
  }
  return out;
}

/// A fresh scratch folder under the system temp directory.
std::string scratch(const std::string& name) {
  const auto p = std::filesystem::temp_directory_path() / ("lien_conc_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

const Cohort& history() {
  static const Cohort c = lien_test::make_cohort();
  return c;
}
RiskModelOptions options(int threads) {
  RiskModelOptions o;
  o.folds = 3;
  o.threads = threads;
  return o;
}
const RiskModel& trained() {
  static const RiskModel m = RiskModel::fit(history(), options(1));
  return m;
}
const Cohort& example() {
  static const Cohort c = read_csv_dir(kExample).cohort;
  return c;
}
/// 2026-11-16T09:00:00Z, a Monday well into the example programme.
Time example_date() { return Time(days_from_civil(2026, 11, 16)) * kMsPerDay + 9 * kMsPerHour; }

/// Everything a worker computes: scores, the score table, the feature matrix, the action queue and reviews.
struct Outputs {
  std::string scores, table, matrix, queue, reviews;
  bool operator==(const Outputs& o) const {
    return scores == o.scores && table == o.table && matrix == o.matrix && queue == o.queue && reviews == o.reviews;
  }
};

Outputs everything(const RiskModel& m) {
  const Cohort& c = example();
  const Time date = example_date();
  Outputs out;
  ScoreOptions so;
  so.lang = Lang::fr;
  so.horizons_days = {7, 28};
  const std::vector<RiskScore> scores = m.score(c, date, so);
  out.scores = dump(scores);
  const std::vector<Landmark> rows = landmarks(c, {date});
  const FeatureMatrix x = m.features(c, Span<Landmark>(rows));
  out.matrix = dump(x);
  ScoreTable table;
  m.score(c, x, ScoreOptions{}, table);
  std::vector<RiskScore> from_table;
  for (std::size_t i = 0; i < table.rows; ++i) from_table.push_back(table.score(i));
  out.table = dump(from_table);
  std::vector<Action> actions =
      recommend(c, Playbook::default_playbook(), Span<RiskScore>(scores.data(), scores.size()), date);
  out.queue = dump(build_queue(c, actions, date));
  ReviewOptions ro;
  ro.playbook = &Playbook::default_playbook();
  for (std::size_t i = 0; i < scores.size() && i < 4; ++i) {
    const Review r = review(c, scores[i].enrolment, date, &scores[i], {}, ro);
    out.reviews += render_review(c, r, Lang::en) + render_review(c, r, Lang::fr);
  }
  return out;
}

}  // namespace

TEST_CASE("many threads scoring, extracting, recommending, queueing and reviewing at once match one thread") {
  const RiskModel& m = trained();
  const Outputs reference = everything(m);
  REQUIRE(!reference.scores.empty());
  REQUIRE(!reference.queue.empty());
  REQUIRE(!reference.reviews.empty());
  constexpr int kThreads = 8, kRounds = 2;
  std::vector<int> agree(kThreads, 0);
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();  // start together, to overlap as much as possible
      for (int r = 0; r < kRounds; ++r) agree[static_cast<std::size_t>(t)] += everything(m) == reference;
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) CHECK(agree[static_cast<std::size_t>(t)] == kRounds);
}

TEST_CASE("many threads reading the same files at once get the same cohorts and reports") {
  const std::string xapi = std::string(LIEN_TEST_DATA_DIR) + "/xapi/openedx.ndjson";
  const ReadResult csv_ref = read_csv_dir(kExample);
  const ReadResult xapi_ref = read_xapi_file(xapi);
  const std::string base = scratch("read");
  write_csv_dir(csv_ref.cohort, base + "/ref_csv");
  write_csv_dir(xapi_ref.cohort, base + "/ref_xapi");
  const std::string want_csv = slurp_dir(base + "/ref_csv"), want_xapi = slurp_dir(base + "/ref_xapi");
  constexpr int kThreads = 6;
  std::vector<int> ok(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      const std::string dir = base + "/t" + std::to_string(t);
      const ReadResult a = read_csv_dir(kExample);
      const ReadResult b = read_xapi_file(xapi);
      write_csv_dir(a.cohort, dir + "_csv");
      write_csv_dir(b.cohort, dir + "_xapi");
      ok[static_cast<std::size_t>(t)] = a.report.read == csv_ref.report.read &&
                                         a.report.rejected.size() == csv_ref.report.rejected.size() &&
                                         b.report.read == xapi_ref.report.read &&
                                         b.report.rejected.size() == xapi_ref.report.rejected.size();
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) {
    CHECK(ok[static_cast<std::size_t>(t)] == 1);
    CHECK(slurp_dir(base + "/t" + std::to_string(t) + "_csv") == want_csv);
    CHECK(slurp_dir(base + "/t" + std::to_string(t) + "_xapi") == want_xapi);
  }
  std::filesystem::remove_all(base);
}

TEST_CASE("training, scores and reports are bit-identical for 1, 2 and 8 threads and across runs") {
  const RiskModel one = RiskModel::fit(history(), options(1));
  const RiskModel two = RiskModel::fit(history(), options(2));
  const RiskModel eight = RiskModel::fit(history(), options(8));
  const RiskModel again = RiskModel::fit(history(), options(8));
  const std::string file = one.to_json();
  CHECK(two.to_json() == file);
  CHECK(eight.to_json() == file);
  CHECK(again.to_json() == file);
  CHECK(trained().to_json() == file);
  // A model read back scores, queues and reports exactly as the one that was trained.
  const Outputs want = everything(one);
  CHECK(everything(two) == want);
  CHECK(everything(eight) == want);
  CHECK(everything(RiskModel::from_json(file)) == want);
  // Saved twice: the same bytes on disk.
  const std::string dir = scratch("save");
  one.save(dir + "/a.json");
  eight.save(dir + "/b.json");
  std::ifstream a(dir + "/a.json", std::ios::binary), b(dir + "/b.json", std::ios::binary);
  std::ostringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  CHECK(sa.str() == file);
  CHECK(sb.str() == file);
  // Cohort files written twice from two reads are identical too.
  write_csv_dir(read_csv_dir(kExample).cohort, dir + "/x");
  write_csv_dir(read_csv_dir(kExample).cohort, dir + "/y");
  CHECK(slurp_dir(dir + "/x") == slurp_dir(dir + "/y"));
  std::filesystem::remove_all(dir);
}
