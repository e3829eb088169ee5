#include "auth/digest_nonce.hpp"

#include <array>
#include <cstdlib>

#include <openssl/crypto.h>

#include "core/sid.hpp"

namespace callwire::auth {

namespace {

constexpr std::size_t kTimestampBytes = 8;
// Random bytes make every challenge's nonce unique: a PBX placing several
// calls per second from one address must not get the same nonce twice, or
// its second call's nc=00000001 would look like a replay of the first.
constexpr std::size_t kSaltBytes = 8;
constexpr std::size_t kMacBytes = 14;  // HMAC-SHA256 truncated: 112 bits are plenty for a nonce
constexpr std::size_t kSignedBytes = kTimestampBytes + kSaltBytes;
constexpr std::size_t kNonceBytes = kSignedBytes + kMacBytes;    // 30: a multiple of 3, so base64url has
constexpr std::size_t kNonceChars = kNonceBytes / 3 * 4;         // no leftover bits (one spelling per nonce)

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url(const unsigned char* p, std::size_t n) {
  std::string out;
  out.reserve((8 * n + 5) / 6);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | p[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kB64[(acc << (6 - bits)) & 0x3f]);
  return out;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// HMAC-SHA256(secret, ts || salt || 0 || source), first kMacBytes.
HashBytes mac(const HmacKey& key, const unsigned char* ts, std::string_view source) {
  return key.mac({std::string_view(reinterpret_cast<const char*>(ts), kSignedBytes), std::string_view("\0", 1), source});
}

}  // namespace

std::string hash_hex(DigestAlgorithm algorithm, std::string_view data) {
  return callwire::hash_hex(hash_algorithm(algorithm), {data});
}

std::string NonceSigner::issue(std::string_view source_ip, std::int64_t unix_seconds) const {
  std::array<unsigned char, kNonceBytes> raw{};
  auto t = static_cast<std::uint64_t>(unix_seconds);
  for (std::size_t i = 0; i < kTimestampBytes; ++i) raw[i] = static_cast<unsigned char>(t >> (8 * (7 - i)));
  secure_random_bytes({raw.data() + kTimestampBytes, kSaltBytes});
  auto m = mac(key_, raw.data(), source_ip);
  for (std::size_t i = 0; i < kMacBytes; ++i) raw[kSignedBytes + i] = m.bytes[i];
  return b64url(raw.data(), raw.size());
}

std::optional<std::int64_t> NonceSigner::verify(std::string_view nonce, std::string_view source_ip) const {
  if (nonce.size() != kNonceChars) return std::nullopt;
  std::array<unsigned char, kNonceBytes> raw{};
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (char c : nonce) {
    int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw[n++] = static_cast<unsigned char>(acc >> bits);
    }
  }
  // 30 bytes fill 40 characters exactly; no leftover bits to check.
  if (n != kNonceBytes) return std::nullopt;
  auto m = mac(key_, raw.data(), source_ip);
  if (CRYPTO_memcmp(m.bytes.data(), raw.data() + kSignedBytes, kMacBytes) != 0) return std::nullopt;
  std::uint64_t t = 0;
  for (std::size_t i = 0; i < kTimestampBytes; ++i) t = (t << 8) | raw[i];
  return static_cast<std::int64_t>(t);
}

std::string NonceSigner::derive(std::string_view label) const {
  return to_hex(key_.mac({label}).view().first(16));
}

}  // namespace callwire::auth
