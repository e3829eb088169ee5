// How many heap allocations a parse makes: the owned block (bytes and the
// header array), which for a message up to ~1.5 KB comes from the thread's
// block pool once a message before it has returned one. The top Via keeps
// up to four params inside the message.
// Its own binary, since it replaces the global operator new to count.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "sip/message/block_pool.hpp"
#include "sip/message/message.hpp"
#include "sip/message/message_framer.hpp"
#include "test_util.hpp"

namespace {
std::atomic<long> allocations{0};
std::atomic<long> frees{0};
}  // namespace

namespace {
void* take(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void give(void* p) noexcept {
  if (p) frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return take(n); }
void* operator new[](std::size_t n) { return take(n); }
void operator delete(void* p) noexcept { give(p); }
void operator delete[](void* p) noexcept { give(p); }
void operator delete(void* p, std::size_t) noexcept { give(p); }
void operator delete[](void* p, std::size_t) noexcept { give(p); }

namespace callwire::sip {
namespace {

struct Count {
  long allocations = 0;  // while the message lives
  long frees = 0;        // once it is gone
};

// Counts around a parse whose result `use` gets to look at (counters are
// read before any test assertion, which may allocate itself). A parse
// before it fills the block pool, as on a worker that has parsed before.
template <class Use>
Count parse_counting(const std::string& bytes, Use&& use) {
  (void)Message::parse(bytes);
  Count c;
  long a0 = allocations.load(), f0 = frees.load();
  {
    auto m = Message::parse(bytes);
    c.allocations = allocations.load() - a0;
    use(m);
  }
  c.frees = frees.load() - f0;
  return c;
}

// The block: from the pool, or (sanitizer builds, no pool) from new.
long block() { return block_pool::enabled() ? 0 : 1; }

TEST(Allocations, TypicalInviteAndOkReuseAPooledBlock) {
  for (const std::string& bytes : {test::typical_invite(), test::typical_ok()}) {
    Count c = parse_counting(bytes, [](const Result<Message>& m) { ASSERT_TRUE(m) << m.error().detail; });
    EXPECT_EQ(c.allocations, block()) << "the pooled block only (top Via params inline)";
    EXPECT_EQ(c.frees, block());
  }
}

TEST(Allocations, ViaWithoutParamsNeedsOnlyTheBlock) {
  std::string bytes = test::crlf(
      "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP host.example.com\nFrom: <sip:a@example.com>;tag=1\n"
      "To: <sip:b@example.com>\nCall-ID: x\nCSeq: 1 OPTIONS\nl: 0\n\n");
  Count c = parse_counting(bytes, [](const Result<Message>& m) { ASSERT_TRUE(m); });
  EXPECT_EQ(c.allocations, block());
  EXPECT_EQ(c.frees, block());
}

TEST(Allocations, ViaWithManyParamsSpillsIntoOneVector) {
  std::string bytes = test::crlf(
      "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1;a;b;c;d;e\n"
      "From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: x\nCSeq: 1 OPTIONS\nl: 0\n\n");
  Count c = parse_counting(bytes, [](const Result<Message>& m) {
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->top_via().params.size(), 6u);
    EXPECT_EQ(m->top_via().params[5].name, "e");
    EXPECT_EQ(m->top_via().branch(), "z9hG4bK1");
  });
  EXPECT_EQ(c.allocations, block() + 1) << "Via params beyond the inline four";
  EXPECT_EQ(c.frees, block() + 1);
}

TEST(Allocations, LargeMessageTakesAnExactBlockOutsideThePool) {
  std::string bytes = test::request("OPTIONS", "X-Big: " + std::string(6000, 'x') + "\r\n");
  Count c = parse_counting(bytes, [](const Result<Message>& m) {
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->header("X-Big").size(), 6000u);
  });
  EXPECT_EQ(c.allocations, 1);
  EXPECT_EQ(c.frees, 1);
}

TEST(Allocations, PoolKeepsOnlyAFewBlocks) {
  const std::string& bytes = test::typical_invite();
  std::vector<Message> held;
  held.reserve(10);
  for (int i = 0; i < 10; ++i) held.push_back(std::move(*Message::parse(bytes)));
  long f0 = frees.load();
  held.clear();
  long freed = frees.load() - f0;
  // Ten blocks come back; a pool keeps at most four of them.
  EXPECT_GE(freed, block_pool::enabled() ? 6 : 10);
  EXPECT_LE(freed, 10);
}

TEST(Allocations, ManyHeadersSpillIntoOneVector) {
  // More headers than the block has room for next to these ~1.8 KB.
  std::string extra;
  for (int i = 0; i < 110; ++i) extra += "X-H" + std::to_string(i) + ": v\r\n";
  Count c = parse_counting(test::request("OPTIONS", extra), [](const Result<Message>& m) {
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_GE(m->headers().size(), 115u);
    EXPECT_EQ(m->header("X-H109"), "v");
  });
  // Block, and the spill vector (reserved once, grown at most a couple of
  // times).
  EXPECT_GE(c.allocations, block() + 1);
  EXPECT_LE(c.allocations, block() + 3);
  EXPECT_EQ(c.frees, c.allocations);
}

TEST(Allocations, ResumableFramingAllocatesNothingPerByte) {
  std::string stream = test::typical_invite();
  MessageFramer framer;
  long a0 = allocations.load();
  bool framed_early = false;
  for (std::size_t n = 1; n < stream.size(); ++n)
    framed_early |= framer.next(std::string_view(stream).substr(0, n)).has_value();
  long made = allocations.load() - a0;
  EXPECT_FALSE(framed_early);
  // The Content-Length text lives in small strings; nothing grows with the
  // number of calls or bytes.
  EXPECT_LE(made, 2);
}

}  // namespace
}  // namespace callwire::sip
