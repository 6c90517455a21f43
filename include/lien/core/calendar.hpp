// lien/core/calendar.hpp — time zone, working days and holidays: how lien counts time like a training team.
//
// Inactivity, deadlines and urgencies are counted in working days of the organisation's calendar, and an
// instant belongs to the learner's local day, not the UTC one. The time zone is a POSIX TZ string (the
// form embedded systems and LMS configurations carry, e.g. `CET-1CEST,M3.5.0,M10.5.0/3`), parsed by
// Boost.Date_Time; holidays use Boost.Gregorian dates.
//
// Everything is precomputed at construction into shared, immutable tables (UTC instants of each year's DST
// transitions; a prefix count of working days over 1970-2199), so every query is O(1) and a Calendar is
// cheap to copy and safe to read from many threads.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/error.hpp"
#include "lien/core/time.hpp"

LIEN_BEGIN_NAMESPACE

/// Week days as a bit mask: bit 0 = Monday ... bit 6 = Sunday.
using WeekMask = std::uint8_t;
inline constexpr WeekMask kMondayToFriday = 0x1F;

struct IsoWeek {
  int year;  ///< the ISO week-numbering year (may differ from the civil year in late December / early January)
  int week;  ///< 1..53
  bool operator==(const IsoWeek& o) const noexcept { return year == o.year && week == o.week; }
};

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
constexpr Day easter_sunday(int y) noexcept {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return days_from_civil(y, month, day);
}

class Calendar {
 public:
  /// UTC, Monday to Friday, no holidays.
  Calendar() : Calendar("UTC0", kMondayToFriday, {}) {}

  /// `posix_tz`: a POSIX TZ string (`UTC0`, `CET-1CEST,M3.5.0,M10.5.0/3`, `EST5EDT,M3.2.0,M11.1.0`); "UTC" and
  /// "" mean UTC. `working_days`: a WeekMask. `holidays`: days off (any order, duplicates allowed).
  /// Throws InvalidArgument naming the problem.
  Calendar(std::string_view posix_tz, WeekMask working_days, std::vector<Day> holidays);

  /// French public holidays in [year_from, year_to]: 1 Jan, Easter Monday, 1 May, 8 May, Ascension,
  /// Whit Monday, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec.
  static std::vector<Day> french_holidays(int year_from, int year_to);

  /// Parses a week mask written as `Mon-Fri`, `Mon,Tue,Thu`, `Sun-Thu` (English three-letter names).
  static WeekMask parse_week_mask(std::string_view text);
  static std::string format_week_mask(WeekMask mask);

  const std::string& time_zone() const noexcept { return t_->tz; }
  WeekMask working_days() const noexcept { return t_->mask; }
  const std::vector<Day>& holidays() const noexcept { return t_->holidays; }

  /// Offset of local time from UTC at instant t, in milliseconds (e.g. +3600000 for CET in winter).
  Time utc_offset(Time t) const noexcept {
    if (!t_->has_dst) return t_->base;
    const int yi = year_index(utc_day(t + t_->base));
    const Time s = t_->dst_start[yi], e = t_->dst_end[yi];
    const bool dst = s <= e ? (t >= s && t < e) : (t >= s || t < e);
    return dst ? t_->base + t_->dst : t_->base;
  }

  /// The local calendar day of an instant.
  Day local_day(Time t) const noexcept { return utc_day(t + utc_offset(t)); }

  /// The instant of a local wall-clock reading (ms since the epoch as if local were UTC). In the hour that
  /// repeats when DST ends, the first (DST) reading wins; in the hour skipped when it starts, the reading is
  /// taken as standard time, i.e. moved forward — the convention of most LMSs.
  Time local_to_utc(std::int64_t local_ms) const noexcept {
    if (!t_->has_dst) return local_ms - t_->base;
    const Time as_dst = local_ms - t_->base - t_->dst;
    if (utc_offset(as_dst) == t_->base + t_->dst) return as_dst;
    return local_ms - t_->base;
  }

  /// The instant a parsed timestamp denotes: as written when it carried an offset, else local time.
  Time to_instant(const ParsedTimestamp& p) const noexcept { return p.has_offset ? p.ms : local_to_utc(p.ms); }

  /// The first instant of a local day.
  Time start_of_day(Day d) const noexcept { return local_to_utc(static_cast<std::int64_t>(d) * kMsPerDay); }

  bool is_holiday(Day d) const noexcept { return std::binary_search(t_->holidays.begin(), t_->holidays.end(), d); }
  bool is_working_day(Day d) const noexcept {
    if (d < kMinDay || d > kMaxDay) return ((t_->mask >> iso_weekday(d)) & 1) != 0 && !is_holiday(d);
    const std::size_t i = static_cast<std::size_t>(d - kMinDay);
    return t_->prefix[i + 1] != t_->prefix[i];
  }

  /// Working days d with a < d <= b (negative when b < a): "working days since a" as seen on day b.
  /// Days outside 1970-2199 are clamped to that range.
  std::int64_t working_days_between(Day a, Day b) const noexcept { return prefix_at(b) - prefix_at(a); }
  std::int64_t working_days_between(Time a, Time b) const noexcept {
    return working_days_between(local_day(a), local_day(b));
  }

  /// The working day n working days after d (n > 0) or before it (n < 0); for n == 0, d itself if it is a
  /// working day, else the next working day. Throws InvalidArgument past 2199 or before 1970.
  Day add_working_days(Day d, int n) const;

  /// ISO 8601 week of the local day of t.
  IsoWeek iso_week(Time t) const noexcept { return iso_week_of_day(local_day(t)); }
  static IsoWeek iso_week_of_day(Day d) noexcept {
    const Day thursday = d - iso_weekday(d) + 3;  // the ISO year is the year of that week's Thursday
    const int y = civil_from_days(thursday).year;
    return {y, (thursday - days_from_civil(y, 1, 1)) / 7 + 1};
  }

 private:
  struct Tables {
    std::string tz;
    Time base = 0, dst = 0;
    bool has_dst = false;
    std::vector<Time> dst_start, dst_end;  // UTC instants, one per year from 1970 (covers kMaxYear + 1)
    WeekMask mask = kMondayToFriday;
    std::vector<Day> holidays;
    std::vector<std::int32_t> prefix;  // prefix[i] = working days in [kMinDay, kMinDay + i)
  };
  static int year_index(Day d) noexcept {
    int y = civil_from_days(d).year;
    y = std::min(std::max(y, kMinYear), kMaxYear + 1);
    return y - kMinYear;
  }
  std::int64_t prefix_at(Day d) const noexcept {
    // prefix over days <= d
    if (d < kMinDay) return 0;
    if (d > kMaxDay) return t_->prefix.back();
    return t_->prefix[static_cast<std::size_t>(d - kMinDay) + 1];
  }

  std::shared_ptr<const Tables> t_;
};

LIEN_END_NAMESPACE


