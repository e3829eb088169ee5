#include "auth/abuse_guard.hpp"

#include <thread>

#include <gtest/gtest.h>

namespace callwire::auth {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::make_address;
using Clock = std::chrono::steady_clock;

const Clock::time_point t0 = Clock::time_point{} + 1000h;

TEST(AbuseGuard, RepeatedAuthFailuresBlockThenExpire) {
  AbuseGuard g({});
  auto ip = make_address("192.0.2.1");
  auto other = make_address("192.0.2.2");
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(g.on_request(ip, "PBX/1.0", t0 + i * 100ms), AbuseVerdict::Allow);
    g.on_auth_failure(ip, t0 + i * 100ms);
  }
  EXPECT_EQ(g.on_request(ip, "PBX/1.0", t0 + 1s), AbuseVerdict::Allow);  // 10 per minute are tolerated
  g.on_auth_failure(ip, t0 + 1s);                                         // the 11th blocks
  EXPECT_EQ(g.on_request(ip, "PBX/1.0", t0 + 2s), AbuseVerdict::Blocked);
  EXPECT_EQ(g.on_request(other, "PBX/1.0", t0 + 2s), AbuseVerdict::Allow);
  EXPECT_EQ(g.on_request(ip, "PBX/1.0", t0 + 1s + 599s), AbuseVerdict::Blocked);
  EXPECT_EQ(g.on_request(ip, "PBX/1.0", t0 + 1s + 600s), AbuseVerdict::Allow);
  auto c = g.counters();
  EXPECT_EQ(c.auth_failures, 11u);
  EXPECT_EQ(c.blocked, 2u);
  EXPECT_EQ(c.floods, 0u);
}

TEST(AbuseGuard, SlowFailuresDrainAndSuccessClears) {
  AbuseGuard g({});
  auto ip = make_address("192.0.2.1");
  // One failure every 6 s is exactly the allowed rate: never blocked.
  for (int i = 0; i < 100; ++i) g.on_auth_failure(ip, t0 + i * 6s);
  EXPECT_EQ(g.on_request(ip, "", t0 + 600s), AbuseVerdict::Allow);

  AbuseGuard h({});
  for (int i = 0; i < 10; ++i) h.on_auth_failure(ip, t0);
  h.on_auth_success(ip);
  for (int i = 0; i < 10; ++i) h.on_auth_failure(ip, t0);
  EXPECT_EQ(h.on_request(ip, "", t0), AbuseVerdict::Allow);
  h.on_auth_failure(ip, t0);
  EXPECT_EQ(h.on_request(ip, "", t0), AbuseVerdict::Blocked);
  h.on_auth_success(ip);  // does not lift an active block
  EXPECT_EQ(h.on_request(ip, "", t0 + 1s), AbuseVerdict::Blocked);
}

TEST(AbuseGuard, InviteFloodBlocks) {
  AbuseConfig cfg;
  cfg.invites_per_second = 20;
  AbuseGuard g(cfg);
  auto ip = make_address("198.51.100.7");
  int allowed = 0;
  AbuseVerdict last = AbuseVerdict::Allow;
  for (int i = 0; i < 30 && last == AbuseVerdict::Allow; ++i) {
    last = g.on_request(ip, "PBX", t0);
    allowed += last == AbuseVerdict::Allow;
  }
  EXPECT_EQ(allowed, 20);
  EXPECT_EQ(last, AbuseVerdict::Flood);
  EXPECT_EQ(g.on_request(ip, "PBX", t0 + 59s), AbuseVerdict::Blocked);
  EXPECT_EQ(g.on_request(ip, "PBX", t0 + 60s), AbuseVerdict::Allow);
  EXPECT_EQ(g.counters().floods, 1u);
  // A steady rate at the limit is fine.
  AbuseGuard steady(cfg);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(steady.on_request(ip, "PBX", t0 + i * 50ms), AbuseVerdict::Allow) << i;
}

TEST(AbuseGuard, ScannerUserAgents) {
  AbuseGuard g({});
  auto ip = make_address("203.0.113.9");
  for (std::string_view ua : {"friendly-scanner", "sipvicious", "SIPVicious 0.3", "sipcli/v1.8", "VaxSIPUserAgent/3.1",
                              "iWar", "sundayddr", "SIPScan", "sip-scan", " pplsip"}) {
    EXPECT_EQ(g.on_request(ip, ua, t0), AbuseVerdict::Scanner) << ua;
  }
  for (std::string_view ua : {"SipClient 2.0", "Asterisk PBX 20", "FreeSWITCH", "", "my friendly-scanner",
                              "iWarehouse"}) {
    EXPECT_EQ(g.on_request(ip, ua, t0), AbuseVerdict::Allow) << ua;
  }
  EXPECT_EQ(g.counters().scanners, 10u);
  AbuseConfig cfg;
  cfg.drop_scanners = false;
  AbuseGuard lenient(cfg);
  EXPECT_EQ(lenient.on_request(ip, "friendly-scanner", t0), AbuseVerdict::Allow);
  EXPECT_TRUE(lenient.is_scanner("friendly-scanner"));
}

TEST(AbuseGuard, MappedAndIpv6PrefixShareOneEntry) {
  AbuseConfig cfg;
  cfg.invites_per_second = 2;
  AbuseGuard g(cfg);
  EXPECT_EQ(g.on_request(make_address("192.0.2.5"), "", t0), AbuseVerdict::Allow);
  EXPECT_EQ(g.on_request(make_address("::ffff:192.0.2.5"), "", t0), AbuseVerdict::Allow);
  EXPECT_EQ(g.on_request(make_address("192.0.2.5"), "", t0), AbuseVerdict::Flood);
  EXPECT_EQ(g.on_request(make_address("2001:db8:1:2::1"), "", t0), AbuseVerdict::Allow);
  EXPECT_EQ(g.on_request(make_address("2001:db8:1:2::ffff"), "", t0), AbuseVerdict::Allow);
  EXPECT_EQ(g.on_request(make_address("2001:db8:1:2:aaaa::9"), "", t0), AbuseVerdict::Flood);
  EXPECT_EQ(g.on_request(make_address("2001:db8:1:3::1"), "", t0), AbuseVerdict::Allow);
  EXPECT_EQ(g.tracked(), 3u);
}

TEST(AbuseGuard, MemoryIsBoundedAndRecentSourcesStay) {
  AbuseConfig cfg;
  cfg.max_tracked = 100;
  AbuseGuard g(cfg);
  auto attacker = make_address("192.0.2.1");
  for (int i = 0; i < 11; ++i) g.on_auth_failure(attacker, t0);
  for (int i = 0; i < 5000; ++i) {
    auto a = boost::asio::ip::address_v4(0x0a000000u + static_cast<unsigned>(i));
    g.on_request(boost::asio::ip::address(a), "", t0);
    if (i % 50 == 0) {
      EXPECT_EQ(g.on_request(attacker, "", t0), AbuseVerdict::Blocked);  // kept fresh
    }
    ASSERT_LE(g.tracked(), 100u);
  }
  EXPECT_EQ(g.tracked(), 100u);
  EXPECT_EQ(g.on_request(attacker, "", t0), AbuseVerdict::Blocked);
}

TEST(AbuseGuard, ThreadSafe) {
  AbuseConfig cfg;
  cfg.invites_per_second = 1'000'000;
  AbuseGuard g(cfg);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) {
        auto a = boost::asio::ip::address(boost::asio::ip::address_v4(0x0a000000u + static_cast<unsigned>(t * 100 + i % 100)));
        g.on_request(a, "", t0 + std::chrono::milliseconds(i));
        g.on_auth_failure(a, t0 + std::chrono::milliseconds(i));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(g.counters().auth_failures, 20000u);
  EXPECT_EQ(g.tracked(), 400u);
}

}  // namespace
}  // namespace callwire::auth
