// tests/fuzz/fuzz_csv.cpp — libFuzzer target for every CSV table reader and calendar.json. The first byte picks
// the table (byte % 9: the eight tables of docs/formats.md, then calendar.json); the rest is the file. Small
// reference tables are read first so that fuzzed rows reach the builder's checks; the cohort is then built and
// the report must balance. Bad input may only end in a lien::Error (file-level) or rejections (per row).
#include <cstddef>
#include <cstdint>
#include <string>

#include "csv_parser.hpp"
#include "fuzz_common.hpp"
#include "lien/io/read.hpp"

namespace {
constexpr const char* kTables[] = {"learners", "stakeholders", "relations", "paths",
                                   "steps",    "prerequisites", "enrolments", "events"};
constexpr std::size_t kTableCount = sizeof(kTables) / sizeof(kTables[0]);

void read_references(lien::CohortBuilder& b) {
  using namespace lien_fuzz;
  lien::read_csv_table(b, "learners", kLearners, "ref_learners.csv");
  lien::read_csv_table(b, "stakeholders", kStakeholders, "ref_stakeholders.csv");
  lien::read_csv_table(b, "paths", kPaths, "ref_paths.csv");
  lien::read_csv_table(b, "steps", kSteps, "ref_steps.csv");
  lien::read_csv_table(b, "enrolments", kEnrolments, "ref_enrolments.csv");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t which = data[0] % (kTableCount + 1);
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    lien::Calendar calendar = lien_fuzz::utc_calendar();
    if (which == kTableCount) calendar = lien::csv::parse_calendar_json(text, "calendar.json");
    lien::CohortBuilder builder(calendar);
    read_references(builder);
    if (which < kTableCount)
      lien::read_csv_table(builder, kTables[which], text, std::string(kTables[which]) + ".csv");
    lien::ReadReport report;
    lien::Cohort cohort = builder.build(report);
    lien_fuzz::check_report(report);
    if (cohort.learner_count() < 2 && which != 0) lien_fuzz::fail("a reference learner was lost");
  } catch (const lien::Error&) {
    // a file-level refusal (no header, unknown column, bad calendar): the expected outcome for bad files
  }
  return 0;
}
