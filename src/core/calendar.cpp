// Calendar construction: POSIX TZ rules through Boost.Date_Time, holidays through Boost.Gregorian.
// Compiled once here so that Boost.Date_Time's headers stay out of every translation unit that counts days.
#include "lien/core/calendar.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/date_time/local_time/local_time.hpp>

#include <cctype>

LIEN_BEGIN_NAMESPACE

namespace {

Day to_day(const boost::gregorian::date& d) {
  return days_from_civil(d.year(), d.month(), d.day());
}

Time to_time(const boost::posix_time::ptime& p) {
  const Day d = to_day(p.date());
  return static_cast<Time>(d) * kMsPerDay + p.time_of_day().total_milliseconds();
}

constexpr const char* kDayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int day_index(std::string_view s) {
  for (int i = 0; i < 7; ++i) {
    if (s.size() == 3 && std::tolower(static_cast<unsigned char>(s[0])) == std::tolower(kDayNames[i][0]) &&
        std::tolower(static_cast<unsigned char>(s[1])) == kDayNames[i][1] &&
        std::tolower(static_cast<unsigned char>(s[2])) == kDayNames[i][2])
      return i;
  }
  return -1;
}

// The DST rules of a POSIX TZ string, ",start[/time],end[/time]", each rule Mm.w.d (m 1-12, w 1-5, d 0-6), Jn
// (1-365) or n (0-365), the time [+]hh[:mm[:ss]] below 25 hours. Checked before Boost sees them: Boost's parser
// asserts on (and, without assertions, reads past) a rule with missing parts such as "M1" (found by fuzz_csv).
bool valid_dst_rules(std::string_view s) {
  auto number = [&](std::size_t& p, int lo, int hi, int& v) {
    const std::size_t start = p;
    v = 0;
    while (p < s.size() && p - start < 4 && s[p] >= '0' && s[p] <= '9') v = v * 10 + (s[p++] - '0');
    return p > start && v >= lo && v <= hi;
  };
  std::size_t p = 0;
  for (int rule = 0; rule < 2; ++rule) {
    if (p >= s.size() || s[p] != ',') return false;
    ++p;
    int v = 0;
    if (p < s.size() && s[p] == 'M') {
      ++p;
      if (!number(p, 1, 12, v) || p >= s.size() || s[p++] != '.') return false;
      if (!number(p, 1, 5, v) || p >= s.size() || s[p++] != '.') return false;
      if (!number(p, 0, 6, v)) return false;
    } else if (p < s.size() && s[p] == 'J') {
      ++p;
      if (!number(p, 1, 365, v)) return false;
    } else if (!number(p, 0, 365, v)) {
      return false;
    }
    if (p < s.size() && s[p] == '/') {
      ++p;
      if (p < s.size() && s[p] == '+') ++p;
      if (!number(p, 0, 24, v)) return false;
      for (int part = 0; part < 2 && p < s.size() && s[p] == ':'; ++part) {
        ++p;
        const std::size_t start = p;
        if (!number(p, 0, 59, v) || p - start != 2) return false;
      }
    }
  }
  return p == s.size();
}

// Boost.Date_Time reads the offsets of a POSIX TZ string with the opposite sign to POSIX (its "EST-5EDT" is
// POSIX's "EST5EDT"). Users write real POSIX strings, so the offsets are negated before Boost sees them.
// Returns "" when the string does not have the POSIX shape `std offset [dst [offset]] [,rule,rule]`.
std::string boost_tz_string(const std::string& posix) {
  std::string out;
  std::size_t p = 0;
  auto name = [&]() {
    const std::size_t start = p;
    if (p < posix.size() && posix[p] == '<') {
      const std::size_t close = posix.find('>', p);
      if (close == std::string::npos) return false;
      p = close + 1;
    } else {
      while (p < posix.size() && std::isalpha(static_cast<unsigned char>(posix[p]))) ++p;
      if (p - start < 3) return false;
    }
    out.append(posix, start, p - start);
    return true;
  };
  auto offset = [&]() {
    char sign = '+';
    if (p < posix.size() && (posix[p] == '+' || posix[p] == '-')) sign = posix[p++];
    const std::size_t start = p;
    while (p < posix.size() && (std::isdigit(static_cast<unsigned char>(posix[p])) || posix[p] == ':')) ++p;
    if (p == start) return false;
    out += sign == '-' ? '+' : '-';
    out.append(posix, start, p - start);
    return true;
  };
  if (!name() || !offset()) return "";
  if (p < posix.size() && posix[p] != ',') {
    if (!name()) return "";
    if (p < posix.size() && posix[p] != ',' && !offset()) return "";
  }
  if (p < posix.size() && !valid_dst_rules(std::string_view(posix).substr(p))) return "";
  out.append(posix, p, std::string::npos);
  return out;
}

}  // namespace

Calendar::Calendar(std::string_view posix_tz, WeekMask working_days, std::vector<Day> holidays) {
  auto t = std::make_shared<Tables>();
  t->tz = std::string(posix_tz);
  if (posix_tz.empty() || posix_tz == "UTC" || posix_tz == "Z") t->tz = "UTC0";
  if ((working_days & 0x7F) == 0) throw InvalidArgument("calendar: no working day in the week");
  t->mask = working_days & 0x7F;
  try {
    const std::string for_boost = boost_tz_string(t->tz);
    if (for_boost.empty()) throw std::invalid_argument("not of the form 'std offset [dst [offset] [,start,end]]'");
    boost::local_time::posix_time_zone tz(for_boost);
    t->base = tz.base_utc_offset().total_milliseconds();
    t->has_dst = tz.has_dst();
    if (t->has_dst) {
      t->dst = tz.dst_offset().total_milliseconds();
      const int years = kMaxYear + 2 - kMinYear;
      t->dst_start.resize(years);
      t->dst_end.resize(years);
      for (int i = 0; i < years; ++i) {
        const int y = kMinYear + i;
        // Local start is in standard time; local end is read on the DST clock.
        t->dst_start[i] = to_time(tz.dst_local_start_time(y)) - t->base;
        t->dst_end[i] = to_time(tz.dst_local_end_time(y)) - t->base - t->dst;
      }
    }
  } catch (const std::exception& e) {
    throw InvalidArgument("calendar: time zone '" + std::string(posix_tz) +
                          "' is not a POSIX TZ string such as 'CET-1CEST,M3.5.0,M10.5.0/3' or 'UTC0' (" + e.what() +
                          ")");
  }
  if (t->base % kMsPerMinute != 0 || t->base > 14 * kMsPerHour || t->base < -14 * kMsPerHour)
    throw InvalidArgument("calendar: time zone '" + t->tz + "' has an offset beyond +/-14 hours");
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  t->holidays = std::move(holidays);
  const std::size_t n = static_cast<std::size_t>(kMaxDay - kMinDay + 1);
  t->prefix.resize(n + 1);
  t->prefix[0] = 0;
  auto h = t->holidays.begin();
  for (std::size_t i = 0; i < n; ++i) {
    const Day d = kMinDay + static_cast<Day>(i);
    while (h != t->holidays.end() && *h < d) ++h;
    const bool off = (h != t->holidays.end() && *h == d) || ((t->mask >> iso_weekday(d)) & 1) == 0;
    t->prefix[i + 1] = t->prefix[i] + (off ? 0 : 1);
  }
  t_ = std::move(t);
}

std::vector<Day> Calendar::french_holidays(int year_from, int year_to) {
  using boost::gregorian::date;
  using boost::gregorian::days;
  std::vector<Day> out;
  for (int y = year_from; y <= year_to; ++y) {
    const Day easter = easter_sunday(y);
    const CivilDate e = civil_from_days(easter);
    const date easter_date(static_cast<unsigned short>(e.year), static_cast<unsigned short>(e.month),
                           static_cast<unsigned short>(e.day));
    const unsigned short yy = static_cast<unsigned short>(y);
    const date fixed[] = {date(yy, 1, 1), date(yy, 5, 1),  date(yy, 5, 8),   date(yy, 7, 14),
                          date(yy, 8, 15), date(yy, 11, 1), date(yy, 11, 11), date(yy, 12, 25)};
    for (const date& d : fixed) out.push_back(to_day(d));
    out.push_back(to_day(easter_date + days(1)));   // Easter Monday
    out.push_back(to_day(easter_date + days(39)));  // Ascension Thursday
    out.push_back(to_day(easter_date + days(50)));  // Whit Monday
  }
  std::sort(out.begin(), out.end());
  return out;
}

WeekMask Calendar::parse_week_mask(std::string_view text) {
  WeekMask mask = 0;
  std::size_t p = 0;
  auto bad = [&]() {
    return InvalidArgument("calendar: working days '" + std::string(text) +
                           "' not understood; write them like 'Mon-Fri' or 'Mon,Tue,Thu'");
  };
  while (p <= text.size()) {
    std::size_t q = text.find(',', p);
    if (q == std::string_view::npos) q = text.size();
    std::string_view item = text.substr(p, q - p);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      const int d = day_index(item);
      if (d < 0) throw bad();
      mask |= static_cast<WeekMask>(1u << d);
    } else {
      const int a = day_index(item.substr(0, dash)), b = day_index(item.substr(dash + 1));
      if (a < 0 || b < 0) throw bad();
      for (int d = a;; d = (d + 1) % 7) {  // ranges may wrap: Sun-Thu
        mask |= static_cast<WeekMask>(1u << d);
        if (d == b) break;
      }
    }
    p = q + 1;
  }
  if (mask == 0) throw bad();
  return mask;
}

std::string Calendar::format_week_mask(WeekMask mask) {
  std::string out;
  for (int d = 0; d < 7; ++d)
    if ((mask >> d) & 1) {
      if (!out.empty()) out += ',';
      out += kDayNames[d];
    }
  return out;
}

Day Calendar::add_working_days(Day d, int n) const {
  if (d < kMinDay || d > kMaxDay) throw InvalidArgument("calendar: day " + std::to_string(d) + " outside 1970-2199");
  // The answer is the first day whose running count of working days reaches `want`.
  const std::int64_t base = prefix_at(d);  // working days <= d
  std::int64_t want;
  if (n > 0) want = base + n;
  else if (n == 0) want = is_working_day(d) ? base : base + 1;
  else want = is_working_day(d) ? base + n : base + n + 1;
  if (want < 1 || want > t_->prefix.back())
    throw InvalidArgument("calendar: adding " + std::to_string(n) + " working days to " + format_date(d) +
                          " leaves 1970-2199");
  // first index i with prefix[i] == want; that day is kMinDay + i - 1
  const auto it = std::lower_bound(t_->prefix.begin(), t_->prefix.end(), static_cast<std::int32_t>(want));
  return kMinDay + static_cast<Day>(it - t_->prefix.begin()) - 1;
}

LIEN_END_NAMESPACE
