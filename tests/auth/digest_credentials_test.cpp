#include "auth/digest_credentials.hpp"

#include <gtest/gtest.h>

namespace callwire::auth {
namespace {

TEST(DigestCredentials, ParsesEveryField) {
  auto c = parse_digest_credentials(
      R"(Digest username="alice", realm="sip.example.com", nonce="abc", uri="sip:+1@acme.sip.example.com", )"
      R"(response="0123", algorithm=MD5, cnonce="xyz", opaque="op", qop=auth, nc=00000001)");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->realm, "sip.example.com");
  EXPECT_EQ(c->nonce, "abc");
  EXPECT_EQ(c->uri, "sip:+1@acme.sip.example.com");
  EXPECT_EQ(c->response, "0123");
  EXPECT_EQ(c->algorithm, "MD5");
  EXPECT_EQ(c->cnonce, "xyz");
  EXPECT_EQ(c->opaque, "op");
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->nc, "00000001");
  EXPECT_TRUE(c->has_qop && c->has_nc && c->has_cnonce && c->has_opaque && c->has_algorithm);
}

TEST(DigestCredentials, LenientSpellings) {
  // Scheme and names in any case, quoted qop/nc/algorithm, LWS around '=',
  // empty list elements, unquoted uri, unknown parameters.
  auto c = parse_digest_credentials(
      "  dIgEsT  USERNAME = \"bob\" ,,Realm=\"r\",nonce=\"n\",uri=sip:bob@h;transport=udp,response=\"R\","
      "qop=\"auth\",NC=\"0000000a\",cnonce=\"c\",algorithm=\"SHA-256\",userhash=false, x-extra=\"1,2\"  ");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->username, "bob");
  EXPECT_EQ(c->uri, "sip:bob@h;transport=udp");
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->nc, "0000000a");
  EXPECT_EQ(c->algorithm, "SHA-256");
}

TEST(DigestCredentials, QuotedStringEscapes) {
  auto c = parse_digest_credentials(R"(Digest username="a\"b\\c, d", realm="", nonce="n", uri="u", response="r")");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->username, "a\"b\\c, d");
  EXPECT_EQ(c->realm, "");
  EXPECT_FALSE(c->has_qop);
}

TEST(DigestCredentials, ValueLengthLimitWithAndWithoutEscapes) {
  const std::string rest = R"(, realm="r", nonce="n", uri="u", response="x")";
  const std::string at_limit(kMaxCredentialsParam, 'v');
  for (const std::string& value : {"\"" + at_limit + "\"", at_limit, "\"\\v" + at_limit.substr(1) + "\"",
                                   "\"" + at_limit.substr(1) + "\\\\\""}) {
    auto c = parse_digest_credentials("Digest username=" + value + rest);
    ASSERT_TRUE(c) << value.substr(0, 8);
    EXPECT_EQ(c->username.size(), kMaxCredentialsParam);
  }
  // An escaped backslash last, the character at the limit.
  EXPECT_EQ(parse_digest_credentials("Digest username=\"" + at_limit.substr(1) + "\\\\\"" + rest)->username.back(), '\\');
  for (const std::string& value : {"\"" + at_limit + "v\"", at_limit + "v", "\"\\v" + at_limit + "\"",
                                   std::string("\"a\\\"b\nc\""), std::string("\"a\\\"b\rc\"")}) {
    EXPECT_FALSE(parse_digest_credentials("Digest username=" + value + rest)) << value.substr(0, 8);
  }
}

TEST(DigestCredentials, RejectsMalformedInput) {
  const std::string ok = R"(username="a", realm="r", nonce="n", uri="u", response="x")";
  const std::string cases[] = {
      "",
      "Digest",
      "Digest ",
      "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
      "Digestusername=\"a\"",
      "Digest " + ok + ", username=\"b\"",            // repeated
      "Digest " + ok + ", qop=auth",                  // qop without nc/cnonce
      "Digest " + ok + ", qop=auth, nc=00000001",     // no cnonce
      "Digest realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"",  // no username
      "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\"",  // no response
      "Digest username=\"a",                          // unterminated
      "Digest username=\"a\\",                        // escape at the end
      "Digest username=\"a\" realm=\"r\"",            // missing comma
      "Digest username",                              // no '='
      "Digest =\"a\"",                                // no name
      "Digest username=\"a\rb\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"",
      "Digest username=a\x01, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"",
      "Digest username=a\"b, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"",
      "Digest " + ok + ", x=" + std::string(2000, 'y'),
      "Digest " + ok + ", x=\"" + std::string(2000, 'y') + "\"",
      "Digest " + ok + ", " + std::string(5000, ','),
      std::string("Digest username=\"a") + '\0' + "\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"",
  };
  for (const auto& c : cases) EXPECT_FALSE(parse_digest_credentials(c)) << c;
  std::string many = "Digest " + ok;
  for (int i = 0; i < 40; ++i) many += ", p" + std::to_string(i) + "=1";
  EXPECT_FALSE(parse_digest_credentials(many));
}

TEST(DigestCredentials, EveryPrefixAndByteFlipIsHandled) {
  // Grind: no input shape may crash the parser (run under ASan in CI).
  const std::string full =
      R"(Digest username="alice", realm="sip.example.com", nonce="abc", uri="sip:x@y", response="0123", )"
      R"(algorithm=MD5, cnonce="xyz", opaque="op", qop=auth, nc=00000001)";
  int parsed = 0;
  for (std::size_t n = 0; n <= full.size(); ++n) parsed += parse_digest_credentials(full.substr(0, n)).has_value();
  EXPECT_GE(parsed, 1);
  for (std::size_t i = 0; i < full.size(); ++i) {
    for (char c : {'"', '\\', ',', '=', ' ', '\0', '\n'}) {
      std::string m = full;
      m[i] = c;
      (void)parse_digest_credentials(m);
    }
  }
}

}  // namespace
}  // namespace callwire::auth
