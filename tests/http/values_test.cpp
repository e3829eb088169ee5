#include "http/values.hpp"

#include <gtest/gtest.h>

#include "http/errc.hpp"

namespace callwire::http {
namespace {

using namespace std::chrono;

TEST(ParseBool, AcceptsTrueFalseAnyCase) {
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool("false"), false);
  EXPECT_EQ(parse_bool("True"), true);
  EXPECT_EQ(parse_bool("FALSE"), false);
  for (const char* bad : {"", "1", "0", "yes", "no", " true", "true ", "t", "truee", "on"}) {
    auto r = parse_bool(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, make_error_code(Errc::BadBoolean));
  }
  EXPECT_STREQ(format_bool(true), "true");
  EXPECT_STREQ(format_bool(false), "false");
}

TEST(ParseInt, PlainDecimal) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("50"), 50);
  EXPECT_EQ(parse_int("-7"), -7);
  EXPECT_EQ(parse_int("007"), 7);
  EXPECT_EQ(parse_int("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "-", "+1", " 1", "1 ", "1.0", "0x10", "1e3", "--1", "12a"}) {
    auto r = parse_int(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, make_error_code(Errc::BadInteger)) << bad;
  }
}

TEST(ParseInt, RangeChecks) {
  EXPECT_EQ(parse_int("1000", 1, 1000), 1000);
  EXPECT_EQ(parse_int("1", 1, 1000), 1);
  for (const char* out : {"0", "1001", "-1", "9223372036854775808", "-9223372036854775809",
                          "99999999999999999999999"}) {
    auto r = parse_int(out, 1, 1000);
    ASSERT_FALSE(r) << out;
    EXPECT_EQ(r.error().code, make_error_code(Errc::OutOfRange)) << out;
  }
  auto r = parse_int("9223372036854775808");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::OutOfRange));
}

system_clock::time_point at(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi} + seconds{s};
}

TEST(Rfc2822, FormatsTwilioExample) {
  EXPECT_EQ(format_rfc2822(at(2013, 9, 6, 19, 18, 30)), "Fri, 06 Sep 2013 19:18:30 +0000");
  EXPECT_EQ(format_rfc2822(at(1970, 1, 1, 0, 0, 0)), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_rfc2822(at(2024, 2, 29, 23, 59, 59)), "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(format_rfc2822(at(2038, 1, 19, 3, 14, 8)), "Tue, 19 Jan 2038 03:14:08 +0000");
  // Fractions are truncated, not rounded.
  EXPECT_EQ(format_rfc2822(at(2013, 9, 6, 19, 18, 30) + milliseconds(999)), "Fri, 06 Sep 2013 19:18:30 +0000");
}

TEST(Rfc2822, RoundTripsAndVariants) {
  auto t = at(2013, 9, 6, 19, 18, 30);
  EXPECT_EQ(parse_rfc2822(format_rfc2822(t)), t);
  EXPECT_EQ(parse_rfc2822("Fri, 06 Sep 2013 19:18:30 -0000"), t);
  EXPECT_EQ(parse_rfc2822("06 Sep 2013 19:18:30 GMT"), t);
  EXPECT_EQ(parse_rfc2822("Fri, 6 Sep 2013 21:18:30 +0200"), t);
  EXPECT_EQ(parse_rfc2822("Fri, 06 Sep 2013 14:18 -0500"), at(2013, 9, 6, 19, 18, 0));
  auto now = floor<seconds>(system_clock::now());
  EXPECT_EQ(parse_rfc2822(format_rfc2822(now)), now);
}

TEST(Rfc2822, RejectsMalformed) {
  for (const char* bad : {"", "Fri, 06 Sep 2013", "Fri 06 Sep 2013 19:18:30 +0000", "Fri, 31 Feb 2013 19:18:30 +0000",
                          "Fri, 06 Sept 2013 19:18:30 +0000", "Fri, 06 Sep 13 19:18:30 +0000",
                          "Fri, 06 Sep 2013 24:00:00 +0000", "Fri, 06 Sep 2013 19:18:30 +00",
                          "Fri, 06 Sep 2013 19:18:30 +0000 x", "Fri, 06 Sep 2013 19:18:30 PST",
                          "Xyz, 06 Sep 2013 19:18:30 +0000"}) {
    auto r = parse_rfc2822(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, make_error_code(Errc::BadDate)) << bad;
  }
}

}  // namespace
}  // namespace callwire::http
