#include "dial/sip_target.hpp"

#include <gtest/gtest.h>

#include "dial/errc.hpp"

namespace callwire::dial {
namespace {

TEST(SipTarget, ContractExample) {
  auto t = parse_sip_target(
      "sip:bob@pbx.example.com:5070;transport=tcp;secure=true?X-Tenant=7&User-to-User=abc%3Bencoding%3Dhex");
  ASSERT_TRUE(t.has_value()) << t.error().what();
  EXPECT_EQ(t->request_uri, "sip:bob@pbx.example.com:5070;transport=tcp");
  EXPECT_EQ(t->user, "bob");
  EXPECT_EQ(t->host, "pbx.example.com");
  EXPECT_EQ(t->port, 5070);
  EXPECT_EQ(t->effective_port(), 5070);
  EXPECT_EQ(t->transport, SipTransport::Tcp);
  EXPECT_TRUE(t->transport_given);
  EXPECT_TRUE(t->secure);
  EXPECT_EQ(t->headers, (std::vector<SipHeader>{{"X-Tenant", "7"}, {"User-to-User", "abc;encoding=hex"}}));
}

TEST(SipTarget, DefaultsAndCallwireOnlyParams) {
  auto t = parse_sip_target("  \n sip:pbx.example.com;edge=frankfurt;user=phone;Secure=FALSE  ");
  ASSERT_TRUE(t.has_value()) << t.error().what();
  EXPECT_EQ(t->request_uri, "sip:pbx.example.com;user=phone");
  EXPECT_EQ(t->user, "");
  EXPECT_EQ(t->port, std::nullopt);
  EXPECT_EQ(t->effective_port(), 5060);
  EXPECT_EQ(t->transport, SipTransport::Udp);
  EXPECT_FALSE(t->transport_given);
  EXPECT_FALSE(t->secure);
  EXPECT_EQ(t->edge, "frankfurt");
  EXPECT_TRUE(t->headers.empty());

  auto tls = parse_sip_target("sip:+14155551234@[2001:db8::1];transport=TLS;region=ie1");
  ASSERT_TRUE(tls.has_value()) << tls.error().what();
  EXPECT_EQ(tls->request_uri, "sip:+14155551234@[2001:db8::1];transport=TLS");
  EXPECT_EQ(tls->host, "2001:db8::1");
  EXPECT_TRUE(tls->host_is_ipv6);
  EXPECT_EQ(tls->transport, SipTransport::Tls);
  EXPECT_EQ(tls->effective_port(), 5061);
  EXPECT_EQ(tls->edge, "ie1");
}

TEST(SipTarget, HeadersAllowedByName) {
  EXPECT_TRUE(sip_header_allowed("X-Custom"));
  EXPECT_TRUE(sip_header_allowed("x-lower"));
  EXPECT_TRUE(sip_header_allowed("user-to-user"));
  EXPECT_TRUE(sip_header_allowed("Remote-Party-ID"));
  EXPECT_TRUE(sip_header_allowed("P-Preferred-Identity"));
  EXPECT_TRUE(sip_header_allowed("P-Called-Party-ID"));
  EXPECT_FALSE(sip_header_allowed("X-"));
  EXPECT_FALSE(sip_header_allowed("From"));
  EXPECT_FALSE(sip_header_allowed("Call-ID"));
  EXPECT_FALSE(sip_header_allowed("P-Asserted-Identity"));
}

struct BadTarget {
  std::string text;
  Errc code;
  const char* fragment;
};

TEST(SipTarget, Refusals) {
  const std::string host = "sip:bob@" + std::string(240, 'a') + ".com";  // 252 characters: fine
  ASSERT_TRUE(parse_sip_target(host).has_value());
  const BadTarget cases[] = {
      {"sips:bob@pbx.example.com", Errc::SipsNotSupported, "transport=tls"},
      {"SIPS:bob@pbx.example.com", Errc::SipsNotSupported, "sips"},
      {"tel:+14155551234", Errc::InvalidSipUri, "not a sip: URI"},
      {"bob@pbx.example.com", Errc::InvalidSipUri, "not a SIP URI"},
      {"sip:", Errc::InvalidSipUri, "not a SIP URI"},
      {"sip:bob:secret@pbx.example.com", Errc::InvalidSipUri, "password attribute"},
      {"sip:bob@pbx.example.com;transport=sctp", Errc::InvalidSipUri, "udp, tcp or tls"},
      {"sip:bob@pbx.example.com;secure=yes", Errc::InvalidSipUri, "true or false"},
      {"sip:bob@pbx.example.com?From=sip:evil@x", Errc::InvalidSipUri, "not a SIP URI"},
      {"sip:bob@pbx.example.com?Call-ID=abc", Errc::HeaderNotAllowed, "Call-ID"},
      {"sip:bob@pbx.example.com?X-A=1%0D%0AVia:%20x", Errc::InvalidSipUri, "line break"},
      {"sip:bob@pbx.example.com?X-A=1%00", Errc::InvalidSipUri, "NUL"},
      {"sip:bob@pbx.example.com?X%3AA=1", Errc::InvalidSipUri, "header name"},
      {host + "mmm", Errc::UriTooLong, "too long"},  // 255 characters
      {"sip:bob@pbx.example.com?X-Big=" + std::string(1018, 'v'), Errc::HeadersTooLong, "headers"},
      {std::string(5000, 'x'), Errc::UriTooLong, "too long"},
  };
  for (const auto& c : cases) {
    auto r = parse_sip_target(c.text);
    ASSERT_FALSE(r.has_value()) << c.text.substr(0, 60) << " gave " << r->request_uri;
    EXPECT_TRUE(is(r.error(), c.code)) << c.text.substr(0, 60) << ": " << r.error().what();
    EXPECT_NE(r.error().what().find(c.fragment), std::string::npos) << c.text.substr(0, 60) << ": "
                                                                     << r.error().what();
  }
  // The limits are on each part: a 254-character URI with 1023 characters of headers is fine.
  std::string headers = "X-Big=" + std::string(1023 - 6, 'v');
  auto longest = parse_sip_target(host + "m?" + headers);  // 253 + '?' + 1023
  ASSERT_TRUE(longest.has_value()) << longest.error().what();
  EXPECT_EQ(longest->headers.size(), 1u);
  auto fits = parse_sip_target("sip:bob@pbx.example.com?" + headers);
  ASSERT_TRUE(fits.has_value()) << fits.error().what();
  EXPECT_EQ(fits->headers.at(0).value.size(), 1023u - 6);
}

}  // namespace
}  // namespace callwire::dial
