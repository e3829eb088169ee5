#include "core/sid.hpp"

#include <cassert>
#include <cstdlib>
#include <vector>

#include <openssl/rand.h>

namespace callwire {

std::string secure_random_hex(std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::vector<unsigned char> bytes((n + 1) / 2);
  // RAND_bytes only fails when the OS entropy source is broken; an
  // identifier from a weak source would be worse than stopping.
  if (!bytes.empty() && RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
  std::string out(n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char b = bytes[i / 2];
    out[i] = digits[(i % 2 == 0) ? (b >> 4) : (b & 0xf)];
  }
  return out;
}

std::string make_sid(std::string_view prefix) {
  assert(prefix.size() == 2 && prefix[0] >= 'A' && prefix[0] <= 'Z' && prefix[1] >= 'A' && prefix[1] <= 'Z');
  std::string out(prefix);
  out += secure_random_hex(32);
  return out;
}

bool is_sid(std::string_view text, std::string_view prefix) {
  if (text.size() != prefix.size() + 32 || !text.starts_with(prefix)) return false;
  for (char c : text.substr(prefix.size())) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace callwire
