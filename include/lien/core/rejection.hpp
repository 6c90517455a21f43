// lien/core/rejection.hpp — what a reader accepted and what it refused, record by record.
//
// Every record lien reads is either accepted or reported here with where it came from and why it was
// refused, so that `read == accepted + rejected.size()` always holds and nothing is lost silently.
// Reasons name the rule and the offending id where one is needed to fix the record, never personal fields.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

struct Rejection {
  std::string source;      ///< file name (without directory) or the name given to an in-memory table
  std::uint64_t index = 0;  ///< 1-based line in a CSV file or NDJSON file; 1-based position in a JSON array
  std::string field;       ///< the column or JSON path at fault ("" when the record as a whole is at fault)
  std::string reason;      ///< the rule the record breaks, in English
};

/// Counts for one input (a file, or a DataFrame) and for the whole read.
struct SourceCount {
  std::uint64_t read = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
};

struct ReadReport {
  std::uint64_t read = 0;      ///< records seen: CSV data rows, xAPI statements
  std::uint64_t accepted = 0;  ///< records that passed every check (voiding statements and voided ones included)
  std::uint64_t voided = 0;    ///< accepted xAPI statements later removed by a voiding statement
  std::vector<Rejection> rejected;
  std::map<std::string, SourceCount> sources;  ///< per source, in name order

  /// Records `n` more records read from `source`.
  void count_read(const std::string& source, std::uint64_t n = 1) {
    read += n;
    sources[source].read += n;
  }
  void accept(const std::string& source, std::uint64_t n = 1) {
    accepted += n;
    sources[source].accepted += n;
  }
  void reject(std::string source, std::uint64_t index, std::string field, std::string reason) {
    sources[source].rejected += 1;
    rejected.push_back(Rejection{std::move(source), index, std::move(field), std::move(reason)});
  }
  /// Turns an accepted record into a rejected one (a later check, such as referential integrity, failed).
  void unaccept(const std::string& source, std::uint64_t index, std::string field, std::string reason) {
    accepted -= 1;
    sources[source].accepted -= 1;
    reject(source, index, std::move(field), std::move(reason));
  }
  bool balanced() const noexcept { return read == accepted + rejected.size(); }
  void merge(const ReadReport& o) {
    read += o.read;
    accepted += o.accepted;
    voided += o.voided;
    rejected.insert(rejected.end(), o.rejected.begin(), o.rejected.end());
    for (const auto& [k, v] : o.sources) {
      auto& s = sources[k];
      s.read += v.read;
      s.accepted += v.accepted;
      s.rejected += v.rejected;
    }
  }
};

LIEN_END_NAMESPACE
