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

TEST(LineScan, ColonAndLineEnd) {
  const char* eol = nullptr;
  Padded a("Via: SIP/2.0/UDP host;branch=z9hG4bK1234567890\r\nX");
  const char* colon = find_colon_and_eol(a.begin(), a.end(), eol);
  EXPECT_EQ(colon - a.begin(), 3);
  EXPECT_EQ(eol - a.begin(), 46);
  Padded b("P-Asserted-Identity-Long-Name: x\n");
  colon = find_colon_and_eol(b.begin(), b.end(), eol);
  EXPECT_EQ(colon - b.begin(), 29);
  EXPECT_EQ(eol - b.begin(), 32);
  Padded c("no colon here\r\n");
  EXPECT_EQ(*find_colon_and_eol(c.begin(), c.end(), eol), '\r');
  Padded d("unterminated: value");
  colon = find_colon_and_eol(d.begin(), d.end(), eol);
  EXPECT_EQ(colon - d.begin(), 12);
  EXPECT_EQ(eol, d.end());
  EXPECT_EQ(find_eol(d.begin(), d.end()), d.end());
  EXPECT_EQ((find_either<'>', '"'>(a.begin(), a.end())), a.end());
}

// EolMap finds every line end of a block longer than one 64-byte window,
// asked as the parser asks (each time past the line end it gave last), and
// the end when none is left.
TEST(LineScan, EolMapMatchesFindEol) {
  std::string text;
  for (int i = 0; i < 9; ++i) text += std::string(static_cast<std::size_t>(i * 7 + 1), 'x') + (i % 2 ? "\r\n" : "\n");
  text += "tail without end";
  ASSERT_LT(text.size(), 400u);
  char buf[400 + kPadding] = {};
  std::memcpy(buf, text.data(), text.size());
  const char* end = buf + text.size();
  for (std::size_t skip : {1u, 2u, 3u, 70u, 150u}) {
    EolMap map(buf, end);
    int found = 0;
    for (const char* q = buf; q <= end;) {
      const char* r = map.find(q);
      ASSERT_EQ(r, find_eol(q, end)) << "from " << q - buf << ", skip " << skip;
      if (r == end) break;
      ++found;
      q = r + skip;
    }
    EXPECT_GT(found, 0);
    if (skip == 1) {
      EXPECT_EQ(found, 13);  // 9 LF, 4 CR
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
    }
  }
}

}  // namespace
}  // namespace callwire::sip::lines
