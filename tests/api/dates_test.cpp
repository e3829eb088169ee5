// Date parameters of the log resources and ISO 8601 output.
#include <gtest/gtest.h>

#include "api/dates.hpp"

namespace callwire::api {
namespace {

using namespace std::chrono;

sys_seconds at(int y, int m, int d, int h = 0, int mi = 0, int s = 0) {
  return sys_seconds{sys_days(year(y) / m / d).time_since_epoch()} + hours(h) + minutes(mi) + seconds(s);
}

TEST(Dates, ADateIsTheWholeUtcDay) {
  auto span = parse_date_param("StartTime", "2024-02-29");
  ASSERT_TRUE(span);
  EXPECT_EQ(span->begin, at(2024, 2, 29));
  EXPECT_EQ(span->end, at(2024, 3, 1));
}

TEST(Dates, ADateTimeIsOneSecondInUtc) {
  const struct {
    const char* text;
    sys_seconds begin;
  } cases[] = {
      {"2015-07-30T20:00:00Z", at(2015, 7, 30, 20)},
      {"2015-07-30t20:00:00z", at(2015, 7, 30, 20)},
      {"2015-07-30T20:00:00.999Z", at(2015, 7, 30, 20)},
      {"2015-07-30T22:30:00+02:30", at(2015, 7, 30, 20)},
      {"2015-07-30T19:00:00-0100", at(2015, 7, 30, 20)},
      {"2015-07-31T00:59:59+01:00", at(2015, 7, 30, 23, 59, 59)},
  };
  for (const auto& c : cases) {
    auto span = parse_date_param("StartDate", c.text);
    ASSERT_TRUE(span) << c.text;
    EXPECT_EQ(span->begin, c.begin) << c.text;
    EXPECT_EQ(span->end, c.begin + seconds(1)) << c.text;
  }
}

TEST(Dates, OffsetsThatLeaveTheFourDigitYearsAreRefused) {
  EXPECT_FALSE(parse_date_param("StartTime", "9999-12-31T23:59:59-0001"));
  EXPECT_FALSE(parse_date_param("StartTime", "0001-01-01T00:00:00+01:00"));
  EXPECT_FALSE(parse_date_param("StartTime", "0000-12-30"));
  EXPECT_TRUE(parse_date_param("StartTime", "9999-12-31T23:59:59Z"));
  EXPECT_TRUE(parse_date_param("StartTime", "0001-01-01"));
}

TEST(Dates, MalformedValuesNameTheParameter) {
  for (const char* bad : {"", "2024", "2024-1-01", "2024-02-30", "2023-02-29", "2024-00-10", "2024-01-01T",
                          "2024-01-01T10:00", "2024-01-01T10:00:00", "2024-01-01T24:00:00Z", "2024-01-01T10:60:00Z",
                          "2024-01-01T10:00:00+2400", "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00Zjunk",
                          " 2024-01-01", "2024-01-01 ", "Fri, 06 Sep 2013 19:18:30 +0000", "２０２４-01-01"}) {
    auto span = parse_date_param("EndTime<", bad);
    ASSERT_FALSE(span) << bad;
    EXPECT_EQ(span.error().status, 400);
    EXPECT_EQ(span.error().code, kCodeInvalidParameter);
    EXPECT_NE(span.error().message.find("EndTime<"), std::string::npos);
  }
}

TEST(Dates, Iso8601Output) {
  EXPECT_EQ(format_iso8601(at(2015, 7, 30, 20)), "2015-07-30T20:00:00Z");
  EXPECT_EQ(format_iso8601(at(1999, 12, 31, 23, 59, 59)), "1999-12-31T23:59:59Z");
  EXPECT_EQ(format_iso8601(at(1970, 1, 1)), "1970-01-01T00:00:00Z");
  // What it writes, it reads.
  auto span = parse_date_param("x", format_iso8601(at(2031, 5, 6, 7, 8, 9)));
  ASSERT_TRUE(span);
  EXPECT_EQ(span->begin, at(2031, 5, 6, 7, 8, 9));
}

}  // namespace
}  // namespace callwire::api
