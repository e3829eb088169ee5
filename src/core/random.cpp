#include "core/random.hpp"

#include <random>

namespace callwire {

namespace {
std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  return gen;
}
}  // namespace

std::string random_hex(std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(n, '0');
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 16 == 0) bits = generator()();
    out[i] = digits[bits & 0xf];
    bits >>= 4;
  }
  return out;
}

std::string new_branch() { return "z9hG4bK" + random_hex(24); }
std::string new_tag() { return random_hex(16); }

}  // namespace callwire
