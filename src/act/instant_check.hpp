// Shared by the act and analytics sources: refuse an instant outside the supported years (1970-2199) before
// any calendar arithmetic, so a sentinel such as kNoTime gives a clear error instead of an overflow.
#pragma once

#include <string>

#include "lien/core/error.hpp"
#include "lien/core/time.hpp"

LIEN_BEGIN_NAMESPACE
namespace detail {

inline void check_instant(const char* fn, const char* what, Time t) {
  // One day of margin on each side for time-zone offsets.
  if (t == kNoTime || t < (static_cast<Time>(kMinDay) + 1) * kMsPerDay ||
      t > static_cast<Time>(kMaxDay) * kMsPerDay)
    throw InvalidArgument(std::string(fn) + ": " + what + " is missing or outside 1970-2199");
}

}  // namespace detail
LIEN_END_NAMESPACE
