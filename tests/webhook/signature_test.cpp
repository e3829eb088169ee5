// Contract 9.7 test vectors.
#include "webhook/signature.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace callwire::webhook {
namespace {

const std::string kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const Params kVector1 = {{"CallSid", "CA1234567890ABCDE"},
                         {"Caller", "+14158675309"},
                         {"Digits", "1234"},
                         {"From", "+14158675309"},
                         {"To", "+18005551212"}};

TEST(Signature, Vector1) { EXPECT_EQ(sign(kUrl, kVector1, "12345"), "RSOYDt4T1cUTdK1PDd93/VVr8B8="); }

TEST(Signature, OrderOfParamsDoesNotMatter) {
  Params reversed(kVector1.rbegin(), kVector1.rend());
  EXPECT_EQ(sign(kUrl, reversed, "12345"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

TEST(Signature, RepeatedNameSortedByValueAndDeduplicated) {
  Params params = {{"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}, {"Digits", "1234"}};
  EXPECT_EQ(string_to_sign(kUrl, params), kUrl + "Digits1234Digits5678SidCA123SidAccountAC123");
  EXPECT_EQ(sign(kUrl, params, "12345"), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
  // The contract's value for the form without de-duplication, as a URL-only
  // signature of that exact string: callwire does not produce it for these params.
  const std::string undeduplicated = kUrl + "Digits1234Digits1234Digits5678SidCA123SidAccountAC123";
  EXPECT_EQ(sign(undeduplicated, {}, "12345"), "tM//N+MVWOh7+ol2z8YCNxSY0Eg=");
  EXPECT_NE(sign(kUrl, params, "12345"), "tM//N+MVWOh7+ol2z8YCNxSY0Eg=");
}

TEST(Signature, ExplicitPortIsADifferentString) {
  EXPECT_EQ(sign("https://mycompany.com:443/myapp.php?foo=1&bar=2", kVector1, "12345"), "kvajT1Ptam85bY51eRf/AJRuM3w=");
}

TEST(Signature, JsonBodyVectorSignsTheUrlAlone) {
  const std::string url =
      kUrl + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  EXPECT_EQ(sign(url, {}, "12345"), "a9nBmqA0ju/hNViExpshrM61xv4=");
}

TEST(Signature, KeyMatters) {
  EXPECT_NE(sign(kUrl, kVector1, "12346"), sign(kUrl, kVector1, "12345"));
  EXPECT_EQ(sign(kUrl, {}, "12345").size(), 28u);  // Base64 of 20 bytes
}

// sign() computes HMAC-SHA1 itself (a digest fetched once per thread): it must
// agree with OpenSSL's HMAC() for keys shorter than, equal to and longer than
// SHA-1's 64-byte block (a longer key is hashed first).
TEST(Signature, AgreesWithOpenSslHmacForEveryKeyLength) {
  for (std::size_t len : {0u, 1u, 32u, 63u, 64u, 65u, 200u}) {
    std::string key;
    for (std::size_t i = 0; i < len; ++i) key += static_cast<char>('a' + i % 26);
    const std::string data = string_to_sign(kUrl, kVector1);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    ASSERT_NE(HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
                   data.size(), mac, &mac_len),
              nullptr);
    std::string b64(4 * ((mac_len + 2) / 3), '\0');
    b64.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(mac_len))));
    EXPECT_EQ(sign(kUrl, kVector1, key), b64) << "key length " << len;
  }
}

}  // namespace
}  // namespace callwire::webhook
