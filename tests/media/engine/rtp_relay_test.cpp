// The header rewriter of a bridge direction, driven by hand (no sockets).
#include "media/engine/rtp_relay.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "media/rtp/rtp_packet.hpp"

namespace ce = callwire::media::engine;
namespace rtp = callwire::media::rtp;
using callwire::Clock;
using namespace std::chrono_literals;

namespace {

constexpr ce::RelayStart kStart{0xCAFEBABE, 65530, 4'294'967'000u, {}};

struct Out {
  std::uint16_t seq;
  std::uint32_t ts;
  bool reanchored;
};

// Maps and "sends" one audio packet.
Out step(ce::RtpRelay& r, std::uint32_t ssrc, std::uint32_t ts, Clock::time_point at) {
  auto m = r.map(ssrc, ts, at);
  return {r.take_seq(m.timestamp, at), m.timestamp, m.reanchored};
}

}  // namespace

TEST(RtpRelay, FirstPacketContinuesTheOutgoingLineAndKeepsRelativeTiming) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  auto first = step(r, 0x1111, 1000, t0);
  EXPECT_TRUE(first.reanchored);
  EXPECT_EQ(first.seq, kStart.seq);
  EXPECT_EQ(first.ts, kStart.timestamp);
  // Next frame, then two lost (the timestamp shows the gap), sequence numbers stay contiguous and wrap.
  auto second = step(r, 0x1111, 1160, t0 + 20ms);
  EXPECT_FALSE(second.reanchored);
  EXPECT_EQ(second.seq, static_cast<std::uint16_t>(kStart.seq + 1));
  EXPECT_EQ(second.ts, kStart.timestamp + 160);
  auto after_loss = step(r, 0x1111, 1640, t0 + 80ms);
  EXPECT_FALSE(after_loss.reanchored);
  EXPECT_EQ(after_loss.seq, static_cast<std::uint16_t>(kStart.seq + 2));
  EXPECT_EQ(after_loss.ts, kStart.timestamp + 640);  // wrapped past 2^32
  std::uint16_t seq = after_loss.seq;
  for (int i = 0; i < 10; ++i) {
    auto o = step(r, 0x1111, 1800 + 160u * static_cast<std::uint32_t>(i), t0 + 100ms + 20ms * i);
    EXPECT_EQ(o.seq, static_cast<std::uint16_t>(seq + 1));
    seq = o.seq;
  }
  EXPECT_EQ(r.sent(), 13u);
}

TEST(RtpRelay, ReorderedPacketKeepsItsPlaceOnTheTimeline) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  step(r, 7, 0, t0);
  step(r, 7, 320, t0 + 40ms);
  auto late = step(r, 7, 160, t0 + 45ms);
  EXPECT_FALSE(late.reanchored);
  EXPECT_EQ(late.ts, kStart.timestamp + 160);
}

TEST(RtpRelay, NewSsrcReanchorsAfterTheLastTimestampSent) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  step(r, 1, 5000, t0);
  auto last = step(r, 1, 5160, t0 + 20ms);
  // A different sender (transfer, PBX failover) with an unrelated timeline, 100 ms later.
  auto o = step(r, 2, 77, t0 + 120ms);
  EXPECT_TRUE(o.reanchored);
  EXPECT_EQ(o.ts, last.ts + 800);
  EXPECT_EQ(o.seq, static_cast<std::uint16_t>(last.seq + 1));
  auto next = step(r, 2, 237, t0 + 140ms);
  EXPECT_FALSE(next.reanchored);
  EXPECT_EQ(next.ts, o.ts + 160);
}

TEST(RtpRelay, ReanchorStepsAtLeastOneFrame) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  auto a = step(r, 1, 0, t0);
  auto b = step(r, 2, 999, t0);  // same instant: no zero or backward step
  EXPECT_TRUE(b.reanchored);
  EXPECT_EQ(b.ts, a.ts + 160);
}

TEST(RtpRelay, TimestampJumpReanchorsButAStallDoesNot) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  step(r, 1, 0, t0);
  auto before = step(r, 1, 160, t0 + 20ms);
  // The network held packets for 3 s: the timestamps are still the sender's truth.
  auto stalled = step(r, 1, 320, t0 + 3020ms);
  EXPECT_FALSE(stalled.reanchored);
  EXPECT_EQ(stalled.ts, before.ts + 160);
  // The sender jumps an hour ahead: re-anchored on wall time.
  auto jump = step(r, 1, 320 + 8000 * 3600, t0 + 3040ms);
  EXPECT_TRUE(jump.reanchored);
  EXPECT_EQ(jump.ts, stalled.ts + 160);
  // ... and 10 s back.
  auto back = step(r, 1, 320 + 8000 * 3590, t0 + 3060ms);
  EXPECT_TRUE(back.reanchored);
  EXPECT_EQ(back.ts, jump.ts + 160);
}

TEST(RtpRelay, SilenceWithConsistentTimestampsIsNotAJump) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  auto a = step(r, 1, 0, t0);
  auto b = step(r, 1, 8000 * 5, t0 + 5s + 3ms);  // VAD: 5 s without packets
  EXPECT_FALSE(b.reanchored);
  EXPECT_EQ(b.ts, a.ts + 40000);
}

TEST(RtpRelay, EventsKeepTheirStartTimestampAndNeverReanchor) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  auto audio = step(r, 1, 16000, t0);
  // A 2 s key press: every packet carries the start timestamp.
  for (int i = 0; i < 40; ++i) {
    auto m = r.map(1, 16160, t0 + 20ms + 50ms * i, true);
    EXPECT_FALSE(m.reanchored);
    EXPECT_EQ(m.timestamp, audio.ts + 160);
    r.take_seq(m.timestamp, t0 + 20ms + 50ms * i);
  }
  auto after = step(r, 1, 16160 + 16000, t0 + 2020ms);
  EXPECT_FALSE(after.reanchored);
  EXPECT_EQ(after.ts, audio.ts + 16160);
}

TEST(RtpRelay, ScalesBetweenClockRates) {
  ce::RelayConfig cfg;
  cfg.in_clock = 48000;
  cfg.out_clock = 8000;
  ce::RtpRelay r(cfg, kStart);
  auto t0 = Clock::now();
  auto a = step(r, 1, 0xFFFFFF00u, t0);  // wraps on the incoming side
  auto b = step(r, 1, 0xFFFFFF00u + 960, t0 + 20ms);
  auto c = step(r, 1, 0xFFFFFF00u + 960 * 4, t0 + 80ms);
  EXPECT_EQ(b.ts, a.ts + 160);
  EXPECT_EQ(c.ts, a.ts + 640);
  EXPECT_FALSE(c.reanchored);
}

TEST(RtpRelay, FirstPacketAddsTheTimeSinceTheStart) {
  auto t0 = Clock::now();
  ce::RelayStart s = kStart;
  s.at = t0;
  ce::RtpRelay r({}, s);
  auto o = step(r, 1, 0, t0 + 500ms);
  EXPECT_EQ(o.ts, kStart.timestamp + 4000);
}

TEST(RtpRelay, ResumeContinuesAfterTheLastPacketSent) {
  ce::RtpRelay r({}, kStart);
  auto t0 = Clock::now();
  auto none = r.resume(t0);
  EXPECT_EQ(none.seq, kStart.seq);
  EXPECT_EQ(none.timestamp, kStart.timestamp);
  step(r, 1, 0, t0);
  auto last = step(r, 1, 160, t0 + 20ms);
  auto res = r.resume(t0 + 520ms);
  EXPECT_EQ(res.ssrc, kStart.ssrc);
  EXPECT_EQ(res.seq, static_cast<std::uint16_t>(last.seq + 1));
  EXPECT_EQ(res.timestamp, last.ts + 4000);
  EXPECT_EQ(r.resume(t0 + 21ms).timestamp, last.ts + 160);  // at least one frame on
}

TEST(RtpRelay, WritesAFreshHeaderAndTheUntouchedPayload) {
  ce::RtpRelay r({}, kStart);
  std::vector<std::uint8_t> payload(160);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
  std::array<std::uint8_t, 512> out{};
  auto m = r.map(0x42, 99, Clock::now());
  auto n = r.write(100, true, m.timestamp, payload, out, Clock::now());
  ASSERT_EQ(n, 12u + 160u);
  auto v = rtp::parse_rtp(std::span<const std::uint8_t>(out.data(), n));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->payload_type, 100);
  EXPECT_TRUE(v->marker);
  EXPECT_EQ(v->ssrc, kStart.ssrc);
  EXPECT_EQ(v->seq, kStart.seq);
  EXPECT_EQ(v->timestamp, kStart.timestamp);
  EXPECT_EQ(v->csrc_count, 0);
  EXPECT_FALSE(v->has_extension);
  EXPECT_TRUE(std::equal(v->payload.begin(), v->payload.end(), payload.begin(), payload.end()));
  // Too small a buffer: nothing written, no sequence number used.
  std::array<std::uint8_t, 100> small{};
  EXPECT_EQ(r.write(100, false, m.timestamp + 160, payload, small, Clock::now()), 0u);
  n = r.write(100, false, m.timestamp + 160, payload, out, Clock::now());
  v = rtp::parse_rtp(std::span<const std::uint8_t>(out.data(), n));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->seq, static_cast<std::uint16_t>(kStart.seq + 1));
  EXPECT_FALSE(v->marker);
}
