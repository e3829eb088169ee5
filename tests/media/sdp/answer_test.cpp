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

std::string offer_with(const std::string& media_lines) {
  return "v=0\r\no=peer 77 5 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\n" + media_lines;
}

Negotiated answered(const SessionDescription& offer, const LocalMedia& local) {
  auto n = answer(offer, local);
  EXPECT_TRUE(n) << (n ? "" : n.error().what());
  return n ? *n : Negotiated{};
}

void expect_error(const Result<Negotiated>& r, Errc errc) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc)) << r.error().what();
  EXPECT_EQ(sip_status(r.error().code), 488);
}

TEST(SdpAnswer, SippOfferGetsPcmuAnswer) {
  auto n = answered(parsed_sample("sipp_uac.sdp"), local_media());
  EXPECT_EQ(n.codec, (Codec{"PCMU", 0, 8000, 8000, 1, ""}));
  EXPECT_FALSE(n.telephone_event);
  EXPECT_EQ(n.ptime, 20u);
  EXPECT_EQ(n.direction, Direction::SendRecv);
  EXPECT_EQ(n.remote_rtp, (Endpoint{"127.0.0.1", 6000}));
  EXPECT_EQ(n.remote_rtcp, (Endpoint{"127.0.0.1", 6001}));
  EXPECT_FALSE(n.rtcp_mux);
  EXPECT_FALSE(n.srtp);
  EXPECT_EQ(to_string(n.local),
            "v=0\r\n"
            "o=callwire 1001 1 IN IP4 192.0.2.1\r\n"
            "s=callwire\r\n"
            "c=IN IP4 192.0.2.1\r\n"
            "t=0 0\r\n"
            "m=audio 30000 RTP/AVP 0\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=sendrecv\r\n");
}

TEST(SdpAnswer, CapturedBaresipInvite) {
  // The SDP baresip 1.0 (Debian) really sent with its default configuration.
  auto offer = parsed_sample("baresip_1_0_captured.sdp");
  EXPECT_EQ(offer.attributes.at(0), (Attribute{"tool", "baresip 1.0.0"}));
  EXPECT_EQ(offer.media[0].attributes.back(), (Attribute{"minptime", "20"}));
  auto n = answered(offer, local_media());
  EXPECT_EQ(n.codec.name, "PCMU");
  EXPECT_EQ(n.telephone_event, (TelephoneEvent{101, 8000, "0-15"}));
  EXPECT_EQ(n.remote_rtp, (Endpoint{"192.0.2.2", 34296}));
  EXPECT_EQ(n.direction, Direction::SendRecv);
}

TEST(SdpAnswer, OurPreferenceWinsAndTelephoneEventFollows) {
  auto offer = parsed_sample("baresip.sdp");  // opus, G722, PCMU, PCMA, te/8000
  auto n = answered(offer, local_media());
  EXPECT_EQ(n.codec.name, "PCMU");
  ASSERT_TRUE(n.telephone_event);
  EXPECT_EQ(*n.telephone_event, (TelephoneEvent{101, 8000, "0-15"}));
  EXPECT_TRUE(n.rtcp_mux);
  EXPECT_EQ(n.remote_rtcp, (Endpoint{"192.168.0.2", 20740}));
  const auto& m = n.local.media.at(0);
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(m.fmtp("101")->parameters, "0-16");
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.ptime, 20u);

  auto local = local_media();
  local.codecs = {{"opus", 48000, 2, "useinbandfec=1"}, {"G722", 8000, 1, ""}, {"telephone-event", 0, 1, "0-16"}};
  n = answered(offer, local);
  EXPECT_EQ(n.codec, (Codec{"opus", 96, 48000, 48000, 2, "stereo=1;sprop-stereo=1"}));
  EXPECT_FALSE(n.telephone_event);  // only telephone-event/8000 offered: no clock match for opus
  EXPECT_EQ(to_string(n.local).find("a=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1\r\n") !=
                std::string::npos,
            true);

  local.codecs = {{"G722", 8000, 1, ""}, {"telephone-event", 0, 1, ""}};
  n = answered(offer, local);
  EXPECT_EQ(n.codec, (Codec{"G722", 9, 8000, 16000, 1, ""}));
  ASSERT_TRUE(n.telephone_event);
  EXPECT_EQ(n.telephone_event->payload_type, 101);
  EXPECT_EQ(n.local.media[0].fmtp("101")->parameters, "0-15");  // no fmtp of ours: the offer's
}

TEST(SdpAnswer, DynamicPayloadTypesFollowTheOffer) {
  auto offer = parsed_sample("opus_sip.sdp");  // opus 109, te/8000 101, te/48000 110, ptime 40
  auto local = local_media();
  local.codecs = {{"opus", 48000, 2, ""}, {"telephone-event", 0, 1, ""}};
  auto n = answered(offer, local);
  EXPECT_EQ(n.codec.payload_type, 109);
  EXPECT_EQ(n.codec.fmtp, "maxplaybackrate=16000;sprop-maxcapturerate=16000;useinbandfec=1;stereo=0");
  ASSERT_TRUE(n.telephone_event);
  EXPECT_EQ(*n.telephone_event, (TelephoneEvent{110, 48000, "0-15"}));
  EXPECT_EQ(n.ptime, 40u);
  EXPECT_EQ(n.maxptime, 120u);
  EXPECT_EQ(n.local.media[0].formats, (std::vector<std::string>{"109", "110"}));
  EXPECT_EQ(*n.local.media[0].rtpmap(110), (RtpMap{110, "telephone-event", 48000, 0}));
  EXPECT_EQ(n.local.media[0].ptime, 40u);
}

TEST(SdpAnswer, StaticPayloadTypesWithoutRtpmap) {
  auto offer = parsed(offer_with("m=audio 5000 RTP/AVP 18 9 8\r\n"));
  auto local = local_media();
  local.codecs = {{"G729", 8000, 1, ""}, {"PCMA", 8000, 1, ""}};
  EXPECT_EQ(answered(offer, local).codec, (Codec{"G729", 18, 8000, 8000, 1, ""}));
  auto n = answered(offer, local_media());  // default: PCMU absent, PCMA next
  EXPECT_EQ(n.codec, (Codec{"PCMA", 8, 8000, 8000, 1, ""}));
  local.codecs = {{"G722", 8000, 1, ""}};
  EXPECT_EQ(answered(offer, local).codec.sample_rate, 16000u);
}

TEST(SdpAnswer, CiscoMediaLevelConnectionAndRtcpAttribute) {
  auto n = answered(parsed_sample("freeswitch.sdp"), local_media());
  EXPECT_EQ(n.remote_rtp, (Endpoint{"192.0.2.20", 24676}));
  EXPECT_EQ(n.remote_rtcp, (Endpoint{"192.0.2.20", 24677}));
  auto cisco = parsed(offer_with("m=audio 16384 RTP/AVP 0\r\nc=IN IP4 10.1.1.1\r\na=rtcp:20001 IN IP4 10.1.1.2\r\n"));
  n = answered(cisco, local_media());
  EXPECT_EQ(n.remote_rtp, (Endpoint{"10.1.1.1", 16384}));
  EXPECT_EQ(n.remote_rtcp, (Endpoint{"10.1.1.2", 20001}));
}

struct DirectionCase {
  const char* offer_attr;
  Direction local;
  Direction expected;
};

TEST(SdpAnswer, Directions) {
  const DirectionCase cases[] = {
      {"a=sendrecv\r\n", Direction::SendRecv, Direction::SendRecv},
      {"", Direction::SendRecv, Direction::SendRecv},
      {"a=sendonly\r\n", Direction::SendRecv, Direction::RecvOnly},
      {"a=recvonly\r\n", Direction::SendRecv, Direction::SendOnly},
      {"a=inactive\r\n", Direction::SendRecv, Direction::Inactive},
      {"a=sendrecv\r\n", Direction::SendOnly, Direction::SendOnly},   // we hold the peer
      {"a=sendonly\r\n", Direction::SendOnly, Direction::Inactive},  // both on hold
      {"a=recvonly\r\n", Direction::RecvOnly, Direction::Inactive},
  };
  for (const auto& c : cases) {
    auto local = local_media();
    local.direction = c.local;
    auto n = answered(parsed(offer_with("m=audio 5000 RTP/AVP 0\r\n" + std::string(c.offer_attr))), local);
    EXPECT_EQ(n.direction, c.expected) << c.offer_attr << " / " << to_string(c.local);
    EXPECT_EQ(n.local.media[0].direction, c.expected);
    EXPECT_NE(to_string(n.local).find("a=" + std::string(to_string(c.expected)) + "\r\n"), std::string::npos);
  }
}

TEST(SdpAnswer, OtherStreamsRefusedWithPortZero) {
  auto offer = parsed_sample("video_zoiper.sdp");
  auto n = answered(offer, local_media());
  ASSERT_EQ(n.local.media.size(), 2u);
  EXPECT_EQ(n.media_index, 0u);
  EXPECT_EQ(n.codec.name, "PCMU");
  EXPECT_EQ(n.local.media[1].media, "video");
  EXPECT_EQ(n.local.media[1].port, 0);
  EXPECT_EQ(n.local.media[1].formats, (std::vector<std::string>{"99", "34"}));
  EXPECT_NE(to_string(n.local).find("m=video 0 RTP/AVP 99 34\r\n"), std::string::npos);

  // A second audio stream is refused too; the first usable one is answered.
  auto two = parsed(offer_with("m=video 5002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                               "m=audio 5000 RTP/AVP 97\r\na=rtpmap:97 AMR/8000\r\n"
                               "m=audio 5004 RTP/AVP 8\r\n"));
  n = answered(two, local_media());
  EXPECT_EQ(n.media_index, 2u);
  EXPECT_EQ(n.local.media[0].port, 0);
  EXPECT_EQ(n.local.media[1].port, 0);
  EXPECT_EQ(n.local.media[2].port, 30000);
  EXPECT_EQ(n.remote_rtp.port, 5004);
}

TEST(SdpAnswer, Ipv6OfferGetsOurIpv6Address) {
  auto local = local_media();
  local.address_v6 = "2001:db8::1";
  auto n = answered(parsed_sample("ipv6_linphone.sdp"), local);
  EXPECT_EQ(n.codec.name, "PCMU");
  ASSERT_TRUE(n.telephone_event);
  EXPECT_EQ(n.telephone_event->payload_type, 100);  // te/8000 there; 101 is te/48000
  local.codecs = {{"opus", 48000, 2, ""}, {"telephone-event", 0, 1, ""}};
  auto opus = answered(parsed_sample("ipv6_linphone.sdp"), local);
  EXPECT_EQ(opus.codec.payload_type, 96);
  ASSERT_TRUE(opus.telephone_event);
  EXPECT_EQ(opus.telephone_event->payload_type, 101);
  EXPECT_EQ(n.remote_rtp, (Endpoint{"2001:db8::10", 7078}));
  EXPECT_EQ(n.local.connection->addr_type, "IP6");
  EXPECT_EQ(n.local.connection->address, "2001:db8::1");
  EXPECT_EQ(n.local.origin.addr_type, "IP6");
  EXPECT_EQ(n.local.media[1].port, 0);
}

TEST(SdpAnswer, NoCommonCodecIs488) {
  auto local = local_media();
  expect_error(answer(parsed(offer_with("m=audio 5000 RTP/AVP 3 97\r\na=rtpmap:97 iLBC/8000\r\n")), local),
               Errc::NoCommonCodec);
  // telephone-event alone is no codec.
  expect_error(answer(parsed(offer_with("m=audio 5000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n")),
                      local),
               Errc::NoCommonCodec);
  // A name match with the wrong clock rate is no match.
  expect_error(answer(parsed(offer_with("m=audio 5000 RTP/AVP 97\r\na=rtpmap:97 PCMU/16000\r\n")), local),
               Errc::NoCommonCodec);
}

TEST(SdpAnswer, NoAudioIs488) {
  auto local = local_media();
  expect_error(answer(parsed(offer_with("m=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n")), local),
               Errc::NoAudioStream);
  expect_error(answer(parsed(offer_with("m=audio 0 RTP/AVP 0\r\n")), local), Errc::NoAudioStream);
  auto no_c = answer(parsed("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"), local);
  expect_error(no_c, Errc::NoAudioStream);
  EXPECT_EQ(no_c.error().what(), "audio stream without a c= address");
  // WebRTC (DTLS-SRTP) is not something we terminate.
  auto r = answer(parsed_sample("opus_webrtc.sdp"), local);
  expect_error(r, Errc::NoAudioStream);
  EXPECT_NE(r.error().what().find("UDP/TLS/RTP/SAVPF"), std::string::npos);
}

TEST(SdpAnswer, InvalidLocalMedia) {
  auto local = local_media();
  local.codecs = {{"telephone-event", 0, 1, ""}};
  auto r = answer(parsed_sample("sipp_uac.sdp"), local);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::InvalidLocal));
  EXPECT_EQ(sip_status(r.error().code), 500);
  local = local_media();
  local.address.clear();
  EXPECT_FALSE(answer(parsed_sample("sipp_uac.sdp"), local));
}

}  // namespace
}  // namespace callwire::media::sdp
