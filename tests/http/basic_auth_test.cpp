#include "http/basic_auth.hpp"

#include <gtest/gtest.h>

namespace callwire::http {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> v[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                   {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                   {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : v) {
    EXPECT_EQ(base64_encode(plain), enc);
    EXPECT_EQ(base64_decode(enc), plain);
  }
  EXPECT_EQ(base64_encode("\xff\xfe"), "//4=");
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v!", "Zm 9v", "Zh==", "Zm9=", "=Zm9", "Zg==Zg=="}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

TEST(BasicAuth, ParsesGoodCredentials) {
  auto header = format_basic_auth("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "0123456789abcdef0123456789abcdef");
  auto c = parse_basic_auth(header);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(c->password, "0123456789abcdef0123456789abcdef");

  // "Aladdin:open sesame" (RFC 7617), scheme in any case, extra spaces.
  c = parse_basic_auth("  basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ==  ");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, (BasicCredentials{"Aladdin", "open sesame"}));

  // The password may contain ':' and may be empty.
  c = parse_basic_auth(format_basic_auth("user", "a:b:c"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, "a:b:c");
  c = parse_basic_auth(format_basic_auth("user", ""));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, "");
}

TEST(BasicAuth, MalformedGivesNothing) {
  EXPECT_FALSE(parse_basic_auth(""));
  EXPECT_FALSE(parse_basic_auth("Basic"));
  EXPECT_FALSE(parse_basic_auth("Basic "));
  EXPECT_FALSE(parse_basic_auth("Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
  EXPECT_FALSE(parse_basic_auth("BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
  EXPECT_FALSE(parse_basic_auth("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ"));   // bad padding
  EXPECT_FALSE(parse_basic_auth("Basic QWxhZGRp*jpvcGVuIHNlc2FtZQ=="));  // bad alphabet
  EXPECT_FALSE(parse_basic_auth("Basic " + base64_encode("nocolon")));   // missing colon
  EXPECT_FALSE(parse_basic_auth("Basic " + base64_encode(":password")));  // empty user
  EXPECT_FALSE(parse_basic_auth("Digest username=\"a\""));
}

}  // namespace
}  // namespace callwire::http
