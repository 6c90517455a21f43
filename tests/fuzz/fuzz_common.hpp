// tests/fuzz/fuzz_common.hpp — what the libFuzzer targets share: the invariants every read must keep, checked
// after each input, and a trap that turns a broken invariant into a crash libFuzzer records.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "lien/core/calendar.hpp"
#include "lien/model/cohort.hpp"

namespace lien_fuzz {

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// Nothing lost: every record read is either accepted or rejected, overall and per source.
inline void check_report(const lien::ReadReport& r) {
  if (!r.balanced()) fail("read != accepted + rejected");
  std::uint64_t read = 0;
  for (const auto& kv : r.sources) {
    if (kv.second.read != kv.second.accepted + kv.second.rejected) fail("a source is not balanced");
    read += kv.second.read;
  }
  if (read != r.read) fail("per-source read counts do not add up");
  for (const auto& rej : r.rejected)
    if (rej.reason.empty()) fail("a rejection without a reason");
}

/// The default calendar, built once: a Calendar precomputes its day tables over every supported year, which
/// would otherwise cost more than reading a small input (copies share the tables).
inline const lien::Calendar& utc_calendar() {
  static const lien::Calendar c;
  return c;
}

// Small reference tables (tests/data/csv/minimal, plus a stakeholder) that the fuzzed table refers to, so that
// fuzzed rows get past id resolution into the checks behind it.
inline constexpr const char* kLearners = "learner_id,display_name,email\nL1,,\nL2,,\n";
inline constexpr const char* kStakeholders = "stakeholder_id,role\nM1,manager\nT1,tutor\n";
inline constexpr const char* kPaths = "path_id\nP1\n";
inline constexpr const char* kSteps =
    "step_id,path_id,kind,phase,open,due,activity_iri\nS1,P1,elearning,during,0,10,https://x.test/s1\n"
    "S2,P1,classroom,during,2026-09-10,2026-09-20,\n";
inline constexpr const char* kEnrolments = "enrolment_id,learner_id,path_id,start\nE1,L1,P1,2026-09-07\nE2,L2,P1,2026-09-07\n";

}  // namespace lien_fuzz
