// Instants, civil days and ISO 8601 parsing.
#include <catch2/catch.hpp>

#include "lien/core/time.hpp"

using namespace lien;

TEST_CASE("civil day arithmetic matches known dates") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(2027, 3, 1) == 20878);
  for (Day d = -1000; d < 100000; d += 37) {
    const CivilDate c = civil_from_days(d);
    CHECK(days_from_civil(c.year, c.month, c.day) == d);
  }
  CHECK(iso_weekday(days_from_civil(2026, 11, 28)) == 5);  // a Saturday
  CHECK(iso_weekday(days_from_civil(1970, 1, 1)) == 3);    // a Thursday
  CHECK(iso_weekday(days_from_civil(1969, 12, 29)) == 0);  // a Monday, before the epoch
}

TEST_CASE("dates parse strictly") {
  Day d = 0;
  const char* why = nullptr;
  CHECK(parse_date("2027-03-01", d));
  CHECK(d == days_from_civil(2027, 3, 1));
  CHECK(parse_date("2028-02-29", d));
  CHECK_FALSE(parse_date("2027-02-29", d, &why));
  CHECK(std::string(why) == "day does not exist in that month");
  CHECK_FALSE(parse_date("2027-13-01", d, &why));
  CHECK_FALSE(parse_date("2027-3-1", d, &why));
  CHECK_FALSE(parse_date("0202-09-01", d, &why));
  CHECK(std::string(why) == "year outside 1970-2199");
  CHECK_FALSE(parse_date(" 2027-03-01", d));
}

TEST_CASE("timestamps parse with and without offsets") {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp("2027-03-01T09:15:30Z", p));
  CHECK(p.has_offset);
  CHECK(p.ms == (static_cast<Time>(days_from_civil(2027, 3, 1)) * 86400 + 9 * 3600 + 15 * 60 + 30) * 1000);
  ParsedTimestamp q;
  REQUIRE(parse_timestamp("2027-03-01T10:15:30.250+01:00", q));
  CHECK(q.ms == p.ms + 250);
  REQUIRE(parse_timestamp("2027-03-01T04:15:30-0500", q));
  CHECK(q.ms == p.ms);
  REQUIRE(parse_timestamp("2027-03-01 09:15", q));
  CHECK_FALSE(q.has_offset);
  CHECK(q.ms == p.ms - 30000);
  REQUIRE(parse_timestamp("2027-03-01", q));
  CHECK(q.date_only);
  const char* why = nullptr;
  CHECK_FALSE(parse_timestamp("2027-03-01T25:00:00Z", q, &why));
  CHECK_FALSE(parse_timestamp("2027-03-01T09:15:60Z", q, &why));
  CHECK_FALSE(parse_timestamp("2027-03-01T09:15:00+25:00", q, &why));
  CHECK_FALSE(parse_timestamp("2027-03-01T09:15:00Zjunk", q, &why));
  CHECK_FALSE(parse_timestamp("2027-03-01T09", q, &why));
  CHECK_FALSE(parse_timestamp("yesterday", q, &why));
}

TEST_CASE("ISO 8601 durations") {
  double s = 0;
  REQUIRE(parse_iso_duration("PT1H30M", s));
  CHECK(s == 5400);
  REQUIRE(parse_iso_duration("P1DT0.5S", s));
  CHECK(s == Approx(86400.5));
  REQUIRE(parse_iso_duration("P2W", s));
  CHECK(s == 14 * 86400);
  CHECK_FALSE(parse_iso_duration("PT", s));
  CHECK_FALSE(parse_iso_duration("P", s));
  CHECK_FALSE(parse_iso_duration("1H", s));
  CHECK_FALSE(parse_iso_duration("PT1S1M", s));  // units out of order
  CHECK_FALSE(parse_iso_duration("PT1X", s));
}

TEST_CASE("timestamps format canonically and round-trip") {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp("2027-03-01T10:15:30.250+01:00", p));
  CHECK(format_timestamp_utc(p.ms) == "2027-03-01T09:15:30.250Z");
  ParsedTimestamp q;
  REQUIRE(parse_timestamp(format_timestamp_utc(p.ms), q));
  CHECK(q.ms == p.ms);
  CHECK(format_date(days_from_civil(2027, 12, 31)) == "2027-12-31");
}
