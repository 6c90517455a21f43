// Calendar: POSIX time zones, working days, French holidays, ISO weeks.
#include <catch2/catch.hpp>

#include "lien/core/calendar.hpp"

using namespace lien;

namespace {
Time at(const char* s) {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp(s, p));
  REQUIRE(p.has_offset);
  return p.ms;
}
Day day(int y, int m, int d) { return days_from_civil(y, m, d); }
const char* kParis = "CET-1CEST,M3.5.0,M10.5.0/3";
}  // namespace

TEST_CASE("Paris offsets follow the EU DST rules") {
  const Calendar cal(kParis, kMondayToFriday, {});
  CHECK(cal.utc_offset(at("2027-01-15T12:00:00Z")) == kMsPerHour);
  CHECK(cal.utc_offset(at("2027-07-15T12:00:00Z")) == 2 * kMsPerHour);
  // 2027-03-28: clocks go from 02:00 CET to 03:00 CEST, i.e. at 01:00 UTC.
  CHECK(cal.utc_offset(at("2027-03-28T00:59:59Z")) == kMsPerHour);
  CHECK(cal.utc_offset(at("2027-03-28T01:00:00Z")) == 2 * kMsPerHour);
  // 2027-10-31: back from 03:00 CEST to 02:00 CET, at 01:00 UTC.
  CHECK(cal.utc_offset(at("2027-10-31T00:59:59Z")) == 2 * kMsPerHour);
  CHECK(cal.utc_offset(at("2027-10-31T01:00:00Z")) == kMsPerHour);
  // 23:30 UTC on 1 March is already 2 March in Paris.
  CHECK(cal.local_day(at("2027-03-01T23:30:00Z")) == day(2027, 3, 2));
  CHECK(cal.local_day(at("2027-03-01T22:30:00Z")) == day(2027, 3, 1));
}

TEST_CASE("local readings become instants, with the documented DST conventions") {
  const Calendar cal(kParis, kMondayToFriday, {});
  ParsedTimestamp p;
  REQUIRE(parse_timestamp("2027-07-01T10:00:00", p));
  CHECK(cal.to_instant(p) == at("2027-07-01T08:00:00Z"));
  REQUIRE(parse_timestamp("2027-10-31T02:30:00", p));  // occurs twice: the first (DST) reading wins
  CHECK(cal.to_instant(p) == at("2027-10-31T00:30:00Z"));
  REQUIRE(parse_timestamp("2027-03-28T02:30:00", p));  // does not exist: read as standard time
  CHECK(cal.to_instant(p) == at("2027-03-28T01:30:00Z"));
  CHECK(cal.start_of_day(day(2027, 7, 1)) == at("2027-06-30T22:00:00Z"));
}

TEST_CASE("southern-hemisphere and fixed-offset zones") {
  const Calendar syd("AEST-10AEDT,M10.1.0,M4.1.0/3", kMondayToFriday, {});
  CHECK(syd.utc_offset(at("2027-01-15T00:00:00Z")) == 11 * kMsPerHour);
  CHECK(syd.utc_offset(at("2027-07-15T00:00:00Z")) == 10 * kMsPerHour);
  const Calendar ny("EST5EDT,M3.2.0,M11.1.0", kMondayToFriday, {});
  CHECK(ny.utc_offset(at("2027-01-15T00:00:00Z")) == -5 * kMsPerHour);
  const Calendar utc;
  CHECK(utc.utc_offset(at("2027-07-15T12:00:00Z")) == 0);
  CHECK_THROWS_AS(Calendar("Europe/Paris", kMondayToFriday, {}), InvalidArgument);
  CHECK_THROWS_AS(Calendar("UTC0", 0, {}), InvalidArgument);
}

TEST_CASE("French public holidays, Easter-based ones included") {
  const auto h = Calendar::french_holidays(2027, 2027);
  REQUIRE(h.size() == 11);
  // Easter 2027 is 28 March: Easter Monday 29 March, Ascension 6 May, Whit Monday 17 May.
  CHECK(easter_sunday(2027) == day(2027, 3, 28));
  CHECK(easter_sunday(2024) == day(2024, 3, 31));
  CHECK(easter_sunday(2025) == day(2025, 4, 20));
  const std::vector<Day> expected = {day(2027, 1, 1),  day(2027, 3, 29), day(2027, 5, 1),   day(2027, 5, 6),
                                     day(2027, 5, 8),  day(2027, 5, 17), day(2027, 7, 14),  day(2027, 8, 15),
                                     day(2027, 11, 1), day(2027, 11, 11), day(2027, 12, 25)};
  CHECK(h == expected);
}

TEST_CASE("working days between two days and adding working days") {
  const Calendar cal(kParis, kMondayToFriday, Calendar::french_holidays(2026, 2028));
  // Friday 30 April 2027 -> Monday 3 May 2027: Saturday 1 May (holiday, weekend), Sunday, Monday: 1 working day.
  CHECK(cal.working_days_between(day(2027, 4, 30), day(2027, 5, 3)) == 1);
  // Week of Ascension 2027: Mon 3 .. Fri 7 May has 4 working days (Thursday 6 off).
  CHECK(cal.working_days_between(day(2027, 5, 2), day(2027, 5, 7)) == 4);
  CHECK(cal.working_days_between(day(2027, 5, 7), day(2027, 5, 2)) == -4);
  CHECK(cal.working_days_between(day(2027, 5, 7), day(2027, 5, 7)) == 0);
  CHECK_FALSE(cal.is_working_day(day(2027, 5, 6)));
  CHECK(cal.is_working_day(day(2027, 5, 5)));
  CHECK(cal.add_working_days(day(2027, 5, 5), 1) == day(2027, 5, 7));
  CHECK(cal.add_working_days(day(2027, 5, 7), -1) == day(2027, 5, 5));
  CHECK(cal.add_working_days(day(2027, 5, 8), 0) == day(2027, 5, 10));   // Saturday: next working day
  CHECK(cal.add_working_days(day(2027, 5, 8), -1) == day(2027, 5, 7));   // Saturday: the Friday before
  CHECK(cal.add_working_days(day(2027, 5, 7), 5) == day(2027, 5, 14));
  // Consistency with working_days_between on a long range.
  for (Day d = day(2026, 12, 1); d < day(2027, 2, 1); ++d)
    for (int n = 1; n < 25; n += 3) CHECK(cal.working_days_between(d, cal.add_working_days(d, n)) == n);
}

TEST_CASE("instants count in local days") {
  const Calendar cal(kParis, kMondayToFriday, {});
  // Friday 23:30 Paris (22:30 UTC) to Monday 00:30 Paris (Sunday 23:30 UTC): one working day (Monday).
  CHECK(cal.working_days_between(at("2027-03-05T22:30:00Z"), at("2027-03-07T23:30:00Z")) == 1);
  const Calendar utc;
  CHECK(utc.working_days_between(at("2027-03-05T22:30:00Z"), at("2027-03-07T23:30:00Z")) == 0);
}

TEST_CASE("week masks and ISO weeks") {
  CHECK(Calendar::parse_week_mask("Mon-Fri") == kMondayToFriday);
  CHECK(Calendar::parse_week_mask("Sun-Thu") == 0x4F);
  CHECK(Calendar::parse_week_mask("mon, wed") == 0x05);
  CHECK(Calendar::format_week_mask(0x05) == "Mon,Wed");
  CHECK_THROWS_AS(Calendar::parse_week_mask("Monday"), InvalidArgument);
  CHECK_THROWS_AS(Calendar::parse_week_mask(""), InvalidArgument);
  // 2027-01-01 is a Friday: ISO week 53 of 2026. 2026-12-28 (Monday) is week 53 of 2026; 2027-01-04 week 1.
  CHECK(Calendar::iso_week_of_day(day(2027, 1, 1)) == IsoWeek{2026, 53});
  CHECK(Calendar::iso_week_of_day(day(2027, 1, 4)) == IsoWeek{2027, 1});
  CHECK(Calendar::iso_week_of_day(day(2024, 12, 30)) == IsoWeek{2025, 1});
  const Calendar cal(kParis, kMondayToFriday, {});
  CHECK(cal.iso_week(at("2027-01-03T23:30:00Z")) == IsoWeek{2027, 1});  // Monday 00:30 in Paris
}
