// SrtpSession: round trips for SRTP and SRTCP with both SDES suites, and the
// refusals the receive path relies on (wrong key, tampering, replay).
#include "media/srtp/srtp_session.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

namespace callwire::media::srtp {
namespace {

std::vector<std::uint8_t> key(std::uint8_t seed) {
  std::vector<std::uint8_t> k(kKeySaltBytes);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + 7 * i);
  return k;
}

// An RTP packet (PCMU, 160 bytes of payload) in a buffer with trailer room.
std::vector<std::uint8_t> rtp(std::uint16_t seq, std::uint32_t ssrc = 0x11223344) {
  std::vector<std::uint8_t> p(12 + 160 + kMaxTrailer, 0);
  p[0] = 0x80;
  p[1] = 0;
  p[2] = static_cast<std::uint8_t>(seq >> 8);
  p[3] = static_cast<std::uint8_t>(seq);
  std::uint32_t ts = 160u * seq;
  for (int i = 0; i < 4; ++i) p[4 + i] = static_cast<std::uint8_t>(ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) p[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  for (std::size_t i = 0; i < 160; ++i) p[12 + i] = static_cast<std::uint8_t>(i * 3 + seq);
  return p;
}

constexpr std::size_t kRtpLen = 12 + 160;

// A minimal RTCP RR with no report blocks (8 bytes).
std::vector<std::uint8_t> rtcp(std::uint32_t ssrc = 0x11223344) {
  std::vector<std::uint8_t> p(8 + kMaxTrailer, 0);
  p[0] = 0x80;
  p[1] = 201;
  p[3] = 1;  // length in words minus one
  for (int i = 0; i < 4; ++i) p[4 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  return p;
}

struct Pair {
  SrtpSession a;  // sends with key A
  SrtpSession b;  // receives key A, sends key B
};

Pair pair(Suite suite, std::uint8_t seed_a = 1, std::uint8_t seed_b = 100, std::uint8_t b_expects_a = 1) {
  auto ka = key(seed_a), kb = key(seed_b), expected = key(b_expects_a);
  auto a = SrtpSession::create({suite, ka, kb});
  auto b = SrtpSession::create({suite, kb, expected});
  EXPECT_TRUE(a) << a.error().what();
  EXPECT_TRUE(b) << b.error().what();
  return {std::move(*a), std::move(*b)};
}

TEST(SrtpSessionTest, ParsesTheTwoSdesSuites) {
  EXPECT_EQ(parse_suite("AES_CM_128_HMAC_SHA1_80"), Suite::AesCm128HmacSha1_80);
  EXPECT_EQ(parse_suite("AES_CM_128_HMAC_SHA1_32"), Suite::AesCm128HmacSha1_32);
  EXPECT_FALSE(parse_suite("AEAD_AES_128_GCM"));
  EXPECT_TRUE(init());
  EXPECT_TRUE(init());  // once per process, then the same answer
}

TEST(SrtpSessionTest, RtpRoundTripBothSuites) {
  for (auto [suite, tag] : {std::pair{Suite::AesCm128HmacSha1_80, 10u}, std::pair{Suite::AesCm128HmacSha1_32, 4u}}) {
    auto p = pair(suite);
    for (std::uint16_t seq = 1; seq <= 5; ++seq) {
      auto plain = rtp(seq);
      auto buf = plain;
      auto n = p.a.protect_rtp(buf, kRtpLen);
      ASSERT_TRUE(n) << n.error().what();
      EXPECT_EQ(*n, kRtpLen + tag);
      EXPECT_EQ(0, std::memcmp(buf.data(), plain.data(), 12));           // header in the clear
      EXPECT_NE(0, std::memcmp(buf.data() + 12, plain.data() + 12, 160));  // payload encrypted
      auto m = p.b.unprotect_rtp(buf, *n);
      ASSERT_TRUE(m) << m.error().what();
      ASSERT_EQ(*m, kRtpLen);
      EXPECT_EQ(0, std::memcmp(buf.data(), plain.data(), kRtpLen));
    }
  }
}

TEST(SrtpSessionTest, RtcpRoundTripKeepsThe80BitTagForBothSuites) {
  for (auto suite : {Suite::AesCm128HmacSha1_80, Suite::AesCm128HmacSha1_32}) {
    auto p = pair(suite);
    auto plain = rtcp();
    auto buf = plain;
    auto n = p.a.protect_rtcp(buf, 8);
    ASSERT_TRUE(n) << n.error().what();
    EXPECT_EQ(*n, 8u + 4u + 10u);  // E flag + SRTCP index, then the tag
    auto m = p.b.unprotect_rtcp(buf, *n);
    ASSERT_TRUE(m) << m.error().what();
    ASSERT_EQ(*m, 8u);
    EXPECT_EQ(0, std::memcmp(buf.data(), plain.data(), 8));
  }
}

TEST(SrtpSessionTest, WrongKeyIsRejected) {
  auto p = pair(Suite::AesCm128HmacSha1_80, 1, 100, /*b_expects_a=*/2);
  auto buf = rtp(1);
  auto n = p.a.protect_rtp(buf, kRtpLen);
  ASSERT_TRUE(n);
  auto m = p.b.unprotect_rtp(buf, *n);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, make_error_code(Errc::AuthFailed));
  auto c = rtcp();
  auto cn = p.a.protect_rtcp(c, 8);
  ASSERT_TRUE(cn);
  EXPECT_FALSE(p.b.unprotect_rtcp(c, *cn));
}

TEST(SrtpSessionTest, TamperedPacketIsRejected) {
  auto p = pair(Suite::AesCm128HmacSha1_32);
  auto buf = rtp(9);
  auto n = p.a.protect_rtp(buf, kRtpLen);
  ASSERT_TRUE(n);
  buf[40] ^= 0x01;
  auto m = p.b.unprotect_rtp(buf, *n);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, make_error_code(Errc::AuthFailed));
}

TEST(SrtpSessionTest, ReplayIsRejected) {
  auto p = pair(Suite::AesCm128HmacSha1_80);
  auto buf = rtp(7);
  auto n = p.a.protect_rtp(buf, kRtpLen);
  ASSERT_TRUE(n);
  auto copy = buf;
  ASSERT_TRUE(p.b.unprotect_rtp(buf, *n));
  auto again = p.b.unprotect_rtp(copy, *n);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, make_error_code(Errc::Replayed));

  auto c = rtcp();
  auto cn = p.a.protect_rtcp(c, 8);
  ASSERT_TRUE(cn);
  auto c2 = c;
  ASSERT_TRUE(p.b.unprotect_rtcp(c, *cn));
  EXPECT_FALSE(p.b.unprotect_rtcp(c2, *cn));
}

TEST(SrtpSessionTest, BadKeysAndShortBuffersAreErrors) {
  std::vector<std::uint8_t> short_key(16, 1), ok = key(3);
  auto s = SrtpSession::create({Suite::AesCm128HmacSha1_80, short_key, ok});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, make_error_code(Errc::BadKey));

  auto p = pair(Suite::AesCm128HmacSha1_80);
  auto buf = rtp(1);
  auto n = p.a.protect_rtp(std::span(buf).first(kRtpLen + 4), kRtpLen);  // no room for the tag
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, make_error_code(Errc::BufferTooSmall));
  EXPECT_FALSE(p.b.unprotect_rtp(buf, 5));  // shorter than an RTP header
}

}  // namespace
}  // namespace callwire::media::srtp
