#include "sip/message/block_pool.hpp"

#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define CALLWIRE_BLOCK_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CALLWIRE_BLOCK_POOL 0
#endif
#endif
#ifndef CALLWIRE_BLOCK_POOL
#define CALLWIRE_BLOCK_POOL 1
#endif

namespace callwire::sip::block_pool {

#if CALLWIRE_BLOCK_POOL
namespace {

// A few blocks cover a worker that holds a message or two while it parses
// the next one; holding more would only pin memory.
struct Pool {
  static constexpr int kMax = 4;
  char* blocks[kMax];
  int count = 0;
  ~Pool() {
    while (count > 0) delete[] blocks[--count];
  }
};

thread_local Pool pool;

}  // namespace

char* take() {
  Pool& p = pool;
  if (p.count > 0) return p.blocks[--p.count];
  return new char[kBlockSize];
}

void give(char* block) noexcept {
  Pool& p = pool;
  if (p.count < Pool::kMax) {
    p.blocks[p.count++] = block;
    return;
  }
  delete[] block;
}

bool enabled() { return true; }

#else

char* take() { return new char[kBlockSize]; }
void give(char* block) noexcept { delete[] block; }
bool enabled() { return false; }

#endif

}  // namespace callwire::sip::block_pool
