#include "auth/domain_host.hpp"

#include <gtest/gtest.h>

namespace callwire::auth {
namespace {

struct Case {
  std::string_view host;
  std::string_view domain;  // "" = nullopt
  std::string_view edge;
};

void check(const HostResolver& r, const Case& c) {
  auto got = r.resolve(c.host);
  if (c.domain.empty()) {
    EXPECT_FALSE(got.has_value()) << c.host << " → " << (got ? got->domain_name : "");
    return;
  }
  ASSERT_TRUE(got.has_value()) << c.host;
  EXPECT_EQ(got->domain_name, c.domain) << c.host;
  EXPECT_EQ(got->edge, c.edge) << c.host;
}

TEST(HostResolver, EveryEdgeFormSelectsTheSameDomain) {
  HostResolver r("example.com");
  const char* edges[] = {"ashburn",      "umatilla",    "dublin",    "frankfurt",    "singapore", "tokyo",
                         "sao-paulo",    "sydney",      "us1",       "us2",          "ie1",       "de1",
                         "sg1",          "jp1",         "br1",       "au1",          "ashburn-ix", "san-jose-ix",
                         "london-ix",    "frankfurt-ix", "singapore-ix", "tokyo-ix", "sydney-ix", "us1-ix",
                         "ie1-ix",       "de1-ix",      "au1-ix"};
  check(r, {"acme.sip.example.com", "acme.sip.example.com", ""});
  for (const char* e : edges) {
    std::string host = std::string("acme.sip.") + e + ".example.com";
    check(r, {host, "acme.sip.example.com", e});
  }
}

TEST(HostResolver, CasePortAndTrailingDot) {
  HostResolver r("Example.COM.");
  check(r, {"ACME.SIP.Example.Com", "acme.sip.example.com", ""});
  check(r, {"acme.sip.example.com:5060", "acme.sip.example.com", ""});
  check(r, {"acme.sip.example.com.", "acme.sip.example.com", ""});
  check(r, {"Acme.Sip.Dublin.Example.com.:5061", "acme.sip.example.com", "dublin"});
  check(r, {"acme.sip.US1-IX.example.com", "acme.sip.example.com", "us1-ix"});
}

TEST(HostResolver, DottedLabels) {
  HostResolver r("example.com");
  check(r, {"foo.acme.sip.example.com", "foo.acme.sip.example.com", ""});
  check(r, {"foo.acme.sip.tokyo.example.com", "foo.acme.sip.example.com", "tokyo"});
  check(r, {"a-b.c-d.sip.sydney.example.com", "a-b.c-d.sip.example.com", "sydney"});
  // A label ending in ".sip" is a plain host, not an edge form.
  check(r, {"x.sip.sip.example.com", "x.sip.sip.example.com", ""});
}

TEST(HostResolver, RefusesWhatIsNotADomainHost) {
  HostResolver r("example.com");
  for (std::string_view h : {"sip.example.com", "sip.dublin.example.com", "example.com", "acme.example.com",
                             "acme.sip.example.org", "acme.sip.example.com.evil.net", "acme.sipexample.com",
                             "acme.sip.mars.example.com", "acme.dublin.example.com", "acme.sip.dublin.us1.example.com",
                             ".sip.example.com", "acme..sip.example.com", "-acme.sip.example.com",
                             "acme.sip.xexample.com", "", ":5060", "[::1]:5060", "::1", "2001:db8::1",
                             "192.0.2.1", "192.0.2.1:5060", "acme.sip.example.com:5060:1", "ac me.sip.example.com",
                             "acme.sip.example.com/x"}) {
    check(r, {h, "", ""});
  }
}

TEST(HostResolver, ExtraEdgesAndLocalhostBase) {
  HostResolver r("localhost", {"Lab", "bad.edge", "sip", ""});
  check(r, {"demo.sip.localhost", "demo.sip.localhost", ""});
  check(r, {"demo.sip.lab.localhost", "demo.sip.localhost", "lab"});
  check(r, {"demo.sip.dublin.localhost:5080", "demo.sip.localhost", "dublin"});
  check(r, {"demo.sip.bad.edge.localhost", "", ""});
  EXPECT_TRUE(r.is_edge("lab"));
  EXPECT_FALSE(r.is_edge("bad.edge"));
  EXPECT_FALSE(r.is_edge("sip"));
  HostResolver plain("localhost");
  check(plain, {"demo.sip.lab.localhost", "", ""});
}

TEST(HostResolver, LongLabelsAreBounded) {
  HostResolver r("example.com");
  std::string ok(63, 'a');
  check(r, {ok + ".sip.example.com", ok + ".sip.example.com", ""});
  check(r, {std::string(64, 'a') + ".sip.example.com", "", ""});
  std::string huge;
  for (int i = 0; i < 60; ++i) huge += "abcd.";
  check(r, {huge + "sip.example.com", "", ""});
}

}  // namespace
}  // namespace callwire::auth
