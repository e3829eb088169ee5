#include "auth/ip_matcher.hpp"

#include <gtest/gtest.h>

namespace callwire::auth {
namespace {

using boost::asio::ip::make_address;

store::IpRule rule(std::string ip, int prefix = 0) { return store::IpRule{std::move(ip), prefix, "AL1"}; }

TEST(IpMatcher, PrefixZeroIsTheSingleHost) {
  auto m = IpMatcher::build({rule("192.0.2.10")});
  EXPECT_EQ(m.size(), 1u);
  EXPECT_TRUE(m.contains(make_address("192.0.2.10")));
  EXPECT_FALSE(m.contains(make_address("192.0.2.11")));
  EXPECT_FALSE(m.contains(make_address("10.0.0.1")));
}

TEST(IpMatcher, RangesIgnoreHostBits) {
  auto m = IpMatcher::build({rule("198.51.100.77", 24), rule("203.0.113.5", 32), rule("10.0.0.0", 8)});
  EXPECT_TRUE(m.contains(make_address("198.51.100.0")));
  EXPECT_TRUE(m.contains(make_address("198.51.100.255")));
  EXPECT_FALSE(m.contains(make_address("198.51.101.1")));
  EXPECT_TRUE(m.contains(make_address("203.0.113.5")));
  EXPECT_FALSE(m.contains(make_address("203.0.113.4")));
  EXPECT_TRUE(m.contains(make_address("10.255.1.2")));
  EXPECT_FALSE(m.contains(make_address("11.0.0.0")));
}

TEST(IpMatcher, NoRuleMatchesEverything) {
  // There is no "match all" through 0; /1 is the widest range.
  auto m = IpMatcher::build({rule("0.0.0.0", 0), rule("128.0.0.0", 1)});
  EXPECT_TRUE(m.contains(make_address("0.0.0.0")));
  EXPECT_FALSE(m.contains(make_address("1.2.3.4")));
  EXPECT_TRUE(m.contains(make_address("200.1.2.3")));
  EXPECT_FALSE(m.contains(make_address("::1")));
  EXPECT_FALSE(IpMatcher::build({}).contains(make_address("127.0.0.1")));
}

TEST(IpMatcher, InvalidEntriesAreSkippedAndCounted) {
  auto m = IpMatcher::build({rule("192.0.2.1", 33), rule("192.0.2.1", -1), rule("not-an-ip"), rule(""),
                             rule("192.0.2.0/24"), rule("192.0.2.*"), rule("fe80::1%eth0"), rule("2001:db8::", 129),
                             rule(" 192.0.2.9 ")});
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.skipped(), 8u);
  EXPECT_TRUE(m.contains(make_address("192.0.2.9")));
  EXPECT_FALSE(m.contains(make_address("192.0.2.1")));
}

TEST(IpMatcher, Ipv6Ranges) {
  auto m = IpMatcher::build({rule("2001:db8:1:2::", 64), rule("2001:db8::5")});
  EXPECT_TRUE(m.contains(make_address("2001:db8:1:2:ffff::1")));
  EXPECT_FALSE(m.contains(make_address("2001:db8:1:3::1")));
  EXPECT_TRUE(m.contains(make_address("2001:db8::5")));
  EXPECT_FALSE(m.contains(make_address("2001:db8::6")));
  auto wide = IpMatcher::build({rule("2001:db8::", 32), rule("2001:db8:ffff::", 128)});
  EXPECT_TRUE(wide.contains(make_address("2001:db8:abcd::1")));
  EXPECT_FALSE(wide.contains(make_address("2001:db9::1")));
}

TEST(IpMatcher, MappedIpv4MatchesBothWays) {
  auto v4 = IpMatcher::build({rule("192.0.2.0", 24)});
  EXPECT_TRUE(v4.contains(make_address("::ffff:192.0.2.7")));
  EXPECT_FALSE(v4.contains(make_address("::ffff:192.0.3.7")));
  EXPECT_FALSE(v4.contains(make_address("::192.0.2.7")));  // v4-compatible is not mapped

  auto mapped = IpMatcher::build({rule("::ffff:192.0.2.0", 24), rule("::ffff:198.51.100.1")});
  EXPECT_TRUE(mapped.contains(make_address("192.0.2.200")));
  EXPECT_FALSE(mapped.contains(make_address("192.0.3.1")));
  EXPECT_TRUE(mapped.contains(make_address("198.51.100.1")));
  EXPECT_FALSE(mapped.contains(make_address("198.51.100.2")));
  // A mapped rule with an IPv6-sized prefix counts IPv6 bits: /120 = IPv4 /24.
  auto v6bits = IpMatcher::build({rule("::ffff:203.0.113.0", 120)});
  EXPECT_TRUE(v6bits.contains(make_address("203.0.113.99")));
  EXPECT_FALSE(v6bits.contains(make_address("203.0.114.99")));
}

}  // namespace
}  // namespace callwire::auth
