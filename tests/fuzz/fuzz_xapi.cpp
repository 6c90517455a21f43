// tests/fuzz/fuzz_xapi.cpp — libFuzzer target for the xAPI reader. The first byte holds the options: bit 0
// strict validation, bit 1 read against reference tables (actors, activities and registrations mapped onto
// declared ones) rather than inferring everything; the rest is the file (a JSON array or NDJSON).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "lien/io/read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  lien::ReadOptions options;
  options.strict = (data[0] & 1) != 0;
  const bool with_tables = (data[0] & 2) != 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    lien::CohortBuilder builder(lien_fuzz::utc_calendar());
    if (with_tables) {
      using namespace lien_fuzz;
      lien::read_csv_table(builder, "learners", kLearners, "ref_learners.csv");
      lien::read_csv_table(builder, "stakeholders", kStakeholders, "ref_stakeholders.csv");
      lien::read_csv_table(builder, "paths", kPaths, "ref_paths.csv");
      lien::read_csv_table(builder, "steps", kSteps, "ref_steps.csv");
      lien::read_csv_table(builder, "enrolments", kEnrolments, "ref_enrolments.csv");
    }
    lien::read_xapi_text(builder, text, "fuzz.ndjson", options);
    lien::ReadReport report;
    lien::Cohort cohort = builder.build(report);
    lien_fuzz::check_report(report);
  } catch (const lien::Error&) {
    // the file as a whole cannot be read (not JSON at all): the expected outcome for such input
  }
  return 0;
}
