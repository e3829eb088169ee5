#pragma once
// Owned message blocks, recycled per thread. Private to callwire_sip_message.
//
// A message is normally parsed, handled and destroyed on one worker thread,
// so the next parse on that thread can reuse its block: a typical INVITE's
// block is too large for glibc's per-thread cache, and malloc and free of it
// cost more than scanning a header line. Blocks freed on another thread
// join that thread's pool; each pool keeps at most a few and frees the rest.
// Address sanitizer builds skip the pool so it still sees every block's
// lifetime.
#include <cstddef>

namespace callwire::sip::block_pool {

// Every pooled block has this size: a ~1.5 KB message with its header
// array fits.
inline constexpr std::size_t kBlockSize = 4096;

char* take();                     // a kBlockSize block, uninitialised
void give(char* block) noexcept;  // a block from take()
bool enabled();                   // false in address sanitizer builds

}  // namespace callwire::sip::block_pool
