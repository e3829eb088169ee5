#pragma once
// MD5, SHA-1 and SHA-256 digests and HMACs (RFC 2104) over OpenSSL digests
// fetched once per thread. OpenSSL 3's one-shot EVP_Digest() and HMAC()
// fetch the digest (and the MAC) by name on every call, which costs more
// than hashing a few hundred bytes. Data is passed as pieces, hashed as if
// concatenated, so callers need not build the string first.
//
// HmacKey keys an HMAC once: the key's inner and outer blocks are hashed at
// construction, and each mac() copies those states and finishes them, two
// hash finalisations instead of four compressions and a key schedule.
//
// Results are those of EVP_Digest() / HMAC(); a digest OpenSSL cannot
// provide (MD5 under a FIPS-only configuration) aborts, because then no
// credential could ever verify and the operator must know.
#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace callwire {

enum class HashAlgorithm { Md5, Sha1, Sha256 };

inline constexpr std::size_t kMaxHashSize = 32;

constexpr std::size_t hash_size(HashAlgorithm a) {
  switch (a) {
    case HashAlgorithm::Md5: return 16;
    case HashAlgorithm::Sha1: return 20;
    case HashAlgorithm::Sha256: return 32;
  }
  return 0;
}

struct HashBytes {
  std::array<unsigned char, kMaxHashSize> bytes{};
  std::size_t size = 0;

  std::span<const unsigned char> view() const { return {bytes.data(), size}; }
  // Lowercase hex, 2 * size characters.
  std::string hex() const;
  // Writes the lowercase hex to `out` (room for 2 * size); returns its length.
  std::size_t hex(char* out) const;
};

// Lowercase hex of `bytes`.
std::string to_hex(std::span<const unsigned char> bytes);

using HashPieces = std::initializer_list<std::string_view>;

// H(pieces concatenated).
HashBytes hash(HashAlgorithm algorithm, HashPieces pieces);
HashBytes hash(HashAlgorithm algorithm, std::span<const std::string_view> pieces);
inline std::string hash_hex(HashAlgorithm algorithm, HashPieces pieces) { return hash(algorithm, pieces).hex(); }

// HMAC-H(key, pieces concatenated).
HashBytes hmac(HashAlgorithm algorithm, std::string_view key, HashPieces data);
HashBytes hmac(HashAlgorithm algorithm, std::string_view key, std::span<const std::string_view> data);

// An HMAC key prepared once, for many MACs under it. Thread-safe: mac() only
// reads the prepared states. Movable, not copyable.
class HmacKey {
 public:
  HmacKey(HashAlgorithm algorithm, std::string_view key);
  ~HmacKey();
  HmacKey(HmacKey&& other) noexcept;
  HmacKey& operator=(HmacKey&& other) noexcept;
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;

  HashAlgorithm algorithm() const { return algorithm_; }
  HashBytes mac(HashPieces data) const;
  HashBytes mac(std::span<const std::string_view> data) const;

 private:
  HashAlgorithm algorithm_;
  evp_md_ctx_st* inner_ = nullptr;  // after H's update with key ^ ipad
  evp_md_ctx_st* outer_ = nullptr;  // after H's update with key ^ opad
};

}  // namespace callwire
