#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "media/rtp/ntp_time.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtcp_writer.hpp"

namespace callwire::media::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

ReportBlock block(std::uint32_t ssrc, std::int32_t lost) {
  return {ssrc, 64, lost, 0x0001fffe, 37, 0x56789abc, 98304};
}

TEST(Ntp, ConvertsWallClock) {
  using namespace std::chrono;
  auto unix0 = system_clock::time_point{};
  EXPECT_EQ(to_ntp(unix0).seconds, 2208988800u);
  EXPECT_EQ(to_ntp(unix0).fraction, 0u);
  auto half = to_ntp(unix0 + milliseconds(1500));
  EXPECT_EQ(half.seconds, 2208988801u);
  EXPECT_EQ(half.fraction, 0x80000000u);
  NtpTime t{0x12345678, 0x9abcdef0};
  EXPECT_EQ(t.middle32(), 0x56789abcu);
  EXPECT_EQ(NtpTime::from_value(t.value()), t);
}

TEST(Rtcp, SrWithSdesRoundTrips) {
  SenderInfo s{0x11223344, {0xe1234567, 0x80000000}, 160000, 5000, 800000};
  std::array<ReportBlock, 2> blocks = {block(0xaaaa0001, 12), block(0xaaaa0002, -3)};
  std::array<std::uint8_t, 512> buf{};
  auto n = write_report_compound(&s, s.ssrc, blocks, "callwire@example", false, buf);
  ASSERT_TRUE(n);
  // SR 28 + 2·24 = 76; SDES 4 + 4 + 2 + 16 + 1 → 28.
  EXPECT_EQ(*n, 76u + 28u);
  EXPECT_EQ(buf[0], 0x82);
  EXPECT_EQ(buf[1], 200);
  EXPECT_EQ(buf[3], 76 / 4 - 1);

  auto info = parse_rtcp(std::span(buf).first(*n));
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->packet_count, 2);
  EXPECT_EQ(info->reporter_ssrc, s.ssrc);
  ASSERT_TRUE(info->has_sender_info);
  EXPECT_EQ(info->sender.ntp, s.ntp);
  EXPECT_EQ(info->sender.rtp_timestamp, 160000u);
  EXPECT_EQ(info->sender.packet_count, 5000u);
  EXPECT_EQ(info->sender.octet_count, 800000u);
  ASSERT_EQ(info->report_blocks().size(), 2u);
  EXPECT_EQ(info->blocks[0], blocks[0]);
  EXPECT_EQ(info->blocks[1], blocks[1]);
  EXPECT_EQ(info->blocks[1].cumulative_lost, -3);
  ASSERT_TRUE(info->has_cname);
  EXPECT_EQ(info->cname, "callwire@example");
  EXPECT_EQ(info->cname_ssrc, s.ssrc);
  EXPECT_FALSE(info->has_bye);
}

TEST(Rtcp, RrSdesByeRoundTrips) {
  std::array<ReportBlock, 1> blocks = {block(7, 0x7fffff)};
  std::array<std::uint8_t, 256> buf{};
  auto n = write_report_compound(nullptr, 0x99, blocks, "a", true, buf);
  ASSERT_TRUE(n);
  auto info = parse_rtcp(std::span(buf).first(*n));
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_FALSE(info->has_sender_info);
  EXPECT_EQ(info->reporter_ssrc, 0x99u);
  ASSERT_EQ(info->block_count, 1);
  EXPECT_EQ(info->blocks[0].cumulative_lost, 0x7fffff);
  EXPECT_EQ(info->cname, "a");
  ASSERT_TRUE(info->has_bye);
  ASSERT_EQ(info->bye_sources().size(), 1u);
  EXPECT_EQ(info->bye_sources()[0], 0x99u);
  EXPECT_TRUE(info->bye_reason.empty());
}

TEST(Rtcp, ByeReasonAndClampedLoss) {
  std::array<std::uint8_t, 64> buf{};
  auto n = write_bye(5, "gone", buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 16u);  // 8 + (1 + 4, padded to 8)
  // Prefix an empty RR so the compound is valid.
  Bytes c = {0x80, 201, 0, 1, 0, 0, 0, 5};
  c.insert(c.end(), buf.begin(), buf.begin() + *n);
  auto info = parse_rtcp(c);
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->bye_reason, "gone");

  std::array<ReportBlock, 1> big = {block(1, 50'000'000)};
  auto r = write_rr(1, big, buf);
  ASSERT_TRUE(r);
  auto back = parse_rtcp(std::span(buf).first(*r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->blocks[0].cumulative_lost, 0x7fffff);
}

TEST(Rtcp, SkipsUnknownTypesAndTakesPaddingOnLast) {
  Bytes c = {0x80, 201, 0, 1, 0, 0, 0, 5,                   // RR, no blocks
             0x80, 204, 0, 2, 0, 0, 0, 5, 'n', 'a', 'm', 'e',  // APP
             0xa1, 202, 0, 3, 0, 0, 0, 5, 1, 1, 'x', 0,        // SDES + 4 octets padding
             0, 0, 0, 4};
  // SDES length 3 → 16 bytes: header, SSRC, item (3) + null, 4 padding.
  auto info = parse_rtcp(c);
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->unknown_count, 1);
  EXPECT_EQ(info->packet_count, 3);
  EXPECT_EQ(info->cname, "x");
}

struct Bad {
  const char* name;
  Bytes bytes;
  Errc want;
};

TEST(Rtcp, RejectsInvalidCompounds) {
  std::vector<Bad> cases = {
      {"short", {0x80, 201, 0, 1}, Errc::Truncated},
      {"version 1", {0x40, 201, 0, 1, 0, 0, 0, 5}, Errc::BadVersion},
      {"padding on first", {0xa0, 201, 0, 1, 0, 0, 0, 5}, Errc::RtcpBadPadding},
      {"sdes first", {0x81, 202, 0, 1, 0, 0, 0, 5}, Errc::RtcpNotReportFirst},
      {"app first", {0x80, 204, 0, 1, 0, 0, 0, 5}, Errc::RtcpNotReportFirst},
      {"length past end", {0x80, 201, 0, 2, 0, 0, 0, 5}, Errc::RtcpBadLength},
      {"trailing bytes", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x80, 202}, Errc::RtcpBadLength},
      {"second version 0", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x00, 202, 0, 0}, Errc::BadVersion},
      {"report count too big", {0x81, 201, 0, 1, 0, 0, 0, 5}, Errc::RtcpBadReportCount},
      {"sr too short", {0x80, 200, 0, 1, 0, 0, 0, 5}, Errc::RtcpBadLength},
      {"padding not last", {0x80, 201, 0, 1, 0, 0, 0, 5, 0xa0, 204, 0, 1, 0, 0, 0, 4, 0x80, 204, 0, 0},
       Errc::RtcpBadPadding},
      {"padding count zero", {0x80, 201, 0, 1, 0, 0, 0, 5, 0xa0, 204, 0, 1, 0, 0, 0, 0}, Errc::RtcpBadPadding},
      {"padding count too big", {0x80, 201, 0, 1, 0, 0, 0, 5, 0xa0, 204, 0, 1, 0, 0, 0, 9}, Errc::RtcpBadPadding},
      {"sdes item overrun", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x81, 202, 0, 2, 0, 0, 0, 5, 1, 9, 'a', 'b'},
       Errc::RtcpBadSdes},
      {"sdes no terminator", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x81, 202, 0, 2, 0, 0, 0, 5, 1, 2, 'a', 'b'},
       Errc::RtcpBadSdes},
      {"sdes chunk missing", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x82, 202, 0, 2, 0, 0, 0, 5, 1, 1, 'a', 0},
       Errc::RtcpBadSdes},
      {"bye count overrun", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x82, 203, 0, 1, 0, 0, 0, 5}, Errc::RtcpBadBye},
      {"bye reason overrun", {0x80, 201, 0, 1, 0, 0, 0, 5, 0x81, 203, 0, 2, 0, 0, 0, 5, 9, 'a', 'b', 'c'},
       Errc::RtcpBadBye},
  };
  for (const auto& c : cases) {
    auto info = parse_rtcp(c.bytes);
    ASSERT_FALSE(info) << c.name;
    EXPECT_EQ(info.error().code, make_error_code(c.want)) << c.name << ": " << info.error().what();
  }
}

TEST(Rtcp, WritersRefuseSmallBuffersAndOversizedFields) {
  std::array<std::uint8_t, 27> small{};
  SenderInfo s{};
  EXPECT_EQ(write_sr(s, {}, small).error().code, make_error_code(Errc::BufferTooSmall));
  std::array<ReportBlock, 32> too_many{};
  std::array<std::uint8_t, 2048> big{};
  EXPECT_EQ(write_rr(1, too_many, big).error().code, make_error_code(Errc::BadArgument));
  std::string long_name(256, 'x');
  EXPECT_EQ(write_sdes_cname(1, long_name, big).error().code, make_error_code(Errc::BadArgument));
  // A 31-block RR fits exactly and parses back.
  auto n = write_rr(1, std::span(too_many).first(31), big);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 8u + 31u * 24u);
  auto info = parse_rtcp(std::span(big).first(*n));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->block_count, 31);
}

}  // namespace
}  // namespace callwire::media::rtp
