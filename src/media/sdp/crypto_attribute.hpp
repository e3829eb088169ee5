#pragma once
// a=crypto (RFC 4568, SDES): "<tag> <suite> inline:<key||salt>[|lifetime][|MKI:len][;more] [params]".
// Suites we can key are AES_CM_128_HMAC_SHA1_80 and _32 (30-byte key||salt);
// other suites are parsed and kept so negotiation can skip them.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace callwire::media::sdp {

inline constexpr std::string_view kAesCm128Sha1_80 = "AES_CM_128_HMAC_SHA1_80";
inline constexpr std::string_view kAesCm128Sha1_32 = "AES_CM_128_HMAC_SHA1_32";
inline constexpr std::size_t kAesCm128KeySaltBytes = 30;  // 16-byte key + 14-byte salt

struct CryptoAttribute {
  std::uint32_t tag = 1;
  std::string suite;
  std::string key;               // base64 key||salt of the first inline key-param
  std::string lifetime;          // "2^20" or "" when absent
  std::string mki;               // "1:4" or "" when absent
  std::string more_key_params;   // further ';'-separated key-params, verbatim
  std::string session_params;    // everything after the key-params, verbatim

  bool operator==(const CryptoAttribute&) const = default;
};

// Parses the value after "a=crypto:".
[[nodiscard]] Result<CryptoAttribute> parse_crypto(std::string_view value);
// The value for "a=crypto:".
std::string to_string(const CryptoAttribute& crypto);

// True for the two AES_CM_128 suites we can key.
bool is_supported_suite(std::string_view suite);
// The decoded key||salt when the attribute uses a supported suite, carries no
// MKI and its key decodes to exactly 30 bytes; empty otherwise.
std::vector<std::uint8_t> usable_key(const CryptoAttribute& crypto);

std::string base64_encode(std::span<const std::uint8_t> bytes);
// Empty optional-like result: returns false on invalid input.
[[nodiscard]] bool base64_decode(std::string_view text, std::vector<std::uint8_t>& out);

}  // namespace callwire::media::sdp
