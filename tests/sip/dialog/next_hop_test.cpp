#include "sip/dialog/next_hop.hpp"

#include <gtest/gtest.h>

#include "sip/dialog/dialog_errc.hpp"

namespace callwire::sip {
namespace {

struct Case {
  std::string_view uri;
  Protocol protocol;
  std::string_view address;
  std::uint16_t port;
};

TEST(NextHop, IpLiteralsBecomeRoutes) {
  const Case cases[] = {
      {"sip:10.0.0.1", Protocol::Udp, "10.0.0.1", 5060},
      {"sip:alice@10.0.0.1:5070", Protocol::Udp, "10.0.0.1", 5070},
      {"sip:10.0.0.1;transport=TCP;lr", Protocol::Tcp, "10.0.0.1", 5060},
      {"sip:10.0.0.1;transport=tls", Protocol::Tls, "10.0.0.1", 5061},
      {"sips:10.0.0.1", Protocol::Tls, "10.0.0.1", 5061},
      {"sips:10.0.0.1:6000;transport=tcp", Protocol::Tls, "10.0.0.1", 6000},
      {"sip:[2001:db8::5]:5080", Protocol::Udp, "2001:db8::5", 5080},
      {"sip:proxy.example.com;maddr=10.9.9.9", Protocol::Udp, "10.9.9.9", 5060},
  };
  for (const auto& c : cases) {
    auto hop = next_hop_for(c.uri);
    ASSERT_TRUE(hop) << c.uri << ": " << hop.error().what();
    auto route = literal_route(*hop);
    ASSERT_TRUE(route) << c.uri << ": " << route.error().what();
    EXPECT_EQ(route->protocol, c.protocol) << c.uri;
    EXPECT_EQ(route->address.to_string(), c.address) << c.uri;
    EXPECT_EQ(route->port, c.port) << c.uri;
  }
}

TEST(NextHop, HostNamesNeedDns) {
  auto hop = next_hop_for("sip:bob@proxy.example.com:5062;transport=tcp");
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->host, "proxy.example.com");
  EXPECT_EQ(hop->port, 5062);
  EXPECT_EQ(hop->protocol, Protocol::Tcp);
  auto route = literal_route(*hop);
  ASSERT_FALSE(route);
  EXPECT_EQ(route.error().code, DialogErrc::NeedsDns);
  EXPECT_EQ(route.error().detail, "proxy.example.com");
}

TEST(NextHop, RefusesUnusableUris) {
  for (std::string_view bad : {"tel:+15550100", "sip:10.0.0.1;transport=sctp", "sips:10.0.0.1;transport=udp",
                               "not a uri"}) {
    auto hop = next_hop_for(bad);
    ASSERT_FALSE(hop) << bad;
    EXPECT_EQ(hop.error().code, DialogErrc::BadTarget) << bad;
  }
}

}  // namespace
}  // namespace callwire::sip
