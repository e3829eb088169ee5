#include "media/rtp/rtp_sender.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace callwire::media::rtp {
namespace {

using namespace std::chrono_literals;

RtpView parse(std::span<const std::uint8_t> b) { return parse_rtp(b).value(); }

TEST(RtpSender, AdvancesTimestampPerFrameAndMarksFirstPacket) {
  RtpSender s({0, 8000, 20ms}, {0x1234, 65535, 0xffffff00u});
  EXPECT_EQ(s.samples_per_frame(), 160u);
  std::array<std::uint8_t, 160> payload{};
  std::array<std::uint8_t, 256> buf{};
  Clock::time_point t{};
  std::uint32_t ts[3];
  std::uint16_t seq[3];
  bool marker[3];
  for (int i = 0; i < 3; ++i) {
    auto n = s.write_frame(payload, buf, t + 20ms * i);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 172u);
    auto v = parse(std::span(buf).first(*n));
    ts[i] = v.timestamp;
    seq[i] = v.seq;
    marker[i] = v.marker;
    EXPECT_EQ(v.ssrc, 0x1234u);
    EXPECT_EQ(v.payload_type, 0);
  }
  EXPECT_EQ(ts[0], 0xffffff00u);
  EXPECT_EQ(ts[1], 0xffffffa0u);
  EXPECT_EQ(ts[2], 0x00000040u);  // wraps modulo 2^32
  EXPECT_EQ(seq[0], 65535);
  EXPECT_EQ(seq[1], 0);
  EXPECT_EQ(seq[2], 1);
  EXPECT_TRUE(marker[0]);
  EXPECT_FALSE(marker[1]);
  EXPECT_FALSE(marker[2]);
  EXPECT_EQ(s.packet_count(), 3u);
  EXPECT_EQ(s.octet_count(), 480u);  // payload only
}

TEST(RtpSender, SilenceMovesTimestampAndMarksTalkspurt) {
  RtpSender s({8, 8000, 30ms}, {1, 100, 0});
  std::array<std::uint8_t, 240> payload{};
  std::array<std::uint8_t, 300> buf{};
  ASSERT_TRUE(s.write_frame(payload, buf, {}));
  s.skip_frames(5);  // 150 ms of silence, nothing sent
  auto n = s.write_frame(payload, buf, {});
  auto v = parse(std::span(buf).first(*n));
  EXPECT_EQ(v.timestamp, 240u * 6);
  EXPECT_EQ(v.seq, 101);  // no gap in sequence numbers
  EXPECT_TRUE(v.marker);
  n = s.write_frame(payload, buf, {});
  EXPECT_FALSE(parse(std::span(buf).first(*n)).marker);
  s.mark_talkspurt();
  n = s.write_frame(payload, buf, {});
  EXPECT_TRUE(parse(std::span(buf).first(*n)).marker);
}

TEST(RtpSender, OpusClockAndRandomStart) {
  RtpSender opus({111, 48000, 20ms});
  EXPECT_EQ(opus.samples_per_frame(), 960u);
  RtpSender other({111, 48000, 20ms});
  // Two random 32-bit SSRCs collide with probability 2^-32.
  EXPECT_NE(opus.ssrc(), other.ssrc());
}

TEST(RtpSender, SenderInfoExtrapolatesFromLastFrame) {
  RtpSender s({0, 8000, 20ms}, {9, 0, 1000});
  std::array<std::uint8_t, 160> payload{};
  std::array<std::uint8_t, 256> buf{};
  Clock::time_point t0 = Clock::time_point{} + 5s;
  ASSERT_TRUE(s.write_frame(payload, buf, t0));
  ASSERT_TRUE(s.write_frame(payload, buf, t0 + 20ms));  // timestamp 1160
  auto wall = std::chrono::system_clock::time_point{} + 100s;
  auto info = s.sender_info(wall, t0 + 20ms + 35ms);
  EXPECT_EQ(info.ssrc, 9u);
  EXPECT_EQ(info.rtp_timestamp, 1160u + 280u);  // 35 ms at 8 kHz
  EXPECT_EQ(info.ntp, to_ntp(wall));
  EXPECT_EQ(info.packet_count, 2u);
  EXPECT_EQ(info.octet_count, 320u);
  EXPECT_TRUE(s.take_sent_since_report());
  EXPECT_FALSE(s.take_sent_since_report());
}

TEST(RtpSender, BufferTooSmallChangesNothing) {
  RtpSender s({0, 8000, 20ms}, {1, 7, 0});
  std::array<std::uint8_t, 160> payload{};
  std::array<std::uint8_t, 100> buf{};
  EXPECT_FALSE(s.write_frame(payload, buf, {}));
  EXPECT_EQ(s.next_seq(), 7);
  EXPECT_EQ(s.packet_count(), 0u);
}

}  // namespace
}  // namespace callwire::media::rtp
