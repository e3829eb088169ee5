#include "sip/message/host.hpp"

#include <gtest/gtest.h>

#include <string>

namespace callwire::sip::host {
namespace {

TEST(Host, Hostnames) {
  struct {
    const char* text;
    bool valid;
  } cases[] = {
      {"example.com", true},      {"a", true},                 {"a.b.c", true},         {"a-b.c-d", true},
      {"under_score.example", true}, {"example.com.", true},   {"x1.example", true},    {"1x.example", true},
      {"192.0.2.101", true},      {"0.0.0.0", true},           {"example.123x", true},  {"a.1b", true},
      {"", false},                {".", false},                {"..", false},           {".a", false},
      {"a..b", false},            {"-a.b", false},             {"a-.b", false},         {"a.-b", false},
      {"a.b-", false},            {"a.b.", true},              {"a.1.", false},         {"1.2.3.4.", false},
      {"1.2.3", false},           {"1.2.3.256", false},        {"1.2.3.4.5", false},    {"a.1", false},
      {"1234.1.1.1", false},      {"a b", false},              {"a:b", false},          {"[::1]", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_hostname(c.text), c.valid) << c.text;
  EXPECT_FALSE(is_hostname(std::string(256, 'a')));
  EXPECT_TRUE(is_hostname(std::string(255, 'a')));
}

TEST(Host, ScanStopsAtTheFirstNonHostCharacter) {
  HostRun run = scan_hostname("192.0.2.1:5060;branch=x");
  EXPECT_EQ(run.size, 9u);
  EXPECT_TRUE(run.valid);
  run = scan_hostname("sip.example.com;transport=udp");
  EXPECT_EQ(run.size, 15u);
  EXPECT_TRUE(run.valid);
  run = scan_hostname("a..b>");
  EXPECT_EQ(run.size, 4u);
  EXPECT_FALSE(run.valid);
  run = scan_hostname(":5060");
  EXPECT_EQ(run.size, 0u);
  EXPECT_FALSE(run.valid);
}

// With 16 bytes or more to read, a host shorter than 16 bytes takes a
// 16-byte fast path; shorter inputs take the byte-by-byte scan. Every host
// of up to 6 characters from a..., '1', '.', '-' and '_' must get the same
// answer from both.
TEST(Host, FastPathAgreesWithTheByteScan) {
  const char alphabet[] = {'a', '1', '.', '-', '_'};
  std::string text;
  int checked = 0;
  auto check = [&](auto& self, std::size_t len) -> void {
    if (text.size() == len) {
      HostRun slow = scan_hostname(text + ";");                  // under 16 bytes
      HostRun fast = scan_hostname(text + ";transport=udp;lr");  // 16 or more
      EXPECT_EQ(fast.size, slow.size) << text;
      EXPECT_EQ(fast.valid, slow.valid) << text;
      ++checked;
      return;
    }
    for (char c : alphabet) {
      text.push_back(c);
      self(self, len);
      text.pop_back();
    }
  };
  for (std::size_t len = 1; len <= 6; ++len) check(check, len);
  EXPECT_EQ(checked, 5 + 25 + 125 + 625 + 3125 + 15625);
  // 15 bytes (the longest the fast path takes) and 16 (the general scan).
  for (const char* host : {"abcdefghij.klmn", "abcdefghij.klmno", "abcdefghij..lmn", "abcdefghij.klm-", "a-b-c-d-e-f-g-h"}) {
    std::string s(host);
    HostRun fast = scan_hostname(s + ";transport=udp;lr");
    EXPECT_EQ(fast.size, s.size()) << s;
    EXPECT_EQ(fast.valid, is_hostname(s)) << s;
  }
}

}  // namespace
}  // namespace callwire::sip::host
