#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "media/rtp/dtmf_receiver.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "media/rtp/rtp_sender.hpp"
#include "media/rtp/telephone_event.hpp"

namespace callwire::media::rtp {
namespace {

using namespace std::chrono_literals;

TEST(TelephoneEvent, ParsesAndEncodesRfc4733Layout) {
  std::array<std::uint8_t, 4> p = {11, 0x8a, 0x03, 0x20};  // '#', E, volume 10, 800
  auto e = parse_telephone_event(p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, 11);
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->volume, 10);
  EXPECT_EQ(e->duration, 800);
  EXPECT_EQ(encode_telephone_event(*e), p);
  std::array<std::uint8_t, 4> reserved = {1, 0x40 | 5, 0, 160};  // R bit is ignored
  EXPECT_EQ(parse_telephone_event(reserved)->volume, 5);
  EXPECT_FALSE(parse_telephone_event(std::span(p).first(3)));
}

TEST(TelephoneEvent, MapsDigits) {
  std::string all = "0123456789*#ABCD";
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(dtmf_event_code(all[i]), i);
    EXPECT_EQ(dtmf_digit(static_cast<std::uint8_t>(i)), all[i]);
  }
  EXPECT_EQ(dtmf_event_code('b'), 13);
  EXPECT_FALSE(dtmf_event_code('w'));
  EXPECT_FALSE(dtmf_event_code('E'));
  EXPECT_FALSE(dtmf_digit(16));
}

TEST(DtmfSequence, DefaultDigitIsStartUpdateAndThreeEnds) {
  auto s = DtmfSequence::make('5');
  ASSERT_TRUE(s);
  // 100 ms at 8 kHz = 800 units, 50 ms packets = 400 units.
  ASSERT_EQ(s->size(), 4u);
  std::vector<std::uint16_t> durations;
  for (std::size_t i = 0; i < s->size(); ++i) {
    auto p = s->packet(i);
    EXPECT_EQ(p.event.event, 5);
    EXPECT_EQ(p.marker, i == 0);
    EXPECT_EQ(p.event.end, i >= 1);
    EXPECT_EQ(p.offset, 50ms * static_cast<int>(i));
    EXPECT_EQ(p.event.volume, 10);
    EXPECT_EQ(parse_telephone_event(p.payload).value(), p.event);
    durations.push_back(p.event.duration);
  }
  EXPECT_EQ(durations, (std::vector<std::uint16_t>{400, 800, 800, 800}));
}

TEST(DtmfSequence, LongerToneHasGrowingUpdates) {
  DtmfSendConfig cfg;
  cfg.clock_rate = 16000;
  cfg.interval = 20ms;
  cfg.duration = 90ms;  // 1440 units; 320 per packet
  auto s = DtmfSequence::make('#', cfg);
  ASSERT_TRUE(s);
  std::vector<std::uint16_t> durations;
  std::vector<bool> ends;
  for (std::size_t i = 0; i < s->size(); ++i) {
    durations.push_back(s->packet(i).event.duration);
    ends.push_back(s->packet(i).event.end);
  }
  EXPECT_EQ(durations, (std::vector<std::uint16_t>{320, 640, 960, 1280, 1440, 1440, 1440}));
  EXPECT_EQ(ends, (std::vector<bool>{false, false, false, false, true, true, true}));
}

TEST(DtmfSequence, RefusesBadInput) {
  EXPECT_EQ(DtmfSequence::make('x').error().code, make_error_code(Errc::BadEvent));
  DtmfSendConfig cfg;
  cfg.interval = 0ms;
  EXPECT_EQ(DtmfSequence::make('1', cfg).error().code, make_error_code(Errc::BadArgument));
  cfg = {};
  cfg.duration = 20s;  // clamped to the 16-bit field
  EXPECT_EQ(DtmfSequence::make('1', cfg)->total_duration(), 0xffff);
}

// Digits sent through RtpSender as real packets, parsed back.
struct Wire {
  std::uint32_t ssrc, ts;
  std::uint16_t seq;
  TelephoneEvent event;
};

std::vector<Wire> send_digits(const std::string& digits) {
  RtpSender sender({0, 8000, 20ms}, {0xabc, 65534, 1000});
  std::vector<Wire> out;
  std::array<std::uint8_t, 64> buf{};
  for (char d : digits) {
    auto seq = DtmfSequence::make(d).value();
    std::uint32_t ts = sender.next_timestamp();
    for (std::size_t i = 0; i < seq.size(); ++i) {
      auto n = sender.write_event(101, ts, seq.packet(i), buf, Clock::time_point{});
      EXPECT_TRUE(n);
      auto v = parse_rtp(std::span(buf).first(*n)).value();
      EXPECT_EQ(v.payload_type, 101);
      EXPECT_EQ(v.marker, i == 0);
      out.push_back({v.ssrc, v.timestamp, v.seq, parse_telephone_event(v.payload).value()});
    }
    sender.skip_frames(static_cast<std::uint32_t>(seq.size()) * 50 / 20);  // the time the event took
  }
  return out;
}

std::string receive(const std::vector<Wire>& packets) {
  DtmfReceiver r;
  std::string got;
  for (const auto& w : packets)
    if (auto d = r.on_event(w.ssrc, w.ts, w.event)) got += d->digit;
  return got;
}

TEST(DtmfReceiver, EachDigitOnceWithSameTimestampPerEvent) {
  auto w = send_digits("1223#");
  ASSERT_EQ(w.size(), 20u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(w[i].ts, w[0].ts);
  EXPECT_NE(w[4].ts, w[0].ts);
  EXPECT_EQ(w[1].seq, 65535);
  EXPECT_EQ(w[2].seq, 0);  // sequence wraps, timestamp does not move
  EXPECT_EQ(receive(w), "1223#");
}

TEST(DtmfReceiver, LostStartAndUpdatesStillGiveTheDigit) {
  auto w = send_digits("47");
  std::vector<Wire> lossy;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (i % 4 == 3) lossy.push_back(w[i]);  // only the last end packet of each
  EXPECT_EQ(receive(lossy), "47");
}

TEST(DtmfReceiver, DuplicatesAndLateRetransmissionsIgnored) {
  auto w = send_digits("99");
  std::vector<Wire> dup;
  for (auto& p : w) {
    dup.push_back(p);
    dup.push_back(p);
  }
  EXPECT_EQ(receive(dup), "99");
  // An end packet of the first event arriving after the second started.
  std::vector<Wire> late = {w[0], w[4], w[3], w[5], w[1]};
  EXPECT_EQ(receive(late), "99");
}

TEST(DtmfReceiver, SegmentsOfALongEventAreOneDigit) {
  DtmfReceiver r;
  TelephoneEvent seg{5, false, 10, 0xffff};
  ASSERT_TRUE(r.on_event(1, 1000, seg));
  EXPECT_TRUE(r.in_event());
  // Next segment starts where the previous ended.
  EXPECT_FALSE(r.on_event(1, 1000 + 0xffff, {5, false, 10, 400}));
  EXPECT_FALSE(r.on_event(1, 1000 + 0xffff, {5, true, 10, 800}));
  EXPECT_FALSE(r.in_event());
  // A genuinely new press of the same key.
  auto d = r.on_event(1, 1000 + 0xffff + 2000, {5, false, 10, 400});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '5');
}

TEST(DtmfReceiver, NewSsrcStartsAfreshAndNonDtmfEventsAreNoDigits) {
  DtmfReceiver r;
  EXPECT_TRUE(r.on_event(1, 5000, {1, true, 10, 800}));
  // Another source may use any timestamp, even an older one.
  auto d = r.on_event(2, 100, {2, false, 10, 400});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '2');
  EXPECT_FALSE(r.on_event(2, 900, {32, false, 10, 400}));  // ANSam tone, not a digit
  // Timestamp wrap: newer event just past 2^32.
  DtmfReceiver w;
  EXPECT_TRUE(w.on_event(3, 0xffffff00u, {1, true, 10, 800}));
  EXPECT_TRUE(w.on_event(3, 0x00000100u, {2, true, 10, 800}));
  EXPECT_FALSE(w.on_event(3, 0xffffff00u, {1, true, 10, 800}));
}

}  // namespace
}  // namespace callwire::media::rtp
