#include "core/digest_hash.hpp"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace callwire {
namespace {

// References straight from OpenSSL's one-shot calls.
const EVP_MD* md_of(HashAlgorithm a) {
  switch (a) {
    case HashAlgorithm::Md5: return EVP_md5();
    case HashAlgorithm::Sha1: return EVP_sha1();
    case HashAlgorithm::Sha256: return EVP_sha256();
  }
  return nullptr;
}

std::string reference_digest(HashAlgorithm a, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out, &len, md_of(a), nullptr), 1);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string reference_hmac(HashAlgorithm a, const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_NE(HMAC(md_of(a), key.data(), static_cast<int>(key.size()),
                 reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len),
            nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string bytes(const HashBytes& h) { return std::string(reinterpret_cast<const char*>(h.bytes.data()), h.size); }

// Bytes that are not all alike, so a swapped or dropped piece shows.
std::string filler(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed * 17 + 7) & 0xff);
  return s;
}

constexpr HashAlgorithm kAlgorithms[] = {HashAlgorithm::Md5, HashAlgorithm::Sha1, HashAlgorithm::Sha256};
// Around the 64-byte block and its 55/56-byte padding boundary, and long.
constexpr std::size_t kSizes[] = {0, 1, 3, 20, 32, 55, 56, 63, 64, 65, 127, 128, 129, 1000};

TEST(DigestHash, SizesMatchOpenSsl) {
  for (auto a : kAlgorithms) {
    EXPECT_EQ(hash_size(a), static_cast<std::size_t>(EVP_MD_get_size(md_of(a))));
    EXPECT_EQ(hash(a, {"x"}).size, hash_size(a));
  }
}

TEST(DigestHash, KnownVectors) {
  EXPECT_EQ(hash_hex(HashAlgorithm::Md5, {"abc"}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hash_hex(HashAlgorithm::Sha1, {"abc"}), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hash_hex(HashAlgorithm::Sha256, {"abc"}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac(HashAlgorithm::Sha256, "Jefe", {"what do ya want ", "for nothing?"}).hex(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DigestHash, DigestAgreesWithEvpDigestForEverySize) {
  for (auto a : kAlgorithms) {
    for (auto n : kSizes) {
      const auto data = filler(n, 1);
      EXPECT_EQ(bytes(hash(a, {data})), reference_digest(a, data)) << static_cast<int>(a) << " size " << n;
      // Split into pieces at every third of the data, with empty pieces.
      const std::string_view v = data;
      const auto third = n / 3;
      EXPECT_EQ(bytes(hash(a, {v.substr(0, third), "", v.substr(third, third), v.substr(2 * third)})),
                reference_digest(a, data))
          << static_cast<int>(a) << " size " << n;
    }
  }
}

TEST(DigestHash, HexIsLowercaseOfTheBytes) {
  const auto h = hash(HashAlgorithm::Sha1, {"hex"});
  const auto hex = h.hex();
  ASSERT_EQ(hex.size(), 40u);
  EXPECT_EQ(hex, to_hex(h.view()));
  for (char c : hex) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << hex;
  char buf[2 * kMaxHashSize];
  EXPECT_EQ(h.hex(buf), 40u);
  EXPECT_EQ(std::string(buf, 40), hex);
}

TEST(DigestHash, HmacAgreesWithOpenSslForEveryKeyAndDataSize) {
  for (auto a : kAlgorithms) {
    for (auto k : kSizes) {
      const auto key = filler(k, 2);
      const HmacKey prepared(a, key);
      for (auto n : kSizes) {
        const auto data = filler(n, 3);
        const auto want = reference_hmac(a, key, data);
        EXPECT_EQ(bytes(hmac(a, key, {data})), want) << static_cast<int>(a) << " key " << k << " data " << n;
        const std::string_view v = data;
        EXPECT_EQ(bytes(prepared.mac({v.substr(0, n / 2), v.substr(n / 2)})), want)
            << static_cast<int>(a) << " key " << k << " data " << n;
      }
    }
  }
}

TEST(DigestHash, HmacKeyGivesTheSameMacEveryTime) {
  const HmacKey key(HashAlgorithm::Sha256, "secret");
  const auto first = bytes(key.mac({"data"}));
  // Other hashing on this thread in between must not disturb the key's state.
  (void)hash(HashAlgorithm::Md5, {"other"});
  (void)hmac(HashAlgorithm::Sha1, "k", {"other"});
  EXPECT_EQ(bytes(key.mac({"data"})), first);
  EXPECT_EQ(bytes(key.mac({"da", "ta"})), first);
  EXPECT_NE(bytes(key.mac({"datb"})), first);
}

TEST(DigestHash, MovedHmacKeyKeepsItsKey) {
  HmacKey a(HashAlgorithm::Sha256, "one");
  const auto want = reference_hmac(HashAlgorithm::Sha256, "one", "x");
  HmacKey b(std::move(a));
  EXPECT_EQ(bytes(b.mac({"x"})), want);
  HmacKey c(HashAlgorithm::Md5, "two");
  c = std::move(b);
  EXPECT_EQ(c.algorithm(), HashAlgorithm::Sha256);
  EXPECT_EQ(bytes(c.mac({"x"})), want);
}

TEST(DigestHash, OneKeySharedByThreads) {
  const HmacKey key(HashAlgorithm::Sha256, filler(40, 4));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const auto data = filler(static_cast<std::size_t>(i % 130), static_cast<unsigned>(t));
        if (bytes(key.mac({data})) != reference_hmac(HashAlgorithm::Sha256, filler(40, 4), data)) ++mismatches[t];
        if (bytes(hash(HashAlgorithm::Md5, {data})) != reference_digest(HashAlgorithm::Md5, data)) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace callwire
