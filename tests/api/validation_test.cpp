#include "api/validation.hpp"

#include <gtest/gtest.h>

#include "api/bootstrap.hpp"
#include "api/digest.hpp"
#include "api/auth.hpp"

namespace callwire::api {
namespace {

TEST(Sid, NormalizesHexCase) {
  EXPECT_EQ(normalize_sid("SD0123456789ABCDEF0123456789abcdef", "SD"), "SD0123456789abcdef0123456789abcdef");
  EXPECT_FALSE(normalize_sid("sd0123456789abcdef0123456789abcdef", "SD"));
  EXPECT_FALSE(normalize_sid("SD0123456789abcdef0123456789abcde", "SD"));
  EXPECT_FALSE(normalize_sid("CL0123456789abcdef0123456789abcdef", "SD"));
  EXPECT_FALSE(normalize_sid("SD0123456789abcdef0123456789abcdeg", "SD"));
}

TEST(FriendlyName, CountsCharactersNotBytes) {
  EXPECT_TRUE(check_friendly_name(std::string(64, 'a'), 64));
  auto r = check_friendly_name(std::string(65, 'a'), 64);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kCodeInvalidFriendlyName);
  EXPECT_EQ(r.error().status, 400);
  std::string e_acute;
  for (int i = 0; i < 64; ++i) e_acute += "\xc3\xa9";  // 64 × "é" = 128 bytes
  EXPECT_TRUE(check_friendly_name(e_acute, 64));
  EXPECT_FALSE(check_friendly_name("\xc3", 64));        // truncated sequence
  EXPECT_FALSE(check_friendly_name("\xc0\xaf", 64));    // overlong '/'
  EXPECT_FALSE(check_friendly_name("\xed\xa0\x80", 64));  // surrogate
  EXPECT_TRUE(check_friendly_name("", 64));
}

TEST(Url, AcceptsAbsoluteHttpAndHttps) {
  for (const char* ok : {"http://example.com", "https://example.com/voice?x=1#rc=2", "HTTPS://EXAMPLE.COM:8443/a",
                         "http://127.0.0.1:8080/", "http://[::1]:8080/x", "https://user:pw@host.example/path"}) {
    EXPECT_TRUE(check_url("VoiceUrl", ok)) << ok;
  }
}

TEST(Url, RefusesEverythingElse) {
  for (const char* bad : {"", "example.com/voice", "ftp://example.com", "http://", "http:///path",
                          "http://exa mple.com", "http://example.com/a b", "http://host:0/", "http://host:65536/",
                          "http://host:/", "http://[::1/", "http://[zz]/", "http://ho$t/", "javascript:alert(1)",
                          "http://host\x01/"}) {
    auto r = check_url("VoiceUrl", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, kCodeInvalidUrl) << bad;
    EXPECT_NE(r.error().message.find("VoiceUrl"), std::string::npos);
  }
  EXPECT_FALSE(check_url("VoiceUrl", "http://h/" + std::string(5000, 'a')));
}

TEST(Method, CaseInsensitiveStoredUpper) {
  EXPECT_EQ(parse_http_method("VoiceMethod", "get"), "GET");
  EXPECT_EQ(parse_http_method("VoiceMethod", "Post"), "POST");
  for (const char* bad : {"", "PUT", "DELETE", "GETX", " GET"}) {
    auto r = parse_http_method("VoiceMethod", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, kCodeInvalidMethod);
  }
}

TEST(Boolean, OnlyTrueFalse) {
  EXPECT_EQ(parse_boolean("Secure", "true"), true);
  EXPECT_EQ(parse_boolean("Secure", "False"), false);
  for (const char* bad : {"", "1", "0", "yes", "true "}) {
    auto r = parse_boolean("Secure", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, kCodeInvalidParameter);
  }
}

TEST(Password, NamesTheFailedRule) {
  EXPECT_TRUE(check_password("IWasAtSignal2018"));
  auto message = [](const char* p) {
    auto r = check_password(p);
    return r ? std::string("ok") : r.error().message;
  };
  EXPECT_NE(message("Short1Aa").find("at least 12 characters"), std::string::npos);
  EXPECT_NE(message("NoDigitsHereAtAll").find("digit"), std::string::npos);
  EXPECT_NE(message("alllowercase123").find("upper-case"), std::string::npos);
  EXPECT_NE(message("ALLUPPERCASE123").find("lower-case"), std::string::npos);
  // 12 characters, not 12 bytes.
  EXPECT_NE(message("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" "Aa1").find("12 characters"), std::string::npos);
}

TEST(Username, CharsetAndLength) {
  EXPECT_TRUE(check_username("alice"));
  EXPECT_TRUE(check_username("a.b-c_d+1;x=y"));
  EXPECT_TRUE(check_username(std::string(32, 'u')));
  EXPECT_FALSE(check_username(std::string(33, 'u')));
  for (const char* bad : {"al ice", "a:b", "a@b", "a\"b", "a\\b", "a%41", "ü"}) EXPECT_FALSE(check_username(bad)) << bad;
}

TEST(IpLiteral, FullAddressesOnly) {
  auto v4 = parse_ip_literal("192.0.2.10");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->text, "192.0.2.10");
  EXPECT_FALSE(v4->v6);
  auto v6 = parse_ip_literal("2001:DB8:0:0::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->text, "2001:db8::1");
  EXPECT_TRUE(v6->v6);
  for (const char* bad : {"", "192.0.2.*", "192.0.2.0/24", "192.0.2.1-192.0.2.9", "192.0.2", "256.1.1.1",
                          "01.2.3.4", " 192.0.2.1", "fe80::1%eth0", "example.com", "::ffff:1.2.3.4.5"}) {
    auto r = parse_ip_literal(bad);
    EXPECT_FALSE(r) << bad;
  }
  auto wildcard = parse_ip_literal("10.0.0.*");
  ASSERT_FALSE(wildcard);
  EXPECT_NE(wildcard.error().message.find("CidrPrefixLength"), std::string::npos);
}

TEST(Cidr, RangePerFamily) {
  EXPECT_EQ(parse_cidr_prefix("0", false), 0);
  EXPECT_EQ(parse_cidr_prefix("32", false), 32);
  EXPECT_FALSE(parse_cidr_prefix("33", false));
  EXPECT_EQ(parse_cidr_prefix("128", true), 128);
  EXPECT_FALSE(parse_cidr_prefix("129", true));
  EXPECT_FALSE(parse_cidr_prefix("-1", false));
  EXPECT_FALSE(parse_cidr_prefix("8a", false));
  EXPECT_FALSE(parse_cidr_prefix("", false));
}

TEST(Digest, Ha1MatchesKnownValues) {
  // RFC 2617 §3.5: HA1 of Mufasa:testrealm@host.com:Circle Of Life.
  EXPECT_EQ(ha1_md5("Mufasa", "testrealm@host.com", "Circle Of Life"), "939e7578ed9e3c518a452acee763bce9");
  // RFC 7616 §3.9.1 (SHA-256 with realm http-auth@example.org).
  EXPECT_EQ(ha1_sha256("Mufasa", "http-auth@example.org", "Circle of Life"),
            "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232");
}

TEST(Token, ConstantTimeCompareIsEquality) {
  EXPECT_TRUE(token_equals("0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(token_equals("0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdee"));
  EXPECT_FALSE(token_equals("0123456789abcdef", "0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(is_auth_token("0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(is_auth_token("0123456789abcdef0123456789abcdeg"));
  EXPECT_FALSE(is_auth_token("0123456789abcdef"));
}

}  // namespace
}  // namespace callwire::api
