#include "dial/termination_uri.hpp"

#include <gtest/gtest.h>

#include "dial/errc.hpp"

namespace callwire::dial {
namespace {

TEST(TerminationUri, ParsesHostPortTransport) {
  auto a = parse_termination_uri("sip:carrier.example.net");
  ASSERT_TRUE(a.has_value()) << a.error().what();
  EXPECT_EQ(a->host, "carrier.example.net");
  EXPECT_EQ(a->port, std::nullopt);
  EXPECT_EQ(a->transport, SipTransport::Udp);
  EXPECT_EQ(a->effective_port(), 5060);
  EXPECT_EQ(request_uri_for(*a, "+14155551234"), "sip:+14155551234@carrier.example.net");

  auto b = parse_termination_uri("sip:203.0.113.7:5080;transport=tcp");
  ASSERT_TRUE(b.has_value()) << b.error().what();
  EXPECT_EQ(b->port, 5080);
  EXPECT_EQ(b->transport, SipTransport::Tcp);
  EXPECT_EQ(request_uri_for(*b, "14155551234"), "sip:14155551234@203.0.113.7:5080;transport=tcp");

  auto c = parse_termination_uri("sip:[2001:db8::5];transport=TLS");
  ASSERT_TRUE(c.has_value()) << c.error().what();
  EXPECT_TRUE(c->host_is_ipv6);
  EXPECT_EQ(c->effective_port(), 5061);
  EXPECT_EQ(request_uri_for(*c, "+4930123456"), "sip:+4930123456@[2001:db8::5];transport=tls");
}

TEST(TerminationUri, Refusals) {
  struct Bad {
    std::string text;
    Errc code;
  };
  const Bad cases[] = {
      {"sips:carrier.example.net", Errc::SipsNotSupported},
      {"carrier.example.net", Errc::InvalidSipUri},
      {"tel:+14155551234", Errc::InvalidSipUri},
      {"sip:user@carrier.example.net", Errc::InvalidSipUri},
      {"sip:carrier.example.net;transport=sctp", Errc::InvalidSipUri},
      {"sip:carrier.example.net;lr", Errc::InvalidSipUri},
      {"sip:carrier.example.net?X-A=1", Errc::InvalidSipUri},
      {"sip:carrier.example.net:0", Errc::InvalidSipUri},
      {"sip:carrier.example.net:99999", Errc::InvalidSipUri},
      {"sip:" + std::string(260, 'a'), Errc::UriTooLong},
      {"", Errc::InvalidSipUri},
  };
  for (const auto& c : cases) {
    auto r = parse_termination_uri(c.text);
    ASSERT_FALSE(r.has_value()) << c.text;
    EXPECT_TRUE(is(r.error(), c.code)) << c.text << ": " << r.error().what();
  }
}

}  // namespace
}  // namespace callwire::dial
