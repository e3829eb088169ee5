#include "sip/message/host.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace callwire::sip::host
