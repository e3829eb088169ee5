// The per-packet paths must not allocate (2,000 calls × 50 packets/s on two
// cores). This binary counts every operator new; the test runs a call's worth
// of packets through each path, malformed ones included, and expects zero.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>

#include "media/rtp/dtmf_receiver.hpp"
#include "media/rtp/pacer.hpp"
#include "media/rtp/port_allocator.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtcp_writer.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "media/rtp/rtp_receiver.hpp"
#include "media/rtp/rtp_sender.hpp"
#include "media/rtp/symmetric_latch.hpp"
#include "media/rtp/telephone_event.hpp"

namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace callwire::media::rtp {
namespace {

using namespace std::chrono_literals;

TEST(NoAllocation, PacketPathsDoNotAllocate) {
  // Per-stream setup may allocate; it happens once per call.
  RtpSender sender({0, 8000, 20ms}, {1, 2, 3});
  RtpReceiver receiver(8000);
  DtmfReceiver dtmf;
  SymmetricLatch latch({}, PeerAddress::v4(10, 0, 0, 1, 4000));
  auto ports = PortAllocator::make(10000, 10099).value();
  const Clock::time_point t0 = Clock::time_point{} + 1s;
  Pacer pacer(t0);
  auto digit = DtmfSequence::make('7').value();
  std::array<std::uint8_t, 160> frame{};
  std::array<std::uint8_t, 1500> buf{};
  std::array<std::uint8_t, 1500> rtcp{};
  std::array<std::uint8_t, 3> junk = {0x80, 0, 0};

  long before = allocations.load();
  long handed = 0;
  for (int i = 0; i < 3000; ++i) {  // one minute of 20 ms frames
    auto now = t0 + 20ms * i;
    auto tick = pacer.due(now);
    handed += tick.send;
    auto n = sender.write_frame(frame, buf, now);
    ASSERT_TRUE(n);
    auto v = parse_rtp(std::span(buf).first(*n));
    ASSERT_TRUE(v);
    receiver.on_packet(*v, now + 1ms);
    latch.on_packet(PeerAddress::v4(10, 0, 0, 2, 4000), v->ssrc, true, now);
    ASSERT_FALSE(parse_rtp(junk));  // errors carry no detail string
    if (i % 250 == 0) {
      auto block = receiver.report_block(now);
      auto info = sender.sender_info(std::chrono::system_clock::time_point{} + 1000s, now);
      auto r = write_report_compound(&info, info.ssrc, std::span(&block, 1), "callwire@host", false, rtcp);
      ASSERT_TRUE(r);
      auto parsed = parse_rtcp(std::span(rtcp).first(*r));
      ASSERT_TRUE(parsed);
      ASSERT_FALSE(parse_rtcp(junk));
      std::uint32_t ts = sender.next_timestamp();
      for (std::size_t k = 0; k < digit.size(); ++k) {
        auto e = sender.write_event(101, ts, digit.packet(k), buf, now);
        ASSERT_TRUE(e);
        auto ev = parse_rtp(std::span(buf).first(*e));
        receiver.on_packet(*ev, now + 1ms);  // same SSRC: events take sequence numbers too
        dtmf.on_event(ev->ssrc, ev->timestamp, parse_telephone_event(ev->payload).value());
      }
      auto pair = ports.allocate();
      ASSERT_TRUE(ports.release(*pair));
    }
  }
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_EQ(handed, 3000);
  EXPECT_EQ(receiver.cumulative_lost(), 0);
}

}  // namespace
}  // namespace callwire::media::rtp
