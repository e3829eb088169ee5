#include "sip/message/line_scan.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

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

}  // namespace
}  // namespace callwire::sip::lines
