#include "media/rtp/rtp_receiver.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace callwire::media::rtp {
namespace {

using namespace std::chrono_literals;

RtpView pkt(std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc = 42) {
  RtpView v;
  v.seq = seq;
  v.timestamp = ts;
  v.ssrc = ssrc;
  return v;
}

const Clock::time_point T0 = Clock::time_point{} + 1000s;

TEST(RtpReceiver, ProbationThenWrapCountsCycles) {
  RtpReceiver r(8000);
  EXPECT_FALSE(r.on_packet(pkt(65533, 0), T0));  // first packet: on probation
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(r.on_packet(pkt(65534, 160), T0 + 20ms));
  EXPECT_TRUE(r.valid());
  for (std::uint16_t s : {65535, 0, 1, 2}) EXPECT_TRUE(r.on_packet(pkt(s, 0), T0));
  // Base is the packet that ended probation (A.1): 65534.
  EXPECT_EQ(r.extended_highest_seq(), 65536u + 2u);
  EXPECT_EQ(r.expected(), 5u);
  EXPECT_EQ(r.received(), 5u);
  EXPECT_EQ(r.cumulative_lost(), 0);

  // Lose 3 and 4.
  EXPECT_TRUE(r.on_packet(pkt(5, 0), T0));
  auto b = r.report_block(T0);
  EXPECT_EQ(b.ssrc, 42u);
  EXPECT_EQ(b.highest_seq, 65536u + 5u);
  EXPECT_EQ(b.cumulative_lost, 2);
  EXPECT_EQ(b.fraction_lost, 2 * 256 / 8);  // 2 of 8 expected
  for (std::uint16_t s = 6; s < 10; ++s) r.on_packet(pkt(s, 0), T0);
  b = r.report_block(T0);
  EXPECT_EQ(b.fraction_lost, 0);   // none lost this interval
  EXPECT_EQ(b.cumulative_lost, 2);
}

TEST(RtpReceiver, ProbationRestartsOnOutOfOrder) {
  RtpReceiver r(8000);
  EXPECT_FALSE(r.on_packet(pkt(100, 0), T0));
  EXPECT_FALSE(r.on_packet(pkt(105, 0), T0));  // not sequential: probation again
  EXPECT_TRUE(r.on_packet(pkt(106, 0), T0));
  EXPECT_EQ(r.expected(), 1u);
}

TEST(RtpReceiver, DuplicatesAndLateAndRestart) {
  RtpReceiver r(8000);
  r.on_packet(pkt(10, 0), T0);
  r.on_packet(pkt(11, 0), T0);
  r.on_packet(pkt(12, 0), T0);
  EXPECT_TRUE(r.on_packet(pkt(12, 0), T0));  // duplicate: counted, A.1
  EXPECT_EQ(r.cumulative_lost(), -1);
  EXPECT_TRUE(r.on_packet(pkt(5, 0), T0));   // late (misordered), counted
  EXPECT_EQ(r.extended_highest_seq(), 12u);
  // A big jump is refused once, and accepted if the next follows it.
  EXPECT_FALSE(r.on_packet(pkt(20000, 0), T0));
  EXPECT_EQ(r.extended_highest_seq(), 12u);
  EXPECT_TRUE(r.on_packet(pkt(20001, 0), T0));
  EXPECT_EQ(r.extended_highest_seq(), 20001u);
  EXPECT_EQ(r.expected(), 1u);
  EXPECT_EQ(r.received(), 1u);
  // A jump not followed by its successor stays refused.
  EXPECT_FALSE(r.on_packet(pkt(40000, 0), T0));
  EXPECT_FALSE(r.on_packet(pkt(50000, 0), T0));
  EXPECT_TRUE(r.on_packet(pkt(20002, 0), T0));
}

TEST(RtpReceiver, NewSsrcRestarts) {
  RtpReceiver r(8000);
  r.on_packet(pkt(1, 0), T0);
  r.on_packet(pkt(2, 0), T0);
  EXPECT_TRUE(r.valid());
  EXPECT_FALSE(r.on_packet(pkt(900, 0, 7), T0));
  EXPECT_EQ(r.ssrc(), 7u);
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(r.on_packet(pkt(901, 0, 7), T0));
}

// A.8 by hand, 8 kHz, 20 ms frames (160 units). Arrivals in ms from the
// first packet: 0 (probation), 20, 45, 60, 80, 100, 120.
//   transit = arrival·8 - ts:      -1000, -960, -1000, -1000, -1000, -1000
//   J16 += |D| - (J16 + 8) >> 4:   -, 40, 77, 72, 67, 63  → jitter J16 >> 4
TEST(RtpReceiver, JitterMatchesHandComputation) {
  RtpReceiver r(8000);
  std::vector<int> arrivals = {0, 20, 45, 60, 80, 100, 120};
  std::vector<std::uint32_t> want = {0, 0, 2, 4, 4, 4, 3};
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    r.on_packet(pkt(static_cast<std::uint16_t>(100 + i), 1000 + 160 * static_cast<std::uint32_t>(i)),
                T0 + std::chrono::milliseconds(arrivals[i]));
    EXPECT_EQ(r.jitter(), want[i]) << "after packet " << i;
  }
  EXPECT_EQ(r.report_block(T0).jitter, 3u);
}

TEST(RtpReceiver, SteadyStreamHasNoJitterAndEventUpdatesDoNotAddAny) {
  RtpReceiver r(8000);
  std::uint16_t seq = 0;
  for (int i = 0; i < 100; ++i) r.on_packet(pkt(seq++, 160u * i), T0 + 20ms * i);
  EXPECT_EQ(r.jitter(), 0u);
  // RFC 4733 updates: same timestamp, 50 ms apart.
  for (int k = 0; k < 4; ++k) r.on_packet(pkt(seq++, 160u * 100), T0 + 2000ms + 50ms * k);
  EXPECT_EQ(r.jitter(), 0u);
}

// A timestamp jump of more than 2^31 (transit difference outside int32)
// counts as one bounded sample: 2^27 units, so J = 2^27 / 16.
TEST(RtpReceiver, HugeTimestampJumpIsBounded) {
  RtpReceiver r(8000);
  for (int i = 0; i < 10; ++i) r.on_packet(pkt(static_cast<std::uint16_t>(i), 160u * i), T0 + 20ms * i);
  ASSERT_EQ(r.jitter(), 0u);
  r.on_packet(pkt(10, 1600u + 0x90000000u), T0 + 200ms);
  EXPECT_EQ(r.jitter(), (1u << 27) >> 4);
}

TEST(RtpReceiver, ReportCarriesLsrAndDlsr) {
  RtpReceiver r(8000);
  r.on_packet(pkt(1, 0), T0);
  r.on_packet(pkt(2, 160), T0 + 20ms);
  auto b = r.report_block(T0);
  EXPECT_EQ(b.lsr, 0u);
  EXPECT_EQ(b.dlsr, 0u);
  r.on_sender_report({0x12345678, 0x9abcdef0}, T0 + 1s);
  b = r.report_block(T0 + 2500ms);
  EXPECT_EQ(b.lsr, 0x56789abcu);
  EXPECT_EQ(b.dlsr, 98304u);  // 1.5 s in 1/65536 s
}

}  // namespace
}  // namespace callwire::media::rtp
