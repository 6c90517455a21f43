// The capacitated assignment behind buddy matching: the cap holds, and the solution is optimal against brute
// force (every assignment enumerated) on small random instances; a greedy pairing would not be.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "lien/core/error.hpp"
#include "lien/graph/buddy.hpp"
#include "lien/core/random.hpp"

using namespace lien;

namespace {

struct Value {
  std::size_t matched = 0;
  long units = 0;  // sum of llround(score * kScoreUnits)
  bool operator<(const Value& o) const { return matched != o.matched ? matched < o.matched : units < o.units; }
  bool operator==(const Value& o) const { return matched == o.matched && units == o.units; }
};

Value value_of(const std::vector<AssignmentEdge>& edges, const std::vector<std::uint32_t>& choice) {
  Value v;
  for (std::uint32_t c : choice)
    if (c != kNoId) ++v.matched, v.units += std::lround(edges[c].score * kScoreUnits);
  return v;
}

// Every assignment: each seeker takes none or one of its edges, no buddy above cap.
void brute(const std::vector<std::vector<std::uint32_t>>& by_seeker, const std::vector<AssignmentEdge>& edges,
           std::uint32_t cap, std::size_t s, std::vector<std::uint32_t>& load, Value current, Value& best) {
  if (s == by_seeker.size()) {
    if (best < current) best = current;
    return;
  }
  brute(by_seeker, edges, cap, s + 1, load, current, best);
  for (std::uint32_t e : by_seeker[s]) {
    if (load[edges[e].buddy] == cap) continue;
    ++load[edges[e].buddy];
    Value next = current;
    ++next.matched;
    next.units += std::lround(edges[e].score * kScoreUnits);
    brute(by_seeker, edges, cap, s + 1, load, next, best);
    --load[edges[e].buddy];
  }
}

}  // namespace

TEST_CASE("the assignment is optimal against brute force on 300 random instances") {
  SplitMix64 rng(2027);
  for (int instance = 0; instance < 300; ++instance) {
    const std::size_t seekers = 1 + rng.below(7), buddies = 1 + rng.below(4);
    const std::uint32_t cap = 1 + static_cast<std::uint32_t>(rng.below(3));
    std::vector<AssignmentEdge> edges;
    std::vector<std::vector<std::uint32_t>> by_seeker(seekers);
    for (std::uint32_t s = 0; s < seekers; ++s)
      for (std::uint32_t b = 0; b < buddies; ++b)
        if (rng.uniform() < 0.6) {
          // Scores on the solver's grid, so that brute force and solver compare exactly.
          by_seeker[s].push_back(static_cast<std::uint32_t>(edges.size()));
          edges.push_back({s, b, static_cast<double>(rng.below(kScoreUnits + 1)) / kScoreUnits});
        }
    INFO("instance " << instance << ": " << seekers << " seekers, " << buddies << " buddies, cap " << cap);
    const auto choice = solve_assignment(seekers, buddies, edges, cap);
    REQUIRE(choice.size() == seekers);
    std::vector<std::uint32_t> load(buddies, 0);
    for (std::uint32_t s = 0; s < seekers; ++s) {
      if (choice[s] == kNoId) continue;
      REQUIRE(choice[s] < edges.size());
      CHECK(edges[choice[s]].seeker == s);
      ++load[edges[choice[s]].buddy];
    }
    for (std::uint32_t l : load) CHECK(l <= cap);
    Value best;
    std::vector<std::uint32_t> bl(buddies, 0);
    brute(by_seeker, edges, cap, 0, bl, Value{}, best);
    const Value got = value_of(edges, choice);
    CHECK(got.matched == best.matched);
    CHECK(got.units == best.units);
    // Deterministic: the same instance gives the same choice.
    CHECK(solve_assignment(seekers, buddies, edges, cap) == choice);
  }
}

TEST_CASE("a greedy pairing would leave a learner out; the assignment does not") {
  // s0 likes b0 (0.9) and b1 (0.8); s1 can only take b0 (0.85). Greedy gives s0 b0 and nothing to s1.
  const std::vector<AssignmentEdge> edges{{0, 0, 0.9}, {0, 1, 0.8}, {1, 0, 0.85}};
  const auto choice = solve_assignment(2, 2, edges, 1);
  CHECK(choice == std::vector<std::uint32_t>{1, 2});
  // With room for two, both take b0: 0.9 + 0.85.
  CHECK(solve_assignment(2, 2, edges, 2) == std::vector<std::uint32_t>{0, 2});
}

TEST_CASE("the cap holds when many learners want the same buddy") {
  std::vector<AssignmentEdge> edges;
  for (std::uint32_t s = 0; s < 10; ++s) edges.push_back({s, 0, 1.0}), edges.push_back({s, 1, 0.1});
  const auto choice = solve_assignment(10, 2, edges, 3);
  int on0 = 0, on1 = 0, none = 0;
  for (auto c : choice) {
    if (c == kNoId) ++none;
    else (edges[c].buddy == 0 ? on0 : on1)++;
  }
  CHECK(on0 == 3);
  CHECK(on1 == 3);
  CHECK(none == 4);
}

TEST_CASE("bad assignment problems are refused") {
  CHECK_THROWS_WITH(solve_assignment(1, 1, {{0, 0, 0.5}}, 0), Catch::Contains("cap must be at least 1"));
  CHECK_THROWS_WITH(solve_assignment(1, 1, {{0, 0, 0.5}, {0, 3, 0.5}}, 1),
                    Catch::Contains("edge 1 names seeker 0 and buddy 3"));
  CHECK_THROWS_WITH(solve_assignment(1, 1, {{0, 0, 1.5}}, 1), Catch::Contains("outside [0, 1]"));
  CHECK_THROWS_WITH(solve_assignment(1, 1, {{0, 0, std::nan("")}}, 1), Catch::Contains("outside [0, 1]"));
  CHECK(solve_assignment(3, 0, {}, 1) == std::vector<std::uint32_t>(3, kNoId));
}
