// The URL rules of the webhook client's plain-http lane (plain_http_client.hpp).
#include <gtest/gtest.h>

#include "webhook/plain_http_client.hpp"

namespace callwire::webhook::detail {
namespace {

TEST(PlainUrl, SplitsForTheWire) {
  auto u = parse_plain_url("HTTP://127.0.0.1:8080/voice?tenant=1#rc=0");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->host_header, "127.0.0.1:8080");
  EXPECT_EQ(u->target, "/voice?tenant=1");
  EXPECT_EQ(u->normalized, "http://127.0.0.1:8080/voice?tenant=1");

  auto bare = parse_plain_url("http://hooks.example.com");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port, 80);
  EXPECT_EQ(bare->host_header, "hooks.example.com");
  EXPECT_EQ(bare->target, "/");
  EXPECT_EQ(bare->normalized, "http://hooks.example.com/");

  auto query_only = parse_plain_url("http://h:80?a=1");
  ASSERT_TRUE(query_only);
  EXPECT_EQ(query_only->host_header, "h");  // the default port stays out of Host, as curl does
  EXPECT_EQ(query_only->target, "/?a=1");
  EXPECT_EQ(query_only->normalized, "http://h:80/?a=1");

  auto v6 = parse_plain_url("http://[::1]:9000/x/../y/./z");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header, "[::1]:9000");
  EXPECT_EQ(v6->target, "/y/z");
}

TEST(PlainUrl, LeavesEverythingElseToCurl) {
  for (const char* url : {"https://127.0.0.1/v", "http://user:pass@127.0.0.1/v", "http://127.0.0.1:/v",
                          "http://127.0.0.1:0/v", "http://127.0.0.1:70000/v", "http:///v", "http://[::1/v",
                          "http://b\xC3\xBC" "cher.example/v", "http://host/a b", "ftp://host/v", "http://ho%73t/v"}) {
    EXPECT_FALSE(parse_plain_url(url)) << url;
  }
}

TEST(ResolveLocation, FollowsRfc3986) {
  const std::string base = "http://h:1/a/b/c?q=1";
  EXPECT_EQ(resolve_location(base, "https://other/x#f"), "https://other/x");
  EXPECT_EQ(resolve_location(base, "//other:2/x"), "http://other:2/x");
  EXPECT_EQ(resolve_location(base, "/x/./y/../z"), "http://h:1/x/z");
  EXPECT_EQ(resolve_location(base, "d"), "http://h:1/a/b/d");
  EXPECT_EQ(resolve_location(base, "../d?r=2"), "http://h:1/a/d?r=2");
  EXPECT_EQ(resolve_location(base, "../../../../d"), "http://h:1/d");
  EXPECT_EQ(resolve_location(base, "?r=2"), "http://h:1/a/b/c?r=2");
  EXPECT_EQ(resolve_location("http://h", "d"), "http://h/d");
  EXPECT_EQ(resolve_location(base, " /sp ace "), "http://h:1/sp%20ace");
  EXPECT_EQ(resolve_location(base, ""), "");
  EXPECT_EQ(resolve_location(base, "ftp://files/x"), "ftp://files/x");  // refused by the caller
}

}  // namespace
}  // namespace callwire::webhook::detail
