// Our offers (INVITE without SDP: offer in the 200, answer in the ACK),
// accepting answers, and re-INVITE offers on an established stream.
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

TEST(SdpOffer, DefaultOffer) {
  auto o = offer(local_media());
  ASSERT_TRUE(o) << o.error().what();
  EXPECT_EQ(to_string(*o),
            "v=0\r\n"
            "o=callwire 1001 1 IN IP4 192.0.2.1\r\n"
            "s=callwire\r\n"
            "c=IN IP4 192.0.2.1\r\n"
            "t=0 0\r\n"
            "m=audio 30000 RTP/AVP 0 8 9 96 101 97\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:9 G722/8000\r\n"
            "a=rtpmap:96 opus/48000/2\r\n"
            "a=fmtp:96 minptime=10;useinbandfec=1\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=rtpmap:97 telephone-event/48000\r\n"
            "a=fmtp:97 0-16\r\n"
            "a=rtcp-mux\r\n"
            "a=sendrecv\r\n");
}

TEST(SdpOffer, SecureOfferHasSavpAndTwoKeys) {
  auto local = local_media(3);
  local.srtp = SrtpPolicy::Required;
  local.ptime = 30;
  local.codecs = {{"PCMA", 8000, 1, ""}};
  auto o = offer(local);
  ASSERT_TRUE(o);
  const auto& m = o->media[0];
  EXPECT_EQ(m.protocol, "RTP/SAVP");
  EXPECT_EQ(m.ptime, 30u);
  ASSERT_EQ(m.crypto.size(), 2u);
  EXPECT_EQ(m.crypto[0].tag, 1u);
  EXPECT_EQ(m.crypto[0].suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(m.crypto[1].tag, 2u);
  EXPECT_EQ(m.crypto[1].suite, "AES_CM_128_HMAC_SHA1_32");
  EXPECT_EQ(usable_key(m.crypto[0]), test::seeded_key(3));
}

TEST(SdpOffer, AnswerInAckSettlesTheStream) {
  auto local = local_media();
  auto ours = offer(local);
  ASSERT_TRUE(ours);
  // A baresip-like answer: G722 and telephone-event, its own numbering kept from our offer.
  auto ack_sdp = parsed("v=0\r\no=- 1 2 IN IP4 198.51.100.4\r\ns=-\r\nc=IN IP4 198.51.100.4\r\nt=0 0\r\n"
                        "m=audio 41000 RTP/AVP 9 101\r\na=rtpmap:9 G722/8000\r\n"
                        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:30\r\na=recvonly\r\n");
  auto n = accept_answer(*ours, ack_sdp, local);
  ASSERT_TRUE(n) << n.error().what();
  EXPECT_EQ(n->codec, (Codec{"G722", 9, 8000, 16000, 1, ""}));
  ASSERT_TRUE(n->telephone_event);
  EXPECT_EQ(n->telephone_event->payload_type, 101);
  EXPECT_EQ(n->ptime, 30u);
  EXPECT_EQ(n->direction, Direction::SendOnly);
  EXPECT_EQ(n->remote_rtp, (Endpoint{"198.51.100.4", 41000}));
  EXPECT_EQ(n->remote_rtcp, (Endpoint{"198.51.100.4", 41001}));
  EXPECT_FALSE(n->rtcp_mux);
  EXPECT_EQ(n->local, *ours);
}

TEST(SdpOffer, AnswerWithOpusAndMux) {
  auto local = local_media();
  auto ours = offer(local);
  auto ans = parsed("v=0\r\no=- 1 2 IN IP4 198.51.100.4\r\ns=-\r\nc=IN IP4 198.51.100.4\r\nt=0 0\r\n"
                    "m=audio 41000 RTP/AVP 96 97\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 stereo=0\r\n"
                    "a=rtpmap:97 telephone-event/48000\r\na=rtcp-mux\r\n");
  auto n = accept_answer(*ours, ans, local);
  ASSERT_TRUE(n) << n.error().what();
  EXPECT_EQ(n->codec, (Codec{"opus", 96, 48000, 48000, 2, "stereo=0"}));
  EXPECT_EQ(*n->telephone_event, (TelephoneEvent{97, 48000, ""}));
  EXPECT_TRUE(n->rtcp_mux);
  EXPECT_EQ(n->remote_rtcp, n->remote_rtp);
}

TEST(SdpOffer, AnswerToOurSecureOffer) {
  auto local = local_media(5);
  local.srtp = SrtpPolicy::Required;
  auto ours = offer(local);
  ASSERT_TRUE(ours);
  // They pick tag 2 (the _32 suite) and send their own key.
  auto peer = parsed_sample("srtp_sdes.sdp");
  peer.media[0].crypto.erase(peer.media[0].crypto.begin());
  auto n = accept_answer(*ours, peer, local);
  ASSERT_TRUE(n) << n.error().what();
  EXPECT_EQ(n->srtp->suite, "AES_CM_128_HMAC_SHA1_32");
  EXPECT_EQ(n->srtp->tag, 2u);
  EXPECT_EQ(n->srtp->local_key, usable_key(ours->media[0].crypto[1]));
  EXPECT_EQ(n->srtp->remote_key, usable_key(peer.media[0].crypto[0]));

  peer.media[0].crypto[0].tag = 9;  // a tag we never offered
  auto bad = accept_answer(*ours, peer, local);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, make_error_code(Errc::BadAnswer));
  auto plain = accept_answer(*ours, parsed_sample("asterisk.sdp"), local);
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, make_error_code(Errc::BadAnswer));
}

TEST(SdpOffer, AnswersThatDoNotFit) {
  auto local = local_media();
  auto ours = offer(local);
  auto refused = accept_answer(
      *ours, parsed("v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n"),
      local);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, make_error_code(Errc::NoCommonCodec));
  EXPECT_EQ(sip_status(refused.error().code), 488);
  auto foreign = accept_answer(*ours, parsed("v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                                             "m=audio 4000 RTP/AVP 18\r\n"),
                               local);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, make_error_code(Errc::NoCommonCodec));
  auto two = accept_answer(*ours, parsed_sample("video_zoiper.sdp"), local);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, make_error_code(Errc::BadAnswer));
}

TEST(SdpReoffer, HoldWithSendonlyThenResume) {
  auto local = local_media();
  auto first = answer(parsed_sample("asterisk.sdp"), local);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->codec.name, "PCMU");

  auto hold = answer_reoffer(parsed_sample("hold_sendonly.sdp"), local, *first);
  ASSERT_TRUE(hold) << hold.error().what();
  EXPECT_EQ(hold->direction, Direction::RecvOnly);
  EXPECT_EQ(hold->local.origin.session_id, "1001");
  EXPECT_EQ(hold->local.origin.session_version, 2u);
  EXPECT_NE(to_string(hold->local).find("a=recvonly\r\n"), std::string::npos);

  auto resume = answer_reoffer(parsed_sample("asterisk.sdp"), local, *hold);
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->direction, Direction::SendRecv);
  EXPECT_EQ(resume->local.origin.session_version, 3u);
}

TEST(SdpReoffer, OldStyleHoldWithZeroAddress) {
  auto local = local_media();
  auto first = answer(parsed_sample("cisco_gw.sdp"), local);
  ASSERT_TRUE(first);
  auto hold = answer_reoffer(parsed_sample("hold_old_style.sdp"), local, *first);
  ASSERT_TRUE(hold) << hold.error().what();
  EXPECT_TRUE(hold->remote_hold_address);
  EXPECT_FALSE(sends(hold->direction));  // nothing may go to 0.0.0.0
  EXPECT_EQ(hold->direction, Direction::RecvOnly);
  EXPECT_EQ(hold->local.connection->address, "192.0.2.1");  // our address stays real
  EXPECT_EQ(hold->local.origin.session_version, first->local.origin.session_version + 1);
  EXPECT_FALSE(first->remote_hold_address);
}

TEST(SdpReoffer, KeepsTheCurrentCodecAndSrtpKey) {
  auto local = local_media(11);
  auto offer1 = parsed_sample("srtp_sdes.sdp");  // G722 PCMU PCMA G729
  local.codecs = {{"PCMA", 8000, 1, ""}, {"G722", 8000, 1, ""}};
  auto first = answer(offer1, local);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->codec.name, "PCMA");
  // The same offer again, with a new key source: our key and codec do not change.
  local.codecs = {{"G722", 8000, 1, ""}, {"PCMA", 8000, 1, ""}};
  local.random = [](std::span<std::uint8_t>) { return false; };
  auto again = answer_reoffer(offer1, local, *first);
  ASSERT_TRUE(again) << again.error().what();
  EXPECT_EQ(again->codec.name, "PCMA");
  EXPECT_EQ(again->srtp->local_key, first->srtp->local_key);
  // A codec change offered by the peer is followed.
  auto only_g722 = offer1;
  only_g722.media[0].formats = {"9"};
  auto changed = answer_reoffer(only_g722, local, *again);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->codec.name, "G722");
  EXPECT_EQ(changed->local.origin.session_version, 3u);
}

TEST(SdpReoffer, OurOwnReofferForHold) {
  auto local = local_media();
  local.session_version = 7;
  local.direction = Direction::SendOnly;
  auto o = offer(local);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->origin.session_version, 7u);
  EXPECT_EQ(o->media[0].direction, Direction::SendOnly);
  auto ans = parsed("v=0\r\no=- 1 2 IN IP4 198.51.100.4\r\ns=-\r\nc=IN IP4 198.51.100.4\r\nt=0 0\r\n"
                    "m=audio 41000 RTP/AVP 0\r\na=recvonly\r\n");
  auto n = accept_answer(*o, ans, local);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->direction, Direction::SendOnly);
}

TEST(SdpReoffer, OurReofferKeepsSessionCodecAndKey) {
  auto local = local_media(21);
  local.srtp = SrtpPolicy::Required;
  auto first = answer(parsed_sample("srtp_sdes.sdp"), local);  // we answered: PCMU, tag 1
  ASSERT_TRUE(first) << first.error().what();
  local.direction = Direction::SendOnly;  // we put the peer on hold
  local.random = [](std::span<std::uint8_t>) { return false; };  // no new key may be needed
  auto o = reoffer(local, *first);
  ASSERT_TRUE(o) << o.error().what();
  EXPECT_EQ(o->origin.session_id, "1001");
  EXPECT_EQ(o->origin.session_version, 2u);
  const auto& m = o->media[0];
  EXPECT_EQ(m.formats.front(), "0");
  EXPECT_EQ(m.direction, Direction::SendOnly);
  ASSERT_EQ(m.crypto.size(), 1u);
  EXPECT_EQ(m.crypto[0].tag, 1u);
  EXPECT_EQ(usable_key(m.crypto[0]), first->srtp->local_key);

  local.codecs = {{"PCMA", 8000, 1, ""}, {"G722", 8000, 1, ""}, {"PCMU", 8000, 1, ""}};
  auto reordered = reoffer(local, *first);
  ASSERT_TRUE(reordered);
  EXPECT_EQ(reordered->media[0].formats, (std::vector<std::string>{"0", "8", "9"}));
}

TEST(SdpOffer, SessionIdsAreDigits) {
  auto a = new_session_id(), b = new_session_id();
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace callwire::media::sdp
