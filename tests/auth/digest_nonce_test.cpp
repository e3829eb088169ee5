#include "auth/digest_nonce.hpp"

#include <array>
#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace callwire::auth {
namespace {

// The nonce's bytes, decoded independently of the signer.
std::string unb64url(std::string_view s) {
  std::string b64(s);
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  std::string out(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  EXPECT_EQ(n, static_cast<int>(out.size()));
  return out;
}

std::string reference_hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

// Secrets around HMAC-SHA256's 64-byte block (a longer one is hashed first).
const std::array<std::string, 5> kSecrets = {"k", std::string(32, 's'), std::string(64, '\x5c'),
                                             std::string(65, '\x36'), std::string(200, 'x')};

TEST(DigestNonce, MacIsHmacSha256OfTimeSaltAndSource) {
  for (const auto& secret : kSecrets) {
    NonceSigner signer(secret);
    for (const std::string& source : {std::string("192.0.2.1"), std::string("2001:db8::1"), std::string(300, 'a')}) {
      const auto nonce = signer.issue(source, 1'700'000'000);
      ASSERT_EQ(nonce.size(), 40u);
      const auto raw = unb64url(nonce);
      ASSERT_EQ(raw.size(), 30u);
      EXPECT_EQ(raw.substr(0, 8), std::string("\0\0\0\0\x65\x53\xf1\x00", 8));
      std::string input = raw.substr(0, 16);
      input.push_back('\0');
      input += source;
      EXPECT_EQ(raw.substr(16), reference_hmac(secret, input).substr(0, 14))
          << "secret size " << secret.size() << " source " << source;
      EXPECT_EQ(signer.verify(nonce, source), 1'700'000'000);
    }
  }
}

TEST(DigestNonce, DeriveIsHexOfTruncatedHmac) {
  for (const auto& secret : kSecrets) {
    const auto mac = reference_hmac(secret, "opaque\nsip.example.com");
    std::string hex;
    char buf[3];
    for (int i = 0; i < 16; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(mac[i]));
      hex += buf;
    }
    EXPECT_EQ(NonceSigner(secret).derive("opaque\nsip.example.com"), hex) << "secret size " << secret.size();
  }
}

TEST(DigestNonce, RejectsOtherSourceOtherSecretAndTampering) {
  NonceSigner signer("0123456789abcdef0123456789abcdef");
  const auto nonce = signer.issue("192.0.2.1", 1'700'000'000);
  EXPECT_NE(signer.issue("192.0.2.1", 1'700'000'000), nonce);  // salted
  EXPECT_EQ(signer.verify(nonce, "192.0.2.2"), std::nullopt);
  EXPECT_EQ(NonceSigner("another secret").verify(nonce, "192.0.2.1"), std::nullopt);
  for (std::size_t i = 0; i < nonce.size(); ++i) {
    auto bad = nonce;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(signer.verify(bad, "192.0.2.1"), std::nullopt) << i;
  }
  EXPECT_EQ(signer.verify(nonce.substr(1), "192.0.2.1"), std::nullopt);
  EXPECT_EQ(signer.verify(nonce + "A", "192.0.2.1"), std::nullopt);
}

TEST(DigestNonce, HashHexMatchesEvpDigest) {
  EXPECT_EQ(hash_hex(DigestAlgorithm::Md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hash_hex(DigestAlgorithm::Sha256, ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace callwire::auth
