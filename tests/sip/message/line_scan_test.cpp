#include "sip/message/line_scan.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "sip/message/chars.hpp"

namespace callwire::sip::lines {
namespace {

// The scanners read up to 16 bytes past `end`: test buffers have that
// padding, zeroed, as the parser's block does.
struct Padded {
  explicit Padded(std::string_view s) : size(s.size()) {
    std::memset(buf, 0, sizeof buf);
    std::memcpy(buf, s.data(), s.size());
  }
  const char* begin() const { return buf; }
  const char* end() const { return buf + size; }
  char buf[128];
  std::size_t size;
};

TEST(LineScan, LineEndAndColons) {
  Padded a("Via: SIP/2.0/UDP host;branch=z9hG4bK1234567890\r\nX");
  EXPECT_EQ(line_end(a.begin(), a.end()) - a.begin(), 46);
  EXPECT_EQ(line_end(a.begin() + 47, a.end()) - a.begin(), 47);  // the LF itself
  EXPECT_EQ(colons(load16(a.begin())), 1u << 3);
  EXPECT_EQ(controls(load16(a.begin())), 0u);
  EXPECT_EQ(controls(load16(a.begin() + 40)), 1u << 6 | 1u << 7 | 1u << 9 | 0xfc00u);  // CR LF, then the padding
  // TAB, NUL and other control bytes inside a line are stepped over.
  std::string odd = "a\tb";
  odd += '\0';
  odd += "c\x01d\x0b\x0c:e\n";
  Padded b(odd);
  EXPECT_EQ(line_end(b.begin(), b.end()) - b.begin(), static_cast<long>(odd.size()) - 1);
  Padded c("unterminated: value");
  EXPECT_EQ(line_end(c.begin(), c.end()), c.end());
  EXPECT_EQ(line_end(c.end(), c.end()), c.end());
  EXPECT_EQ(find_eol(c.begin(), c.end()), c.end());
  EXPECT_EQ((find_either<'>', '"'>(a.begin(), a.end())), a.end());
  Padded d("a bare\rCR");
  EXPECT_EQ(line_end(d.begin(), d.end()) - d.begin(), 6);
}

// digits8 finds the run of digits an 8-byte load starts with, and its
// value, whatever follows it.
TEST(LineScan, DigitsFromOneLoad) {
  struct Case {
    const char* text;
    unsigned count;
    std::uint32_t value;
  };
  for (const Case& c : {Case{"5060;bra", 4, 5060}, Case{"0\r\n", 1, 0}, Case{"65535abc", 5, 65535},
                        Case{"12345678", 8, 12345678}, Case{"00000001", 8, 1}, Case{"99999999", 8, 99999999},
                        Case{"x123", 0, 0}, Case{"/", 0, 0}, Case{":", 0, 0}, Case{"7", 1, 7}, Case{"1234567 ", 7, 1234567},
                        Case{"42\xff", 2, 42}, Case{"9\x00", 1, 9}}) {
    Padded buf(c.text);
    chars::Digits d = chars::digits8(buf.begin());
    EXPECT_EQ(d.count, c.count) << c.text;
    if (c.count > 0) {
      EXPECT_EQ(d.value, c.value) << c.text;
    }
  }
}

// The 16-byte class checks agree with the tables on every byte, in the
// first and a later step, and ignore bytes past the run.
TEST(LineScan, ClassChecksMatchTables) {
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at : {0u, 7u, 15u, 16u, 30u}) {
      std::string s(31, 'a');
      s[at] = static_cast<char>(c);
      Padded buf(s);
      EXPECT_EQ(uric_chars(buf.begin(), s.size()), chars::is(static_cast<char>(c), chars::kUric)) << c << " at " << at;
      EXPECT_EQ(callid_chars(buf.begin(), s.size()), chars::is(static_cast<char>(c), chars::kCallId))
          << c << " at " << at;
      EXPECT_TRUE(uric_chars(buf.begin(), at));
      EXPECT_TRUE(callid_chars(buf.begin(), at));
    }
  }
  EXPECT_TRUE(callid_chars("", 0));
}

// lines::span (16 bytes a step while 16 are left) ends where chars::span
// does, for every byte at every position of a run.
TEST(LineScan, SpanMatchesTheTable) {
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at : {0u, 1u, 7u, 15u, 16u, 17u, 30u, 39u}) {
      std::string s(40, 'a');
      s[at / 2] = '+';  // a class member outside the fast set
      s[at] = static_cast<char>(c);
      const char* b = s.data();
      const char* e = b + s.size();
      EXPECT_EQ((span<chars::kUser, '.', '-'>(b, e)), chars::span(b, e, chars::kUser)) << c << " at " << at;
      EXPECT_EQ((span<chars::kToken, '.', '-', '_'>(b, e)), chars::span(b, e, chars::kToken)) << c << " at " << at;
      EXPECT_EQ(span<chars::kToken>(b + 3, b + 20), chars::span(b + 3, b + 20, chars::kToken)) << c << " at " << at;
      // span_padded reads past e (the string's own bytes here) and stops there.
      for (const char* end : {b + 5, b + 16, b + 17, e - 16}) {
        EXPECT_EQ((span_padded<chars::kToken, '.', '-', '_'>(b, end)), chars::span(b, end, chars::kToken))
            << c << " at " << at;
        EXPECT_EQ((span_padded<chars::kUric, '@', '.', ':', '+'>(b + 1, end)), chars::span(b + 1, end, chars::kUric))
            << c << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace callwire::sip::lines
