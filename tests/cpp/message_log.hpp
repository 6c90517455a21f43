// The message log hook of the privacy check (docs/reliability.md, "Privacy"): tests that provoke errors and
// rejections append each message they see to the file named by the environment variable LIEN_MESSAGE_LOG
// (one message per line, newlines escaped). The C and Python suites append to the same file in the same
// format; test_privacy.cpp scans whatever the file holds for personal fields of the fixtures. Without the
// variable, nothing is written.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "lien/core/rejection.hpp"

namespace lien_test {

inline void log_message(const std::string& text) {
  static std::mutex mu;
  const char* path = std::getenv("LIEN_MESSAGE_LOG");
  if (!path || !*path) return;
  std::string line;
  for (char c : text) line += c == '\n' ? std::string("\\n") : std::string(1, c);
  line += '\n';
  std::lock_guard<std::mutex> lock(mu);
  if (std::FILE* f = std::fopen(path, "ab")) {
    std::fwrite(line.data(), 1, line.size(), f);
    std::fclose(f);
  }
}

inline void log_report(const lien::ReadReport& r) {
  for (const auto& x : r.rejected) log_message(x.source + ":" + std::to_string(x.index) + ": " + x.field + ": " + x.reason);
}

}  // namespace lien_test
