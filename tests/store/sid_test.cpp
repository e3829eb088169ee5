// core/sid: the identifiers every stored row gets.
#include <set>

#include <gtest/gtest.h>

#include "core/sid.hpp"

namespace callwire {
namespace {

TEST(SidTest, MakeSidIsPrefixAnd32LowercaseHex) {
  const std::string sid = make_sid("SD");
  ASSERT_EQ(sid.size(), 34u);
  EXPECT_EQ(sid.substr(0, 2), "SD");
  for (char c : sid.substr(2)) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << sid;
  EXPECT_TRUE(is_sid(sid, "SD"));
  EXPECT_FALSE(is_sid(sid, "CL"));
}

TEST(SidTest, SidsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) EXPECT_TRUE(seen.insert(make_sid("CR")).second);
  // Every hex digit shows up in every position over many draws (no stuck bits).
  for (std::size_t pos = 2; pos < 34; ++pos) {
    std::set<char> digits;
    for (const auto& s : seen) digits.insert(s[pos]);
    EXPECT_EQ(digits.size(), 16u) << "position " << pos;
  }
}

TEST(SidTest, IsSidChecksPrefixLengthAndHex) {
  EXPECT_TRUE(is_sid("AC0123456789abcdef0123456789abcdef", "AC"));
  EXPECT_TRUE(is_sid("AC0123456789ABCDEF0123456789ABCDEF", "AC"));  // OpenAPI accepts upper-case hex
  EXPECT_FALSE(is_sid("ac0123456789abcdef0123456789abcdef", "AC"));
  EXPECT_FALSE(is_sid("AC0123456789abcdef0123456789abcde", "AC"));
  EXPECT_FALSE(is_sid("AC0123456789abcdef0123456789abcdef0", "AC"));
  EXPECT_FALSE(is_sid("AC0123456789abcdef0123456789abcdeg", "AC"));
  EXPECT_FALSE(is_sid("AC0123456789abcdef0123456789abcd'f", "AC"));
  EXPECT_FALSE(is_sid("", "AC"));
}

TEST(SidTest, SecureRandomHexHasTheAskedLength) {
  EXPECT_EQ(secure_random_hex(0), "");
  EXPECT_EQ(secure_random_hex(1).size(), 1u);
  EXPECT_EQ(secure_random_hex(32).size(), 32u);
  EXPECT_NE(secure_random_hex(32), secure_random_hex(32));
}

}  // namespace
}  // namespace callwire
