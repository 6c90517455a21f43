// read_data: the one entry point the CLI, the C ABI and the Python module use when a user hands over "DATA",
// which is either a folder of CSV tables or an xAPI file (docs/formats.md).
#include <filesystem>

#include "lien/core/error.hpp"
#include "lien/io/read.hpp"

LIEN_BEGIN_NAMESPACE

ReadResult read_data(const std::string& path, const ReadOptions& options) {
  std::error_code ec;
  if (path.empty()) throw InvalidArgument("read_data: empty path");
  if (!std::filesystem::exists(path, ec)) throw NotFound("data not found: " + path + " (expected a CSV folder or an xAPI file)");
  if (std::filesystem::is_directory(path, ec)) return read_csv_dir(path, options);
  return read_xapi_file(path, options);
}

LIEN_END_NAMESPACE
