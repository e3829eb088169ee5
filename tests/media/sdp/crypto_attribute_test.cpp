#include "media/sdp/crypto_attribute.hpp"

#include <gtest/gtest.h>

#include "media/sdp/errc.hpp"

namespace callwire::media::sdp {
namespace {

constexpr const char* kKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";  // 30 bytes

TEST(SdpCrypto, ParsesAllParts) {
  auto c = parse_crypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey + "|2^20|1:4 KDR=1");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->tag, 1u);
  EXPECT_EQ(c->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(c->key, kKey);
  EXPECT_EQ(c->lifetime, "2^20");
  EXPECT_EQ(c->mki, "1:4");
  EXPECT_EQ(c->session_params, "KDR=1");
  EXPECT_EQ(to_string(*c), std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey + "|2^20|1:4 KDR=1");
  EXPECT_TRUE(usable_key(*c).empty());  // MKI and session parameters: not something we key
}

TEST(SdpCrypto, UsableKeyIsThirtyBytesOfASupportedSuite) {
  auto c = parse_crypto(std::string("7 AES_CM_128_HMAC_SHA1_32 inline:") + kKey);
  ASSERT_TRUE(c);
  auto key = usable_key(*c);
  ASSERT_EQ(key.size(), 30u);
  EXPECT_EQ(base64_encode(key), kKey);

  auto other = parse_crypto(std::string("1 AES_256_CM_HMAC_SHA1_80 inline:") + kKey);
  ASSERT_TRUE(other);  // unknown suites parse and are kept
  EXPECT_TRUE(usable_key(*other).empty());

  auto short_key = parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:AAAA");
  ASSERT_TRUE(short_key);
  EXPECT_TRUE(usable_key(*short_key).empty());
}

TEST(SdpCrypto, MalformedAttributes) {
  for (const char* bad : {"", "x AES_CM_128_HMAC_SHA1_80 inline:AAAA", "1", "1 AES_CM_128_HMAC_SHA1_80",
                          "1 AES_CM_128_HMAC_SHA1_80 key:AAAA", "1 AES_CM_128_HMAC_SHA1_80 inline:",
                          "1 AES_CM_128_HMAC_SHA1_80 inline:@@@@", "1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|1:4|2:4",
                          "1234567890 AES_CM_128_HMAC_SHA1_80 inline:AAAA"}) {
    auto c = parse_crypto(bad);
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().code, make_error_code(Errc::Malformed)) << bad;
  }
}

TEST(SdpCrypto, Base64RoundTripAndPaddingOptional) {
  std::vector<std::uint8_t> bytes = {0, 1, 2, 250, 251, 252, 253};
  std::vector<std::uint8_t> back;
  auto text = base64_encode(bytes);
  EXPECT_EQ(text, "AAEC+vv8/Q==");
  ASSERT_TRUE(base64_decode(text, back));
  EXPECT_EQ(back, bytes);
  ASSERT_TRUE(base64_decode("AAEC+vv8/Q", back));
  EXPECT_EQ(back, bytes);
  EXPECT_FALSE(base64_decode("A", back));
  EXPECT_FALSE(base64_decode("AA*A", back));
}

}  // namespace
}  // namespace callwire::media::sdp
