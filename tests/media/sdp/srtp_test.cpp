// SDES-SRTP (RFC 4568) in offer/answer, under each SrtpPolicy.
#include <gtest/gtest.h>

#include "local_media.hpp"
#include "media/sdp/errc.hpp"
#include "media/sdp/negotiation.hpp"
#include "media/sdp/writer.hpp"
#include "sdp_samples.hpp"

namespace callwire::media::sdp {
namespace {

using test::local_media;
using test::parsed;
using test::parsed_sample;

constexpr const char* kKey80 = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
constexpr const char* kKey32 = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw";

std::string savp_offer(const std::string& crypto_lines, const std::string& proto = "RTP/SAVP") {
  return "v=0\r\no=peer 77 5 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\n"
         "m=audio 5000 " + proto + " 0 8\r\n" + crypto_lines;
}

std::vector<std::uint8_t> decoded(const char* b64) {
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(base64_decode(b64, out));
  return out;
}

void expect_488(const Result<Negotiated>& r, Errc errc) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc)) << r.error().what();
  EXPECT_EQ(sip_status(r.error().code), 488);
}

TEST(SdpSrtp, SavpOfferAnsweredWithOurKeyForTheFirstUsableSuite) {
  auto offer = parsed_sample("srtp_sdes.sdp");
  auto n = answer(offer, local_media(9));
  ASSERT_TRUE(n) << n.error().what();
  ASSERT_TRUE(n->srtp);
  EXPECT_EQ(n->srtp->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(n->srtp->tag, 1u);
  EXPECT_EQ(n->srtp->remote_key, usable_key(offer.media[0].crypto[0]));
  EXPECT_EQ(n->srtp->local_key, test::seeded_key(9));
  EXPECT_EQ(n->codec.name, "PCMU");
  const auto& m = n->local.media[0];
  EXPECT_EQ(m.protocol, "RTP/SAVP");
  ASSERT_EQ(m.crypto.size(), 1u);
  EXPECT_NE(to_string(n->local).find("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" +
                                     base64_encode(test::seeded_key(9)) + "\r\n"),
            std::string::npos);
}

TEST(SdpSrtp, UnusableCryptoLinesAreSkipped) {
  // MKI, an unknown suite and a short key are skipped; the _32 line is taken with its tag.
  auto offer = parsed(savp_offer(std::string("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey80 + "|2^20|1:4\r\n" +
                                 "a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:" + kKey80 + "\r\n" +
                                 "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n" +
                                 "a=crypto:4 AES_CM_128_HMAC_SHA1_32 inline:" + kKey32 + "\r\n"));
  auto n = answer(offer, local_media());
  ASSERT_TRUE(n) << n.error().what();
  EXPECT_EQ(n->srtp->suite, "AES_CM_128_HMAC_SHA1_32");
  EXPECT_EQ(n->srtp->tag, 4u);
  EXPECT_EQ(n->srtp->remote_key, decoded(kKey32));
  EXPECT_EQ(n->local.media[0].crypto[0].tag, 4u);
}

TEST(SdpSrtp, OurConfiguredKeyIsUsedForItsSuite) {
  auto local = local_media();
  local.crypto.push_back(*parse_crypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey32));
  auto n = answer(parsed(savp_offer(std::string("a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:") + kKey80 + "\r\n")),
                  local);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->srtp->local_key, decoded(kKey32));
  EXPECT_EQ(n->srtp->tag, 5u);
}

TEST(SdpSrtp, SavpWithoutUsableCryptoIs488) {
  expect_488(answer(parsed(savp_offer("")), local_media()), Errc::NoCommonCrypto);
  expect_488(answer(parsed(savp_offer(std::string("a=crypto:1 F8_128_HMAC_SHA1_80 inline:") + kKey80 + "\r\n")),
                    local_media()),
             Errc::NoCommonCrypto);
}

TEST(SdpSrtp, RequiredRefusesPlainRtp) {
  auto local = local_media();
  local.srtp = SrtpPolicy::Required;
  auto r = answer(parsed_sample("asterisk.sdp"), local);
  expect_488(r, Errc::SrtpRequired);
  EXPECT_NE(r.error().what().find("RTP/AVP"), std::string::npos);
  auto ok = answer(parsed_sample("srtp_sdes.sdp"), local);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->srtp);
}

TEST(SdpSrtp, RefuseRejectsSrtpOnlyOffers) {
  auto local = local_media();
  local.srtp = SrtpPolicy::Refuse;
  expect_488(answer(parsed_sample("srtp_sdes.sdp"), local), Errc::SrtpNotAllowed);
  auto plain = answer(parsed_sample("asterisk.sdp"), local);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->srtp);
}

TEST(SdpSrtp, BestEffortPairPicksByPolicy) {
  // Two audio streams, SAVP then AVP (the "best effort" pattern some phones send).
  auto text = savp_offer(std::string("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey80 + "\r\n") +
              "m=audio 5002 RTP/AVP 0 8\r\n";
  auto offer = parsed(text);
  auto local = local_media();
  auto n = answer(offer, local);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->media_index, 0u);
  EXPECT_TRUE(n->srtp);
  local.srtp = SrtpPolicy::Refuse;
  n = answer(offer, local);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->media_index, 1u);
  EXPECT_FALSE(n->srtp);
  EXPECT_EQ(n->local.media[0].port, 0);
  EXPECT_EQ(n->local.media[0].protocol, "RTP/SAVP");
}

TEST(SdpSrtp, KeySourceFailureIsReported) {
  auto local = local_media();
  local.random = [](std::span<std::uint8_t>) { return false; };
  auto r = answer(parsed_sample("srtp_sdes.sdp"), local);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::InvalidLocal));
}

TEST(SdpSrtp, DefaultKeySourceGivesDifferentKeys) {
  auto local = local_media();
  local.random = nullptr;  // OpenSSL
  auto a = answer(parsed_sample("srtp_sdes.sdp"), local);
  auto b = answer(parsed_sample("srtp_sdes.sdp"), local);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->srtp->local_key.size(), 30u);
  EXPECT_NE(a->srtp->local_key, b->srtp->local_key);
}

}  // namespace
}  // namespace callwire::media::sdp
