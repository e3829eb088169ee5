#include "sip/message/uri.hpp"

#include <gtest/gtest.h>

#include "sip/message/errc.hpp"
#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace {

TEST(Uri, SipFields) {
  auto u = parse_uri("sip:alice:secret@Atlanta.Example.com:5070;transport=tcp;lr;maddr=239.255.255.1?Subject=hi%20there&X=1");
  ASSERT_TRUE(u) << u.error().detail;
  EXPECT_EQ(u->scheme, Scheme::Sip);
  EXPECT_EQ(u->scheme_text, "sip");
  EXPECT_EQ(u->user, "alice");
  EXPECT_TRUE(u->has_password);
  EXPECT_EQ(u->password, "secret");
  EXPECT_EQ(u->host, "Atlanta.Example.com");
  EXPECT_EQ(u->port, 5070);
  ASSERT_EQ(u->params.size(), 3u);
  EXPECT_EQ(u->param("TRANSPORT")->value, "tcp");
  EXPECT_FALSE(u->param("lr")->has_value);
  EXPECT_EQ(u->param("maddr")->value, "239.255.255.1");
  ASSERT_EQ(u->headers.size(), 2u);
  EXPECT_EQ(u->headers[0].name, "Subject");
  EXPECT_EQ(u->headers[0].value, "hi%20there");
  EXPECT_EQ(unescape(u->headers[0].value), "hi there");
  EXPECT_EQ(u->host_port(), "Atlanta.Example.com:5070");
}

struct UriCase {
  const char* text;
  Scheme scheme;
  const char* user;
  const char* host;
  int port;  // -1: none
  bool ipv6;
  std::size_t params;
};

class UriValid : public ::testing::TestWithParam<UriCase> {};

TEST_P(UriValid, Parses) {
  const auto& c = GetParam();
  auto u = parse_uri(c.text);
  ASSERT_TRUE(u) << c.text << ": " << u.error().detail;
  EXPECT_EQ(u->scheme, c.scheme) << c.text;
  EXPECT_EQ(u->user, c.user) << c.text;
  EXPECT_EQ(u->host, c.host) << c.text;
  EXPECT_EQ(u->port ? int(*u->port) : -1, c.port) << c.text;
  EXPECT_EQ(u->host_is_ipv6, c.ipv6) << c.text;
  EXPECT_EQ(u->params.size(), c.params) << c.text;
  EXPECT_EQ(u->text, c.text);
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, UriValid,
    ::testing::Values(
        UriCase{"sip:example.com", Scheme::Sip, "", "example.com", -1, false, 0},
        UriCase{"SIP:Bob@EXAMPLE.com", Scheme::Sip, "Bob", "EXAMPLE.com", -1, false, 0},
        UriCase{"sips:bob@example.com:5061", Scheme::Sips, "bob", "example.com", 5061, false, 0},
        UriCase{"sip:192.0.2.4", Scheme::Sip, "", "192.0.2.4", -1, false, 0},
        UriCase{"sip:[2001:db8::10]", Scheme::Sip, "", "2001:db8::10", -1, true, 0},
        UriCase{"sip:user@[2001:db8::10]:5070;transport=tcp", Scheme::Sip, "user", "2001:db8::10", 5070, true, 1},
        UriCase{"sip:[::ffff:192.0.2.1]", Scheme::Sip, "", "::ffff:192.0.2.1", -1, true, 0},
        UriCase{"sip:[::1]:5060", Scheme::Sip, "", "::1", 5060, true, 0},
        UriCase{"sip:%61lice@atlanta.com;transport=TCP", Scheme::Sip, "%61lice", "atlanta.com", -1, false, 1},
        UriCase{"sip:user;par=u%40example.net@example.com", Scheme::Sip, "user;par=u%40example.net", "example.com", -1,
                false, 0},
        UriCase{"sip:+12125551212;isub=1411;postd=pp22@foo.com;user=phone", Scheme::Sip,
                "+12125551212;isub=1411;postd=pp22", "foo.com", -1, false, 1},
        UriCase{"sip:null-%00-null@example.com", Scheme::Sip, "null-%00-null", "example.com", -1, false, 0},
        UriCase{"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
                "@example.com",
                Scheme::Sip, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", "example.com", -1, false, 0},
        UriCase{"sip:services.example.com;lr;unknownwith=value;unknown-no-value", Scheme::Sip, "", "services.example.com",
                -1, false, 3},
        UriCase{"sip:host.example.com.", Scheme::Sip, "", "host.example.com.", -1, false, 0},
        UriCase{"sip:a@b:0", Scheme::Sip, "a", "b", 0, false, 0},
        UriCase{"sip:alice@atlanta.com:65535", Scheme::Sip, "alice", "atlanta.com", 65535, false, 0},
        UriCase{"tel:+1-201-555-0123", Scheme::Tel, "+1-201-555-0123", "", -1, false, 0},
        UriCase{"tel:7042;phone-context=example.com", Scheme::Tel, "7042", "", -1, false, 1},
        UriCase{"TEL:+358-555-1234567;postd=pp22;isub=1411", Scheme::Tel, "+358-555-1234567", "", -1, false, 2},
        UriCase{"tel:*21#;phone-context=+1", Scheme::Tel, "*21#", "", -1, false, 1},
        UriCase{"urn:service:sos", Scheme::Other, "", "", -1, false, 0},
        UriCase{"http://www.example.com/~user/a%20b?x=1", Scheme::Other, "", "", -1, false, 0},
        UriCase{"nobodyKnowsThisScheme:totallyopaquecontent", Scheme::Other, "", "", -1, false, 0},
        UriCase{"mailto:a@example.com", Scheme::Other, "", "", -1, false, 0}));

class UriInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(UriInvalid, Fails) {
  auto u = parse_uri(GetParam());
  ASSERT_FALSE(u) << GetParam();
  EXPECT_EQ(u.error().code, make_error_code(Errc::BadUri));
  EXPECT_NE(u.error().detail.find("URI"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Vectors, UriInvalid,
                         ::testing::Values("", "sip", "sip:", ":foo", "1sip:a@b", "sip:@example.com", "sip:user@",
                                           "sip:a b@example.com", "sip:a@exa mple.com", "sip:a@example.com:",
                                           "sip:a@example.com:65536", "sip:a@example.com:5060x",
                                           "sip:a@[2001:db8::10", "sip:a@2001:db8::10", "sip:a@[2001:db8:::10]",
                                           "sip:a@[2001:db8::g]", "sip:a@[1:2:3:4:5:6:7:8:9]", "sip:a@[]",
                                           "sip:a@example..com", "sip:a@-example.com", "sip:a@192.0.2.300",
                                           "sip:a@1.2.3", "sip:a@example.com;", "sip:a@example.com;=x",
                                           "sip:a@example.com;lr=", "sip:a@example.com;a b", "sip:a@example.com?",
                                           "sip:a@example.com?novalue", "sip:a@example.com?a=<b>",
                                           "sip:us%4@example.com", "sip:us%zz@example.com", "sip:a@example.com;x=%g1",
                                           "sip:a<b@example.com", "sips:\"x\"@example.com", "tel:", "tel:abc-z",
                                           "tel:12+34", "tel:--", "tel:+1;=x", "foo:", "foo:a b", "foo:<x>",
                                           "sip:a@b\r\n"));

struct Equiv {
  const char* a;
  const char* b;
  bool equal;
};

class UriEquivalence : public ::testing::TestWithParam<Equiv> {};

TEST_P(UriEquivalence, FollowsRfc3261Section19_1_4) {
  const auto& c = GetParam();
  auto a = parse_uri(c.a);
  auto b = parse_uri(c.b);
  ASSERT_TRUE(a && b) << c.a << " / " << c.b;
  EXPECT_EQ(uri_equivalent(*a, *b), c.equal) << c.a << " vs " << c.b;
  EXPECT_EQ(uri_equivalent(*b, *a), c.equal) << c.b << " vs " << c.a;
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, UriEquivalence,
    ::testing::Values(
        // The equivalent pairs of §19.1.4.
        Equiv{"sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp", true},
        Equiv{"sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5", true},
        Equiv{"sip:carol@chicago.com", "sip:carol@chicago.com;security=on", true},
        Equiv{"sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on", true},
        Equiv{"sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
              "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com", true},
        Equiv{"sip:alice@atlanta.com?subject=project%20x&priority=urgent",
              "sip:alice@atlanta.com?priority=urgent&subject=project%20x", true},
        // The non-equivalent pairs of §19.1.4.
        Equiv{"SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP", false},
        Equiv{"sip:bob@biloxi.com", "sip:bob@biloxi.com:5060", false},
        Equiv{"sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp", false},
        Equiv{"sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp", false},
        Equiv{"sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting", false},
        Equiv{"sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4", false},
        // More of the rules.
        Equiv{"sip:bob@biloxi.com", "sips:bob@biloxi.com", false},
        Equiv{"sip:bob@biloxi.com;user=phone", "sip:bob@biloxi.com", false},
        Equiv{"sip:bob@biloxi.com;ttl=1", "sip:bob@biloxi.com", false},
        Equiv{"sip:bob@biloxi.com;method=INVITE", "sip:bob@biloxi.com", false},
        Equiv{"sip:bob@biloxi.com;maddr=239.1.1.1", "sip:bob@biloxi.com", false},
        Equiv{"sip:bob@biloxi.com;lr", "sip:bob@biloxi.com", true},
        Equiv{"sip:bob@biloxi.com;foo=A", "sip:bob@biloxi.com;FOO=a", true},
        Equiv{"sip:bob@biloxi.com;foo=a", "sip:bob@biloxi.com;foo=b", false},
        Equiv{"sip:bob:pw@biloxi.com", "sip:bob@biloxi.com", false},
        Equiv{"sip:bob:pw@biloxi.com", "sip:bob:PW@biloxi.com", false},
        Equiv{"sip:a%3bb@biloxi.com", "sip:a;b@biloxi.com", false},  // reserved: escaped != literal
        Equiv{"sip:a%3bb@biloxi.com", "sip:a%3Bb@biloxi.com", true},
        Equiv{"sip:%7euser@biloxi.com", "sip:~user@biloxi.com", true},
        Equiv{"sip:[2001:db8::1]:5060", "sip:[2001:DB8:0:0::1]:5060", true},
        Equiv{"sip:[2001:db8::1]", "sip:[2001:db8::2]", false},
        Equiv{"sip:carol@chicago.com?Subject=a", "sip:carol@chicago.com?subject=A", true},
        Equiv{"sip:carol@chicago.com?Subject=a", "sip:carol@chicago.com?Subject=a&X=1", false},
        Equiv{"tel:+1-201-555-0123", "tel:+1.201.555.0123", true},
        Equiv{"tel:+1-201-555-0123", "tel:+12015550124", false},
        Equiv{"tel:7042;phone-context=example.com", "tel:7042;Phone-Context=EXAMPLE.com", true},
        Equiv{"tel:7042;phone-context=example.com", "tel:7042", false},
        Equiv{"tel:+12015550123", "sip:+12015550123@example.com", false},
        Equiv{"urn:service:sos", "URN:service:sos", true},
        Equiv{"urn:service:sos", "urn:service:police", false}));

TEST(Unescape, DecodesOnlyWellFormedEscapes) {
  EXPECT_EQ(unescape("a%20b"), "a b");
  EXPECT_EQ(unescape("%41%4a%4A"), "AJJ");
  EXPECT_EQ(unescape("100%"), "100%");
  EXPECT_EQ(unescape("%4"), "%4");
  EXPECT_EQ(unescape("%zz%"), "%zz%");
  EXPECT_EQ(unescape("nul%00byte"), std::string("nul\0byte", 8));
}

TEST(Uri, HostPortFormsIpv6Brackets) {
  auto u = parse_uri("sip:[2001:db8::1]:5061");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host_port(), "[2001:db8::1]:5061");
  auto v = parse_uri("sip:[2001:db8::1]");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->host_port(), "[2001:db8::1]");
}

}  // namespace
}  // namespace callwire::sip

namespace callwire::sip {
namespace {

// scan::plain_sip_uri is the eager Request-URI check's shortcut: it may say
// "don't know" (false) for anything, but "valid" only when parse_uri agrees.
TEST(Uri, PlainFormShortcutAgreesWithTheFullParse) {
  const char* plain[] = {"sip:bob@biloxi.example.com",
                         "sip:+15551234567@sip.example.com;transport=udp",
                         "SIP:alice@atlanta.example.com:5060;lr;maddr=192.0.2.1",
                         "sips:carol@192.0.2.4:5061",
                         "sip:example.com;transport=tcp",
                         "sip:a;b=c&d$e,f/g?h@example.com",
                         "sip:bob@example.com;transport=tcp;lr",
                         "sip:bob@example.com;TRANSPORT=TLS",
                         "sip:bob@example.com;lr;transport=ws"};
  for (const char* t : plain) {
    EXPECT_TRUE(scan::plain_sip_uri(t)) << t;
    auto u = parse_uri(t);
    ASSERT_TRUE(u) << t;
    EXPECT_TRUE(u->headers.empty()) << t;
  }
  const char* other[] = {"sip:bob:pw@example.com",   "sip:b%20b@example.com",   "sip:[2001:db8::1]",
                         "sip:bob@example.com?X=1",  "sip:bob@example.com;a=%41", "tel:+15551234567",
                         "sip:@example.com",         "sip:bob@",                "sip:bob@a..b",
                         "sip:bob@example.com:70000", "sip:bob@example.com:0050601", "sip:bob@example.com;",
                         "sip:bob@example.com;=x",   "sip:bob@example.com;a=",  "sip:bob@example.com x",
                         "sip:",                     "sip",                     "sip:bob@1.2.3.256",
                         "sip:bob@example.com;transport=", "sip:bob@example.com;transport=;lr",
                         "sip:bob@example.com;transport=u%64p"};
  for (const char* t : other) EXPECT_FALSE(scan::plain_sip_uri(t)) << t;
}

}  // namespace
}  // namespace callwire::sip
