#include "dial/e164.hpp"

#include <gtest/gtest.h>

#include "dial/errc.hpp"

namespace callwire::dial {
namespace {

struct GoodNumber {
  const char* in;
  const char* out;
};

TEST(E164, NormalizesCommonWritings) {
  const GoodNumber cases[] = {
      {"+14155551234", "+14155551234"},
      {"14155551234", "+14155551234"},  // plus dropped by the app: ≥ 8 digits are international
      {"+1 (415) 555-1234", "+14155551234"},
      {"+44.20.7946.0958", "+442079460958"},
      {"  +33 1 23 45 67 89\n", "+33123456789"},
      {"+49301234", "+49301234"},  // 8 digits, the shortest accepted
      {"+123456789012345", "+123456789012345"},  // 15 digits, E.164's maximum
  };
  for (const auto& c : cases) {
    auto r = normalize_number(c.in);
    ASSERT_TRUE(r.has_value()) << c.in << ": " << r.error().what();
    EXPECT_EQ(*r, c.out) << c.in;
  }
}

struct BadNumber {
  const char* in;
  const char* fragment;
};

TEST(E164, RefusesWithAReason) {
  const BadNumber cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {"+1415555123a", "'a' is not a digit"},
      {"1-800-FLOWERS", "'F' is not a digit"},
      {"+1415*5551234", "'*' is not a digit"},
      {"1+4155551234", "'+' may only come first"},
      {"++14155551234", "'+' may only come first"},
      {"5551234", "too short"},
      {"+1234567", "too short"},
      {"+1234567890123456", "too long"},
      {"004420794600958", "never start with 0"},
      {"+0123456789", "never start with 0"},
      {"+1415\x01" "5551234", "\\x01"},
  };
  for (const auto& c : cases) {
    auto r = normalize_number(c.in);
    ASSERT_FALSE(r.has_value()) << c.in << " gave " << *r;
    EXPECT_TRUE(is(r.error(), Errc::InvalidNumber)) << c.in;
    EXPECT_NE(r.error().what().find(c.fragment), std::string::npos) << c.in << ": " << r.error().what();
  }
}

TEST(E164, FormatsForTrunks) {
  EXPECT_EQ(format_for_trunk("+14155551234", NumberFormat::E164), "+14155551234");
  EXPECT_EQ(format_for_trunk("+14155551234", NumberFormat::E164WithoutPlus), "14155551234");
  auto f = parse_number_format("E164-Without-Plus");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(*f, NumberFormat::E164WithoutPlus);
  EXPECT_EQ(to_string(*f), "e164-without-plus");
  EXPECT_EQ(parse_number_format("e164").value(), NumberFormat::E164);
  EXPECT_FALSE(parse_number_format("national").has_value());
}

TEST(E164, NormalizesPrefixes) {
  EXPECT_EQ(normalize_prefix("+1").value(), "+1");
  EXPECT_EQ(normalize_prefix("+44 20").value(), "+4420");
  EXPECT_FALSE(normalize_prefix("44").has_value());
  EXPECT_FALSE(normalize_prefix("+").has_value());
  EXPECT_FALSE(normalize_prefix("+0").has_value());
  EXPECT_FALSE(normalize_prefix("+1x").has_value());
  EXPECT_FALSE(normalize_prefix("+1234567890123456").has_value());
}

}  // namespace
}  // namespace callwire::dial
