#include "webhook/request.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "webhook/address_guard.hpp"

namespace callwire::webhook {
namespace {

TEST(ParseWebhookUrl, PlainUrlKeepsDefaults) {
  Overrides defaults;
  defaults.retries = 3;
  auto p = parse_webhook_url("https://app.example.com/voice?tenant=1", defaults);
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->url_without_fragment, "https://app.example.com/voice?tenant=1");
  EXPECT_EQ(p->overrides.retries, 3);
  EXPECT_EQ(p->overrides.connect_timeout_ms, 5000);
  EXPECT_EQ(p->overrides.read_timeout_ms, 15000);
  EXPECT_EQ(p->overrides.total_timeout_ms, 15000);
  EXPECT_EQ(p->overrides.retry_policy, "ct");
}

TEST(ParseWebhookUrl, FragmentOverridesAreAppliedAndStripped) {
  auto p = parse_webhook_url("https://app.example.com/voice#ct=2000&rt=3000&tt=5000&rc=3&rp=all");
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->url_without_fragment, "https://app.example.com/voice");
  EXPECT_EQ(p->overrides.connect_timeout_ms, 2000);
  EXPECT_EQ(p->overrides.read_timeout_ms, 3000);
  EXPECT_EQ(p->overrides.total_timeout_ms, 5000);
  EXPECT_EQ(p->overrides.retries, 3);
  EXPECT_EQ(p->overrides.retry_policy, "all");
}

TEST(ParseWebhookUrl, RangeEdgesAccepted) {
  auto lo = parse_webhook_url("http://h/#ct=100&rt=100&tt=100&rc=0");
  ASSERT_TRUE(lo) << lo.error().what();
  EXPECT_EQ(lo->overrides.retries, 0);
  auto hi = parse_webhook_url("http://h/#ct=10000&rt=15000&tt=15000&rc=5&rp=ct,5xx");
  ASSERT_TRUE(hi) << hi.error().what();
  EXPECT_EQ(hi->overrides.connect_timeout_ms, 10000);
  EXPECT_EQ(hi->overrides.retry_policy, "ct,5xx");
}

TEST(ParseWebhookUrl, OutOfRangeOrMalformedValuesAre11100) {
  for (const char* url : {"http://h/#ct=99", "http://h/#ct=10001", "http://h/#rt=15001", "http://h/#tt=0",
                          "http://h/#rc=6", "http://h/#rc=-1", "http://h/#ct=", "http://h/#ct=1e3", "http://h/#ct",
                          "http://h/#tt=5000ms", "http://h/#rc=99999999999999999999"}) {
    auto p = parse_webhook_url(url);
    ASSERT_FALSE(p) << url;
    EXPECT_EQ(p.error().code, make_error_code(Errc::BadUrl)) << url;
    EXPECT_EQ(p.error().code.value(), 11100);
  }
}

TEST(ParseWebhookUrl, BadRetryPolicyIs11243) {
  for (const char* url : {"http://h/#rp=", "http://h/#rp=sometimes", "http://h/#rp=ct,", "http://h/#rp=ALL"}) {
    auto p = parse_webhook_url(url);
    ASSERT_FALSE(p) << url;
    EXPECT_EQ(p.error().code.value(), 11243) << url;
  }
}

TEST(ParseWebhookUrl, EdgeSniAndUnknownKeysAreIgnored) {
  auto p = parse_webhook_url("https://h/x#e=ashburn&sni=n&section=top&&rc=2");
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->url_without_fragment, "https://h/x");
  EXPECT_EQ(p->overrides.retries, 2);
}

TEST(ParseWebhookUrl, BadUrls) {
  for (const char* url : {"", "ftp://h/x", "app.example.com/voice", "http://", "http:///path", "http://h x/",
                          "http://h/a b", "http://h:0/", "http://h:65536/", "http://h:/", "http://h:8x/",
                          "http://[::1/", "http://[]/", "http://user@/", "http://h/\n", "mailto:a@b"}) {
    auto p = parse_webhook_url(url);
    ASSERT_FALSE(p) << url;
    EXPECT_EQ(p.error().code.value(), 11100) << url;
  }
}

TEST(ParseWebhookUrl, GoodUrls) {
  for (const char* url : {"HTTP://Example.COM", "https://h:8443/p?q=1", "http://[::1]:8080/x", "http://user:pw@h/x",
                          "http://127.0.0.1/", "https://xn--bcher-kva.example/x?y", "http://h?x=1"}) {
    auto p = parse_webhook_url(url);
    EXPECT_TRUE(p) << url << ": " << p.error().what();
  }
}

TEST(RetryPolicy, Covers) {
  EXPECT_TRUE(retry_policy_covers("ct", "ct"));
  EXPECT_FALSE(retry_policy_covers("ct", "5xx"));
  EXPECT_TRUE(retry_policy_covers("ct,5xx", "5xx"));
  EXPECT_TRUE(retry_policy_covers("all", "4xx"));
  EXPECT_FALSE(retry_policy_covers("rt", ""));
}

TEST(FormEncode, EncodesEverythingButUnreserved) {
  EXPECT_EQ(form_encode({{"From", "sip:alice@203.0.113.5"}, {"A b", "x+y&z=é~"}}),
            "From=sip%3Aalice%40203.0.113.5&A%20b=x%2By%26z%3D%C3%A9~");
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"k", ""}}), "k=");
}

TEST(AppendQuery, MergesWithAnExistingQuery) {
  Params p = {{"CallSid", "CA1"}, {"To", "sip:+1@x"}};
  EXPECT_EQ(append_query("http://h/v", p), "http://h/v?CallSid=CA1&To=sip%3A%2B1%40x");
  EXPECT_EQ(append_query("http://h/v?t=1", p), "http://h/v?t=1&CallSid=CA1&To=sip%3A%2B1%40x");
  EXPECT_EQ(append_query("http://h/v?", p), "http://h/v?CallSid=CA1&To=sip%3A%2B1%40x");
  EXPECT_EQ(append_query("http://h/v?t=1&", p), "http://h/v?t=1&CallSid=CA1&To=sip%3A%2B1%40x");
  EXPECT_EQ(append_query("http://h/v?t=1#rc=0", {}), "http://h/v?t=1");
  EXPECT_EQ(append_query("http://h/v#rc=0", p), "http://h/v?CallSid=CA1&To=sip%3A%2B1%40x");
}

bool private_v4(const char* text) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  EXPECT_EQ(inet_pton(AF_INET, text, &a.sin_addr), 1) << text;
  return is_private_address(reinterpret_cast<sockaddr*>(&a));
}
bool private_v6(const char* text) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  EXPECT_EQ(inet_pton(AF_INET6, text, &a.sin6_addr), 1) << text;
  return is_private_address(reinterpret_cast<sockaddr*>(&a));
}

TEST(AddressGuard, PrivateRanges) {
  for (const char* a : {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1",
                        "255.255.255.255"}) {
    EXPECT_TRUE(private_v4(a)) << a;
  }
  for (const char* a : {"8.8.8.8", "203.0.113.5", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
                        "169.255.0.1", "192.169.0.1", "11.0.0.1"}) {
    EXPECT_FALSE(private_v4(a)) << a;
  }
  for (const char* a : {"::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "ff02::1", "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1"}) {
    EXPECT_TRUE(private_v6(a)) << a;
  }
  for (const char* a : {"2001:db8::1", "2606:4700::1111", "::ffff:8.8.8.8", "fec0::1", "64:ff9b::808:808"}) {
    EXPECT_FALSE(private_v6(a)) << a;
  }
}

}  // namespace
}  // namespace callwire::webhook
