#include "core/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace callwire {
namespace {

TEST(Random, BranchHasMagicCookieAndIsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto b = new_branch();
    ASSERT_EQ(b.rfind("z9hG4bK", 0), 0u);
    ASSERT_EQ(b.size(), 7u + 24u);
    ASSERT_TRUE(seen.insert(b).second);
  }
}

TEST(Random, HexHasRequestedLengthAndAlphabet) {
  auto h = random_hex(37);
  EXPECT_EQ(h.size(), 37u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace callwire
