#include "core/sid.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cassert>
#include <cstdlib>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace callwire {

namespace {

// Bumped in a forked child, so that the child never hands out bytes its
// parent drew (and the parent hands out too).
std::atomic<std::uint64_t> fork_generation{0};

std::uint64_t current_fork_generation() {
  static const bool registered = [] {
    pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
    return true;
  }();
  (void)registered;
  return fork_generation.load(std::memory_order_relaxed);
}

}  // namespace

void secure_random_bytes(std::span<unsigned char> out) {
  constexpr std::size_t kPool = 4096;
  struct Pool {
    std::array<unsigned char, kPool> bytes;
    std::size_t used = kPool;
    std::uint64_t generation = 0;
    ~Pool() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  };
  thread_local Pool pool;
  const std::uint64_t generation = current_fork_generation();
  if (pool.generation != generation) {
    OPENSSL_cleanse(pool.bytes.data(), pool.bytes.size());
    pool.used = kPool;
    pool.generation = generation;
  }
  while (!out.empty()) {
    if (pool.used == kPool) {
      // RAND_bytes only fails when the OS entropy source is broken; an
      // identifier from a weak source would be worse than stopping.
      if (RAND_bytes(pool.bytes.data(), static_cast<int>(kPool)) != 1) std::abort();
      pool.used = 0;
    }
    const std::size_t n = std::min(out.size(), kPool - pool.used);
    std::memcpy(out.data(), pool.bytes.data() + pool.used, n);
    // Handed-out bytes do not stay behind in the pool.
    OPENSSL_cleanse(pool.bytes.data() + pool.used, n);
    pool.used += n;
    out = out.subspan(n);
  }
}

std::string secure_random_hex(std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::array<unsigned char, 64> chunk;
  std::string out(n, '0');
  for (std::size_t i = 0; i < n; i += 2 * chunk.size()) {
    const std::size_t hex = std::min(n - i, 2 * chunk.size());
    secure_random_bytes(std::span(chunk.data(), (hex + 1) / 2));
    for (std::size_t j = 0; j < hex; ++j) {
      const unsigned char b = chunk[j / 2];
      out[i + j] = digits[(j % 2 == 0) ? (b >> 4) : (b & 0xf)];
    }
  }
  return out;
}

std::string make_sid(std::string_view prefix) {
  assert(prefix.size() == 2 && prefix[0] >= 'A' && prefix[0] <= 'Z' && prefix[1] >= 'A' && prefix[1] <= 'Z');
  std::string out(prefix);
  out += secure_random_hex(32);
  return out;
}

std::string make_time_ordered_sid(std::string_view prefix) {
  assert(prefix.size() == 2 && prefix[0] >= 'A' && prefix[0] <= 'Z' && prefix[1] >= 'A' && prefix[1] <= 'Z');
  static constexpr char digits[] = "0123456789abcdef";
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::string out(prefix);
  out.resize(prefix.size() + 12);
  auto t = static_cast<std::uint64_t>(ms);
  for (std::size_t i = out.size(); i > prefix.size(); t >>= 4) out[--i] = digits[t & 0xf];
  out += secure_random_hex(20);
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
