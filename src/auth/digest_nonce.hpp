#pragma once
// Stateless digest nonces: base64url(timestamp || 8 random bytes ||
// HMAC-SHA256(secret, timestamp || random || source address) truncated to
// 112 bits), 40 characters. Only the holder of the secret can mint one, one
// minted for another source does not verify here, and no two challenges
// share a nonce (so nonce-count replay tracking works per challenge). Also the
// hash helper digest needs (core/digest_hash.hpp underneath).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/digest_hash.hpp"

namespace callwire::auth {

enum class DigestAlgorithm { Md5, Sha256 };

constexpr HashAlgorithm hash_algorithm(DigestAlgorithm a) {
  return a == DigestAlgorithm::Md5 ? HashAlgorithm::Md5 : HashAlgorithm::Sha256;
}

// Lowercase hex of H(data).
std::string hash_hex(DigestAlgorithm algorithm, std::string_view data);

class NonceSigner {
 public:
  // The secret keys an HMAC-SHA256 prepared once (core::HmacKey).
  explicit NonceSigner(std::string_view secret) : key_(HashAlgorithm::Sha256, secret) {}

  std::string issue(std::string_view source_ip, std::int64_t unix_seconds) const;
  // The nonce's timestamp when it was issued by this signer to `source_ip`;
  // nullopt for anything else (other source, other secret, not a nonce).
  std::optional<std::int64_t> verify(std::string_view nonce, std::string_view source_ip) const;
  // A value derived from the secret and `label` (hex), for the opaque.
  std::string derive(std::string_view label) const;

 private:
  HmacKey key_;
};

}  // namespace callwire::auth
