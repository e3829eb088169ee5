#include "media/sdp/crypto_attribute.hpp"

#include <array>
#include <charconv>

#include "media/sdp/errc.hpp"

namespace callwire::media::sdp {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

Result<CryptoAttribute> bad(std::string_view why) {
  return fail(Errc::Malformed, "a=crypto: " + std::string(why));
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = std::uint32_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= std::uint32_t(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= bytes[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

bool base64_decode(std::string_view text, std::vector<std::uint8_t>& out) {
  out.clear();
  // Padding is optional in practice (some PBXs strip it).
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = b64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | std::uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(std::uint8_t((acc >> bits) & 0xff));
    }
  }
  return true;
}

Result<CryptoAttribute> parse_crypto(std::string_view value) {
  CryptoAttribute c;
  auto next_field = [&value]() {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    auto end = value.find_first_of(" \t");
    std::string_view field = value.substr(0, end);
    value.remove_prefix(field.size());
    return field;
  };
  std::string_view tag = next_field();
  auto [p, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), c.tag);
  if (tag.empty() || tag.size() > 9 || ec != std::errc{} || p != tag.data() + tag.size()) {
    return bad("tag must be 1 to 9 digits");
  }
  std::string_view suite = next_field();
  if (!is_token(suite)) return bad("missing crypto suite");
  c.suite = suite;
  std::string_view key_params = next_field();
  if (!key_params.starts_with("inline:")) return bad("key-params must start with inline:");
  auto semi = key_params.find(';');
  if (semi != std::string_view::npos) {
    c.more_key_params = key_params.substr(semi + 1);
    key_params = key_params.substr(0, semi);
  }
  key_params.remove_prefix(7);
  auto bar = key_params.find('|');
  c.key = key_params.substr(0, bar);
  if (c.key.empty()) return bad("empty inline key");
  std::vector<std::uint8_t> scratch;
  if (!base64_decode(c.key, scratch)) return bad("inline key is not base64");
  while (bar != std::string_view::npos) {
    key_params.remove_prefix(bar + 1);
    bar = key_params.find('|');
    std::string_view part = key_params.substr(0, bar);
    if (part.find(':') != std::string_view::npos) {
      if (!c.mki.empty()) return bad("two MKI fields");
      c.mki = part;
    } else {
      if (!c.lifetime.empty() || part.empty()) return bad("bad key lifetime");
      c.lifetime = part;
    }
  }
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  c.session_params = value;
  return c;
}

std::string to_string(const CryptoAttribute& c) {
  std::string out = std::to_string(c.tag) + " " + c.suite + " inline:" + c.key;
  if (!c.lifetime.empty()) out += "|" + c.lifetime;
  if (!c.mki.empty()) out += "|" + c.mki;
  if (!c.more_key_params.empty()) out += ";" + c.more_key_params;
  if (!c.session_params.empty()) out += " " + c.session_params;
  return out;
}

bool is_supported_suite(std::string_view suite) {
  return suite == kAesCm128Sha1_80 || suite == kAesCm128Sha1_32;
}

std::vector<std::uint8_t> usable_key(const CryptoAttribute& c) {
  std::vector<std::uint8_t> key;
  // MKI and several keys need per-packet key selection, which we do not do;
  // session parameters (UNENCRYPTED_SRTP, KDR...) change the transform.
  if (!is_supported_suite(c.suite) || !c.mki.empty() || !c.more_key_params.empty() ||
      !c.session_params.empty()) {
    return key;
  }
  if (!base64_decode(c.key, key) || key.size() != kAesCm128KeySaltBytes) key.clear();
  return key;
}

}  // namespace callwire::media::sdp
