// Client Digest against the worked examples of RFC 2617 §3.5 and RFC 7616
// §3.9.1, and the challenge parser's refusals.
#include "sip/stack/client_digest.hpp"

#include <gtest/gtest.h>

namespace callwire::sip {
namespace {

DigestAnswer mufasa(std::string password, std::string cnonce) {
  DigestAnswer a;
  a.username = "Mufasa";
  a.password = std::move(password);
  a.method = "GET";
  a.uri = "/dir/index.html";
  a.cnonce = std::move(cnonce);
  a.nc = 1;
  return a;
}

TEST(ClientDigest, Rfc2617Example) {
  auto c = parse_digest_challenge(
      "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->realm, "testrealm@host.com");
  EXPECT_TRUE(c->qop_auth);
  EXPECT_TRUE(c->qop_auth_int);
  EXPECT_EQ(c->algorithm, DigestAlgorithm::Md5);
  auto a = mufasa("Circle Of Life", "0a4f113b");
  EXPECT_EQ(digest_response(*c, a), "6629fae49393a05397450978507c4ef1");
  std::string creds = digest_credentials(*c, a);
  EXPECT_NE(creds.find("response=\"6629fae49393a05397450978507c4ef1\""), std::string::npos) << creds;
  EXPECT_NE(creds.find("qop=auth,"), std::string::npos) << creds;
  EXPECT_NE(creds.find("nc=00000001"), std::string::npos);
  EXPECT_NE(creds.find("cnonce=\"0a4f113b\""), std::string::npos);
  EXPECT_NE(creds.find("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), std::string::npos);
  EXPECT_EQ(creds.find("algorithm="), std::string::npos);  // not named in the challenge
}

constexpr const char* kRfc7616 =
    "Digest\r\n realm=\"http-auth@example.org\",\r\n qop=\"auth, auth-int\",\r\n algorithm=%s,\r\n"
    " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
    " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

std::string rfc7616(std::string_view algorithm) {
  std::string s = kRfc7616;
  s.replace(s.find("%s"), 2, algorithm);
  return s;
}

TEST(ClientDigest, Rfc7616ExamplesMd5AndSha256) {
  auto a = mufasa("Circle of Life", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
  auto md5 = parse_digest_challenge(rfc7616("MD5"));
  ASSERT_TRUE(md5) << md5.error().what();
  EXPECT_EQ(digest_response(*md5, a), "8ca523f5e9506fed4657c9700eebdbec");
  auto sha = parse_digest_challenge(rfc7616("SHA-256"));
  ASSERT_TRUE(sha) << sha.error().what();
  EXPECT_EQ(sha->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(digest_response(*sha, a), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  EXPECT_NE(digest_credentials(*sha, a).find("algorithm=SHA-256"), std::string::npos);
}

TEST(ClientDigest, WithoutQopUsesTheRfc2069Form) {
  auto c = parse_digest_challenge("Digest realm=\"sip.example\", nonce=\"abc\"");
  ASSERT_TRUE(c);
  auto a = mufasa("Circle Of Life", "ignored");
  // The RFC 2617 example's HA1 and HA2 with realm/nonce changed, combined as
  // MD5(HA1:nonce:HA2), against a response computed differently: from the
  // qop form the two must differ, and the credentials carry no qop/nc/cnonce.
  std::string creds = digest_credentials(*c, a);
  EXPECT_EQ(creds.find("qop="), std::string::npos);
  EXPECT_EQ(creds.find("cnonce="), std::string::npos);
  DigestChallenge with_qop = *c;
  with_qop.qop_auth = true;
  EXPECT_NE(digest_response(*c, a), digest_response(with_qop, a));
  EXPECT_EQ(digest_response(*c, a).size(), 32u);
}

TEST(ClientDigest, QuotedStringsWithEscapesAndStale) {
  auto c = parse_digest_challenge("digest realm=\"a \\\"quoted\\\" realm\",nonce=n1,stale=TRUE,domain=\"sip:x\"");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->realm, "a \"quoted\" realm");
  EXPECT_EQ(c->nonce, "n1");
  EXPECT_TRUE(c->stale);
  auto a = mufasa("pw", "c");
  a.username = "we\"ird";
  EXPECT_NE(digest_credentials(*c, a).find("username=\"we\\\"ird\""), std::string::npos);
}

TEST(ClientDigest, RefusesWhatItCannotAnswer) {
  EXPECT_FALSE(parse_digest_challenge("Basic realm=\"x\""));
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\""));                        // no nonce
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-512-256"));
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\", nonce=\"y\", qop=\"auth-conf\""));
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x, nonce=\"y\""));              // unterminated
  EXPECT_FALSE(parse_digest_challenge("Digest realm"));
  EXPECT_FALSE(parse_digest_challenge(""));
}

TEST(ClientDigest, RefusesBadTokensAndControlCharacters) {
  // Found by client_digest_fuzz: an unquoted value is a token, and a quote is not a token character.
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\", nonce=t\", stale=true"));
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\", nonce=\"a\rb\""));  // would reach our Authorization
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\", nonce="));            // empty token
  EXPECT_FALSE(parse_digest_challenge("Digest re@lm=\"x\", nonce=\"y\""));
  auto ok = parse_digest_challenge("Digest realm=\"x\", nonce=abc-1.2_3");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->nonce, "abc-1.2_3");
}

}  // namespace
}  // namespace callwire::sip
