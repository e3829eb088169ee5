#include "media/rtp/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace callwire::media::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtpPacket, ParsesFixedHeaderByHand) {
  Bytes p = {0x80, 0x88, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb};
  auto v = parse_rtp(p);
  ASSERT_TRUE(v) << v.error().what();
  EXPECT_TRUE(v->marker);
  EXPECT_EQ(v->payload_type, 8);
  EXPECT_EQ(v->seq, 0x1234);
  EXPECT_EQ(v->timestamp, 0xdeadbeefu);
  EXPECT_EQ(v->ssrc, 0x01020304u);
  EXPECT_EQ(v->csrc_count, 0);
  EXPECT_FALSE(v->has_extension);
  EXPECT_EQ(v->padding, 0);
  ASSERT_EQ(v->payload.size(), 2u);
  EXPECT_EQ(v->payload[0], 0xaa);
  EXPECT_EQ(v->header_size(), 12u);
}

TEST(RtpPacket, ParsesCsrcExtensionAndPadding) {
  Bytes p = {0xb2, 0x00, 0x00, 0x01, 0, 0, 0, 5, 0, 0, 0, 9,
             0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22,  // 2 CSRCs
             0xbe, 0xde, 0x00, 0x01, 0x10, 0xff, 0x00, 0x00,  // extension, 1 word
             0x01, 0x02, 0x03,                                // payload
             0x00, 0x00, 0x03};                               // 3 padding octets
  auto v = parse_rtp(p);
  ASSERT_TRUE(v) << v.error().what();
  EXPECT_EQ(v->csrc_count, 2);
  EXPECT_EQ(v->csrc(0), 0x11111111u);
  EXPECT_EQ(v->csrc(1), 0x22222222u);
  EXPECT_TRUE(v->has_extension);
  EXPECT_EQ(v->extension_profile, 0xbede);
  EXPECT_EQ(v->extension.size(), 4u);
  EXPECT_EQ(v->padding, 3);
  ASSERT_EQ(v->payload.size(), 3u);
  EXPECT_EQ(v->payload[2], 0x03);
  EXPECT_EQ(v->header_size(), 12u + 8u + 8u);
}

struct Bad {
  const char* name;
  Bytes bytes;
  Errc want;
};

TEST(RtpPacket, RejectsMalformed) {
  Bytes base = {0x80, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
  std::vector<Bad> cases = {
      {"empty", {}, Errc::Truncated},
      {"11 bytes", Bytes(base.begin(), base.end() - 1), Errc::Truncated},
      {"version 0", {0x00, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, Errc::BadVersion},
      {"version 1", {0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, Errc::BadVersion},
      {"version 3", {0xc0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, Errc::BadVersion},
      {"padding zero", {0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 0}, Errc::BadPadding},
      {"padding past header", {0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 3}, Errc::BadPadding},
      {"csrc overrun", {0x83, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2}, Errc::Truncated},
      {"extension header cut", {0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde}, Errc::BadExtension},
      {"extension length overrun", {0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde, 0, 2, 1, 2, 3, 4},
       Errc::BadExtension},
      // Padding leaves too little for the CSRC list.
      {"padding eats csrc", {0xa1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9, 9, 9, 4}, Errc::Truncated},
  };
  for (const auto& c : cases) {
    auto v = parse_rtp(c.bytes);
    ASSERT_FALSE(v) << c.name;
    EXPECT_EQ(v.error().code, make_error_code(c.want)) << c.name << ": " << v.error().what();
  }
}

TEST(RtpPacket, WriteThenParseRoundTrips) {
  std::array<std::uint32_t, 3> csrcs = {7, 8, 0xffffffff};
  std::array<std::uint8_t, 160> payload{};
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i);
  std::array<std::uint8_t, 1500> buf{};
  for (bool marker : {false, true}) {
    RtpHeader h{marker, 111, 65535, 0xfffffff0u, 0xcafebabe, csrcs};
    auto n = write_rtp(h, payload, buf);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 12u + 12u + 160u);
    auto v = parse_rtp(std::span(buf).first(*n));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->marker, marker);
    EXPECT_EQ(v->payload_type, 111);
    EXPECT_EQ(v->seq, 65535);
    EXPECT_EQ(v->timestamp, 0xfffffff0u);
    EXPECT_EQ(v->ssrc, 0xcafebabeu);
    ASSERT_EQ(v->csrc_count, 3);
    EXPECT_EQ(v->csrc(2), 0xffffffffu);
    ASSERT_EQ(v->payload.size(), payload.size());
    EXPECT_TRUE(std::equal(payload.begin(), payload.end(), v->payload.begin()));
  }
}

TEST(RtpPacket, WriterRefusesBadArguments) {
  std::array<std::uint8_t, 12> small{};
  std::array<std::uint8_t, 2> payload{1, 2};
  RtpHeader h{false, 0, 1, 2, 3, {}};
  EXPECT_EQ(write_rtp_header(h, small).value(), 12u);
  EXPECT_EQ(small[0], 0x80);
  EXPECT_EQ(write_rtp(h, payload, small).error().code, make_error_code(Errc::BufferTooSmall));
  EXPECT_EQ(write_rtp_header(h, std::span(small).first(11)).error().code, make_error_code(Errc::BufferTooSmall));
  h.payload_type = 128;
  EXPECT_EQ(write_rtp_header(h, small).error().code, make_error_code(Errc::BadArgument));
  std::array<std::uint32_t, 16> many{};
  RtpHeader h2{false, 0, 1, 2, 3, many};
  std::array<std::uint8_t, 200> big{};
  EXPECT_EQ(write_rtp_header(h2, big).error().code, make_error_code(Errc::BadArgument));
}

TEST(RtpPacket, TellsRtcpFromRtpOnOnePort) {
  Bytes rr = {0x80, 201, 0, 1, 0, 0, 0, 1};
  Bytes pcmu = {0x80, 0x00, 0, 1};
  Bytes marked = {0x80, 0x80, 0, 1};  // marker + PT 0 = 128, still RTP
  EXPECT_TRUE(looks_like_rtcp(rr));
  EXPECT_FALSE(looks_like_rtcp(pcmu));
  EXPECT_FALSE(looks_like_rtcp(marked));
}

}  // namespace
}  // namespace callwire::media::rtp
