// Regression tests for the crashes the fuzz targets found (tests/fuzz, docs/reliability.md): each input as the
// fuzzer found it (tests/fuzz/regressions/, replayed through the same entry point), and the bug's neighbours.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "lien/core/calendar.hpp"
#include "lien/core/error.hpp"
#include "lien/io/read.hpp"

using namespace lien;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
const fs::path kRegressions = fs::path(LIEN_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
const fs::path kMinimal = fs::path(LIEN_TEST_DATA_DIR) / "csv" / "minimal";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Reads tests/data/csv/minimal with this calendar.json; returns the error message ("" when it reads).
std::string read_with_calendar(const std::string& calendar_json) {
  const fs::path dir = fs::temp_directory_path() / ("lien_fuzzreg_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(kMinimal)) fs::copy_file(e.path(), dir / e.path().filename());
  std::ofstream(dir / "calendar.json", std::ios::binary) << calendar_json;
  std::string message;
  try {
    read_csv_dir(dir.string());
  } catch (const Error& e) {
    message = e.what();
  }
  fs::remove_all(dir);
  return message;
}
}  // namespace

TEST_CASE("fuzz_csv: a DST rule with missing parts in calendar.json is refused, not an assertion in Boost") {
  // The fuzzer's input: the first byte (8) picks calendar.json.
  const std::string input = slurp(kRegressions / "csv-calendar-dst-rule-M1");
  REQUIRE(input.size() > 1);
  REQUIRE(input[0] % 9 == 8);
  CHECK_THAT(read_with_calendar(input.substr(1)), Contains("calendar.json") && Contains("time_zone"));
  // Its neighbours: every malformed rule is InvalidArgument from Calendar, ParseError from the reader.
  for (const char* tz : {"CET-1CEST,M1,M10.5.0", "CET-1CEST,M3.5,M10.5.0", "CET-1CEST,M3.5.0", "CET-1CEST,M3.5.0,",
                         "CET-1CEST,M13.1.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0",
                         "CET-1CEST,M3.5.0,M10.5.0/", "CET-1CEST,M3.5.0,M10.5.0/25", "CET-1CEST,M3.5.0,M10.5.0/3:5",
                         "CET-1CEST,J0,J300", "CET-1CEST,366,10", "CET-1CEST,,", "CET-1CEST,M3.5.0,M10.5.0,M1.1.1",
                         "CET-1CEST,M.5.0,M10.5.0", "CET-1CEST,M3..0,M10.5.0"}) {
    INFO(tz);
    CHECK_THROWS_AS(Calendar(tz, kMondayToFriday, {}), InvalidArgument);
    CHECK_THAT(read_with_calendar(std::string("{\"time_zone\": \"") + tz + "\"}"), Contains("time_zone"));
  }
  // Well-formed rules of each kind still read.
  for (const char* tz : {"CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0/2:00:00,M11.1.0/02:00", "XST3XDT,J60,J300/1",
                         "YST3YDT,100,299", "AEST-10AEDT,M10.1.0,M4.1.0/3"}) {
    INFO(tz);
    CHECK_NOTHROW(Calendar(tz, kMondayToFriday, {}));
    CHECK(read_with_calendar(std::string("{\"time_zone\": \"") + tz + "\"}").empty());
  }
}
