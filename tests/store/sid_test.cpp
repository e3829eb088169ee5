// core/sid: the identifiers every stored row gets.
#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

TEST(SidTest, TimeOrderedSidStartsWithTheMillisecondsAndSortsByTime) {
  const auto ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const auto before = ms();
  const std::string first = make_time_ordered_sid("CA");
  const auto after = ms();
  ASSERT_TRUE(is_sid(first, "CA")) << first;
  for (char c : first.substr(2)) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << first;
  const auto stamp = static_cast<long long>(std::stoull(first.substr(2, 12), nullptr, 16));
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string later = make_time_ordered_sid("CA");
  EXPECT_LT(first, later);
  EXPECT_LT(first.substr(0, 14), later.substr(0, 14));
}

TEST(SidTest, TimeOrderedSidsDoNotRepeatWithinAMillisecond) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) EXPECT_TRUE(seen.insert(make_time_ordered_sid("CA")).second);
  // The 20 random digits take every value in every position.
  for (std::size_t pos = 14; pos < 34; ++pos) {
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

TEST(SidTest, SecureRandomHexOfAnyLengthIsLowercaseHex) {
  for (std::size_t n : {2u, 3u, 127u, 128u, 129u, 255u, 300u, 1000u}) {
    const std::string hex = secure_random_hex(n);
    ASSERT_EQ(hex.size(), n);
    std::set<char> digits(hex.begin(), hex.end());
    for (char c : digits) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << n;
    if (n >= 300) {
      EXPECT_EQ(digits.size(), 16u) << n;
    }
  }
}

TEST(SidTest, SecureRandomBytesAcrossThePoolsRefills) {
  // Pieces that end inside, at and across the 4 KiB pool's end: every draw is
  // fresh (no piece repeats an earlier one) and every byte value shows up.
  std::vector<std::vector<unsigned char>> draws;
  std::set<unsigned char> values;
  for (std::size_t size : {1u, 4094u, 1u, 8u, 4096u, 5000u, 3u, 64u}) {
    std::vector<unsigned char> piece(size);
    secure_random_bytes(piece);
    values.insert(piece.begin(), piece.end());
    if (size >= 8) {
      for (const auto& earlier : draws) {
        if (earlier.size() >= 8) {
          EXPECT_FALSE(std::equal(piece.begin(), piece.begin() + 8, earlier.begin()));
        }
      }
    }
    draws.push_back(std::move(piece));
  }
  EXPECT_EQ(values.size(), 256u);
}

TEST(SidTest, ThreadsDrawDifferentBytes) {
  std::array<unsigned char, 32> here{};
  std::array<unsigned char, 32> there{};
  secure_random_bytes(here);
  std::thread([&] { secure_random_bytes(there); }).join();
  EXPECT_NE(here, there);
}

TEST(SidTest, AForkedChildDoesNotRepeatItsParentsBytes) {
  std::array<unsigned char, 16> first{};
  secure_random_bytes(first);  // the pool now holds bytes the parent will hand out next
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::array<unsigned char, 16> drawn{};
    secure_random_bytes(drawn);
    const bool written = write(pipe_fds[1], drawn.data(), drawn.size()) == static_cast<ssize_t>(drawn.size());
    _exit(written ? 0 : 1);
  }
  close(pipe_fds[1]);
  std::array<unsigned char, 16> in_child{};
  ASSERT_EQ(read(pipe_fds[0], in_child.data(), in_child.size()), static_cast<ssize_t>(in_child.size()));
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::array<unsigned char, 16> in_parent{};
  secure_random_bytes(in_parent);
  EXPECT_NE(in_child, in_parent);
}

}  // namespace
}  // namespace callwire
