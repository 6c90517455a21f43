// lien/core/time.hpp — instants, civil days, and strict ISO 8601 parsing and formatting.
//
// An instant (Time) is a count of milliseconds since 1970-01-01T00:00:00Z. A civil day (Day) is a count of
// days since 1970-01-01 in the proleptic Gregorian calendar; which day an instant falls on depends on the
// time zone, so only Calendar turns a Time into a local Day. Both are plain integers so that the event log
// stays columnar and cheap; this file holds the arithmetic and the text forms.
//
// Supported range: years 1970 to 2199 inclusive. Dates outside it are rejected by the parsers: in learning
// data they are always typos (0202-09-01) or sentinel values (1900-01-01), never real activity.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

using Time = std::int64_t;  ///< milliseconds since the Unix epoch, UTC
using Day = std::int32_t;   ///< days since 1970-01-01, proleptic Gregorian

inline constexpr Time kNoTime = std::numeric_limits<Time>::min();
inline constexpr Day kNoDay = std::numeric_limits<Day>::min();
inline constexpr Time kMsPerSecond = 1000;
inline constexpr Time kMsPerMinute = 60 * kMsPerSecond;
inline constexpr Time kMsPerHour = 60 * kMsPerMinute;
inline constexpr Time kMsPerDay = 24 * kMsPerHour;

inline constexpr int kMinYear = 1970;
inline constexpr int kMaxYear = 2199;

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm; valid for any year).
constexpr Day days_from_civil(int y, int m, int d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153u * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2u) / 5u + static_cast<unsigned>(d) - 1u;
  const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct CivilDate {
  int year;
  int month;  ///< 1..12
  int day;    ///< 1..31
};

constexpr CivilDate civil_from_days(Day z) noexcept {
  const int zz = z + 719468;
  const int era = (zz >= 0 ? zz : zz - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(zz - era * 146097);
  const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
  const unsigned mp = (5u * doy + 2u) / 153u;
  const unsigned d = doy - (153u * mp + 2u) / 5u + 1u;
  const unsigned m = mp < 10u ? mp + 3u : mp - 9u;
  return {y + (m <= 2u), static_cast<int>(m), static_cast<int>(d)};
}

constexpr bool is_leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) noexcept {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

/// ISO weekday of a day: 0 = Monday ... 6 = Sunday.
constexpr int iso_weekday(Day d) noexcept {
  const int w = (d + 3) % 7;  // 1970-01-01 was a Thursday
  return w < 0 ? w + 7 : w;
}

/// Floor division, for instants before the epoch and negative offsets.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// The UTC day of an instant (use Calendar::local_day for the learner's day).
constexpr Day utc_day(Time t) noexcept { return static_cast<Day>(floor_div(t, kMsPerDay)); }

inline constexpr Day kMinDay = days_from_civil(kMinYear, 1, 1);
inline constexpr Day kMaxDay = days_from_civil(kMaxYear, 12, 31);

/// A timestamp as written, before a time zone turns it into an instant.
struct ParsedTimestamp {
  std::int64_t ms = 0;     ///< milliseconds since the epoch of the wall-clock reading (local, or UTC if has_offset)
  bool has_offset = false;  ///< the text carried Z or ±hh:mm, so `ms` is already UTC
  bool date_only = false;   ///< the text was YYYY-MM-DD
};

namespace detail {
constexpr bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}
}  // namespace detail

/// Parses `YYYY-MM-DD` strictly (no spaces, real calendar date, year in the supported range).
/// On failure returns false and sets `why` to a short reason.
inline bool parse_date(std::string_view s, Day& out, const char** why = nullptr) noexcept {
  int y = 0, m = 0, d = 0;
  auto fail = [&](const char* r) {
    if (why) *why = r;
    return false;
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !detail::digits(s, 0, 4, y) || !detail::digits(s, 5, 2, m) ||
      !detail::digits(s, 8, 2, d))
    return fail("expected a date as YYYY-MM-DD");
  if (m < 1 || m > 12) return fail("month out of range");
  if (d < 1 || d > days_in_month(y, m)) return fail("day does not exist in that month");
  if (y < kMinYear || y > kMaxYear) return fail("year outside 1970-2199");
  out = days_from_civil(y, m, d);
  return true;
}

/// Parses an ISO 8601 / RFC 3339 timestamp: `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm[:ss[.fraction]]` followed by
/// nothing (local time), `Z`, or an offset `±hh:mm`, `±hhmm`, `±hh`. A space may replace the `T` (as many LMS
/// exports write it). Fractions beyond milliseconds are truncated. Leap second 60 is rejected.
inline bool parse_timestamp(std::string_view s, ParsedTimestamp& out, const char** why = nullptr) noexcept {
  auto fail = [&](const char* r) {
    if (why) *why = r;
    return false;
  };
  Day day;
  if (s.size() < 10) return fail("expected a timestamp as YYYY-MM-DD[Thh:mm[:ss][Z|+hh:mm]]");
  if (!parse_date(s.substr(0, 10), day, why)) return false;
  out = ParsedTimestamp{};
  if (s.size() == 10) {
    out.ms = static_cast<std::int64_t>(day) * kMsPerDay;
    out.date_only = true;
    return true;
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return fail("expected 'T' between date and time");
  int hh = 0, mi = 0, ss = 0, ms = 0;
  std::size_t p = 11;
  if (s.size() < p + 5 || !detail::digits(s, p, 2, hh) || s[p + 2] != ':' || !detail::digits(s, p + 3, 2, mi))
    return fail("expected a time as hh:mm[:ss]");
  p += 5;
  if (p < s.size() && s[p] == ':') {
    if (!detail::digits(s, p + 1, 2, ss)) return fail("expected seconds as two digits");
    p += 3;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      std::size_t start = p;
      int scale = 100;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        ms += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
      if (p == start) return fail("expected digits after the decimal point of the seconds");
    }
  }
  if (hh > 24 || mi > 59 || ss > 59) return fail("time of day out of range");
  if (hh == 24 && (mi != 0 || ss != 0 || ms != 0)) return fail("time of day out of range");
  std::int64_t wall =
      static_cast<std::int64_t>(day) * kMsPerDay + hh * kMsPerHour + mi * kMsPerMinute + ss * kMsPerSecond + ms;
  if (p == s.size()) {
    out.ms = wall;
    return true;
  }
  if (s[p] == 'Z' || s[p] == 'z') {
    if (p + 1 != s.size()) return fail("unexpected characters after 'Z'");
    out.ms = wall;
    out.has_offset = true;
    return true;
  }
  if (s[p] != '+' && s[p] != '-') return fail("unexpected characters after the time");
  const int sign = s[p] == '-' ? -1 : 1;
  int oh = 0, om = 0;
  ++p;
  if (!detail::digits(s, p, 2, oh)) return fail("expected a UTC offset as +hh:mm");
  p += 2;
  if (p < s.size()) {
    if (s[p] == ':') ++p;
    if (!detail::digits(s, p, 2, om) || p + 2 != s.size()) return fail("expected a UTC offset as +hh:mm");
  }
  if (oh > 23 || om > 59) return fail("UTC offset out of range");
  out.ms = wall - sign * (oh * kMsPerHour + om * kMsPerMinute);
  out.has_offset = true;
  const Day utc = utc_day(out.ms);
  if (utc < kMinDay || utc > kMaxDay) return fail("instant outside 1970-2199");
  return true;
}

/// Parses an ISO 8601 duration (`PT1H30M`, `P2DT3.5S`, `P1W`). Years and months count as 365 and 30 days
/// (xAPI durations describe time spent, where these never appear in practice). Returns seconds.
inline bool parse_iso_duration(std::string_view s, double& seconds, const char** why = nullptr) noexcept {
  auto fail = [&](const char* r) {
    if (why) *why = r;
    return false;
  };
  if (s.size() < 3 || s[0] != 'P') return fail("expected an ISO 8601 duration such as PT1H30M");
  std::size_t p = 1;
  bool in_time = false, any = false;
  double total = 0;
  int last_rank = -1;
  while (p < s.size()) {
    if (s[p] == 'T') {
      if (in_time) return fail("duration has two 'T'");
      in_time = true;
      ++p;
      if (p == s.size()) return fail("duration ends after 'T'");
      continue;
    }
    double value = 0;
    std::size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') value = value * 10 + (s[p++] - '0');
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      double scale = 0.1;
      std::size_t fstart = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        value += (s[p++] - '0') * scale;
        scale /= 10;
      }
      if (p == fstart) return fail("duration has a decimal point without digits");
    }
    if (p == start || p == s.size()) return fail("duration number without a unit");
    const char u = s[p++];
    int rank;
    double unit;
    if (!in_time) {
      if (u == 'Y') rank = 0, unit = 365 * 86400.0;
      else if (u == 'M') rank = 1, unit = 30 * 86400.0;
      else if (u == 'W') rank = 2, unit = 7 * 86400.0;
      else if (u == 'D') rank = 3, unit = 86400.0;
      else return fail("unknown unit in the date part of a duration");
    } else {
      if (u == 'H') rank = 4, unit = 3600.0;
      else if (u == 'M') rank = 5, unit = 60.0;
      else if (u == 'S') rank = 6, unit = 1.0;
      else return fail("unknown unit in the time part of a duration");
    }
    if (rank <= last_rank) return fail("duration units out of order");
    last_rank = rank;
    total += value * unit;
    any = true;
  }
  if (!any) return fail("duration without any value");
  seconds = total;
  return true;
}

/// `YYYY-MM-DD`.
inline std::string format_date(Day d) {
  const CivilDate c = civil_from_days(d);
  char buf[16] = {};  // initialised: GCC 12 at -O1 (the sanitizer builds) sees it as maybe-uninitialized
  buf[0] = static_cast<char>('0' + c.year / 1000 % 10);
  buf[1] = static_cast<char>('0' + c.year / 100 % 10);
  buf[2] = static_cast<char>('0' + c.year / 10 % 10);
  buf[3] = static_cast<char>('0' + c.year % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + c.month / 10);
  buf[6] = static_cast<char>('0' + c.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + c.day / 10);
  buf[9] = static_cast<char>('0' + c.day % 10);
  return std::string(buf, 10);
}

/// `YYYY-MM-DDThh:mm:ss[.mmm]Z`, the canonical form lien writes (milliseconds only when non-zero).
inline std::string format_timestamp_utc(Time t) {
  const Day d = utc_day(t);
  std::int64_t rem = t - static_cast<std::int64_t>(d) * kMsPerDay;
  const int hh = static_cast<int>(rem / kMsPerHour);
  rem %= kMsPerHour;
  const int mi = static_cast<int>(rem / kMsPerMinute);
  rem %= kMsPerMinute;
  const int ss = static_cast<int>(rem / kMsPerSecond);
  const int ms = static_cast<int>(rem % kMsPerSecond);
  std::string out = format_date(d);
  char buf[16] = {};
  buf[0] = 'T';
  buf[1] = static_cast<char>('0' + hh / 10);
  buf[2] = static_cast<char>('0' + hh % 10);
  buf[3] = ':';
  buf[4] = static_cast<char>('0' + mi / 10);
  buf[5] = static_cast<char>('0' + mi % 10);
  buf[6] = ':';
  buf[7] = static_cast<char>('0' + ss / 10);
  buf[8] = static_cast<char>('0' + ss % 10);
  std::size_t n = 9;
  if (ms != 0) {
    buf[9] = '.';
    buf[10] = static_cast<char>('0' + ms / 100);
    buf[11] = static_cast<char>('0' + ms / 10 % 10);
    buf[12] = static_cast<char>('0' + ms % 10);
    n = 13;
  }
  buf[n++] = 'Z';
  out.append(buf, n);
  return out;
}

LIEN_END_NAMESPACE
