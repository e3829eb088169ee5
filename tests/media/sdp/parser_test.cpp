#include "media/sdp/parser.hpp"

#include <gtest/gtest.h>

#include "media/sdp/errc.hpp"
#include "sdp_samples.hpp"

namespace callwire::media::sdp {
namespace {

using test::parsed_sample;

TEST(SdpParse, SippDefaultOffer) {
  auto s = parsed_sample("sipp_uac.sdp");
  EXPECT_EQ(s.origin.username, "user1");
  EXPECT_EQ(s.origin.session_id, "53655765");
  EXPECT_EQ(s.origin.session_version, 2353687637u);
  EXPECT_EQ(s.origin.address, "127.0.0.1");
  EXPECT_EQ(s.session_name, "-");
  ASSERT_TRUE(s.connection);
  EXPECT_EQ(s.connection->address, "127.0.0.1");
  ASSERT_EQ(s.timing.size(), 1u);
  ASSERT_EQ(s.media.size(), 1u);
  EXPECT_EQ(s.media[0].media, "audio");
  EXPECT_EQ(s.media[0].port, 6000);
  EXPECT_EQ(s.media[0].protocol, "RTP/AVP");
  EXPECT_EQ(s.media[0].formats, std::vector<std::string>{"0"});
  ASSERT_EQ(s.media[0].rtpmaps.size(), 1u);
  EXPECT_EQ(s.media[0].rtpmaps[0], (RtpMap{0, "PCMU", 8000, 0}));
}

TEST(SdpParse, BaresipOfferKeepsUnknownAttributesInOrder) {
  auto s = parsed_sample("baresip.sdp");
  const auto& m = s.media.at(0);
  EXPECT_EQ(m.formats, (std::vector<std::string>{"96", "9", "0", "8", "101"}));
  ASSERT_NE(m.rtpmap(96), nullptr);
  EXPECT_EQ(*m.rtpmap(96), (RtpMap{96, "opus", 48000, 2}));
  ASSERT_NE(m.fmtp("96"), nullptr);
  EXPECT_EQ(m.fmtp("96")->parameters, "stereo=1;sprop-stereo=1");
  EXPECT_EQ(m.fmtp("101")->parameters, "0-15");
  EXPECT_EQ(m.ptime, 20u);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.direction, Direction::SendRecv);
  ASSERT_EQ(m.extra.size(), 1u);
  EXPECT_EQ(m.extra[0], (Line{'b', "AS:128"}));
  ASSERT_EQ(m.attributes.size(), 3u);
  EXPECT_EQ(m.attributes[0], (Attribute{"rtcp-rsize", std::nullopt}));
  EXPECT_EQ(m.attributes[1], (Attribute{"label", "1"}));
  EXPECT_EQ(m.attributes[2].name, "ssrc");
  EXPECT_EQ(*m.attributes[2].value, "1387459620 cname:6d9a0e4a-3f5b-4a14-a1d7-1d6a2b5ff2c1");
}

TEST(SdpParse, AsteriskPtimeAndMaxptime) {
  auto s = parsed_sample("asterisk.sdp");
  EXPECT_EQ(s.session_name, "Asterisk");
  EXPECT_EQ(s.media[0].ptime, 20u);
  EXPECT_EQ(s.media[0].maxptime, 150u);
  EXPECT_EQ(s.media[0].rtpmap(3)->encoding, "GSM");
}

TEST(SdpParse, FreeswitchWithLfOnlyAndRtcpAttribute) {
  auto text = test::sample("freeswitch.sdp");
  ASSERT_EQ(text.find('\r'), std::string::npos);  // the sample really is LF-only
  auto s = test::parsed(text);
  const auto& m = s.media.at(0);
  ASSERT_TRUE(m.rtcp);
  EXPECT_EQ(m.rtcp->port, 24677);
  ASSERT_TRUE(m.rtcp->connection);
  EXPECT_EQ(m.rtcp->connection->address, "192.0.2.20");
  EXPECT_EQ(m.fmtp("102")->parameters,
            "useinbandfec=1; maxaveragebitrate=30000; maxplaybackrate=48000; ptime=20; minptime=10; maxptime=40");
}

TEST(SdpParse, CiscoMediaLevelConnectionAndStaticG729) {
  auto s = parsed_sample("cisco_gw.sdp");
  EXPECT_EQ(s.origin.username, "CiscoSystemsSIP-GW-UserAgent");
  EXPECT_EQ(s.session_name, "SIP Call");
  ASSERT_TRUE(s.media[0].connection);
  EXPECT_EQ(s.connection_for(s.media[0])->address, "10.10.10.1");
}

TEST(SdpParse, Ipv6AndVideo) {
  auto s = parsed_sample("ipv6_linphone.sdp");
  EXPECT_EQ(s.origin.addr_type, "IP6");
  ASSERT_TRUE(s.connection);
  EXPECT_EQ(s.connection->addr_type, "IP6");
  EXPECT_EQ(s.connection->address, "2001:db8::10");
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[1].media, "video");
  EXPECT_EQ(s.media[1].port, 9078);
  EXPECT_EQ(s.media[1].rtpmap(102)->clock_rate, 90000u);
  ASSERT_EQ(s.attributes.size(), 1u);  // session-level a=rtcp-xr kept
  EXPECT_EQ(s.attributes[0].name, "rtcp-xr");
}

TEST(SdpParse, WebrtcOfferWithBundleAndMediaLevelConnections) {
  auto s = parsed_sample("opus_webrtc.sdp");
  EXPECT_FALSE(s.connection);
  EXPECT_EQ(s.origin.session_id, "4611731400430051336");
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[0].protocol, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(s.connection_for(s.media[0])->address, "0.0.0.0");
  EXPECT_EQ(s.media[0].rtpmap(110)->clock_rate, 48000u);
}

TEST(SdpParse, SdesCryptoLines) {
  auto s = parsed_sample("srtp_sdes.sdp");
  const auto& m = s.media.at(0);
  EXPECT_EQ(m.protocol, "RTP/SAVP");
  ASSERT_EQ(m.crypto.size(), 2u);
  EXPECT_EQ(m.crypto[0].tag, 1u);
  EXPECT_EQ(m.crypto[0].suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(m.crypto[0].lifetime, "2^31");
  EXPECT_EQ(usable_key(m.crypto[0]).size(), 30u);
  EXPECT_EQ(m.crypto[1].suite, "AES_CM_128_HMAC_SHA1_32");
}

TEST(SdpParse, HoldOffers) {
  auto s = parsed_sample("hold_sendonly.sdp");
  EXPECT_EQ(s.direction_for(s.media[0]), Direction::SendOnly);
  auto old = parsed_sample("hold_old_style.sdp");  // also: trailing blanks, a blank line
  EXPECT_EQ(old.connection->address, "0.0.0.0");
  EXPECT_EQ(old.media[0].formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(old.direction_for(old.media[0]), Direction::SendRecv);
}

TEST(SdpParse, SessionLevelDirectionAppliesToMedia) {
  auto s = test::parsed("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\na=inactive\n"
                        "m=audio 4000 RTP/AVP 0\nm=audio 4002 RTP/AVP 8\na=recvonly\n");
  EXPECT_EQ(s.direction_for(s.media[0]), Direction::Inactive);
  EXPECT_EQ(s.direction_for(s.media[1]), Direction::RecvOnly);
}

TEST(SdpParse, ToleratesMissingSessionNameTimingAndUnknownLineTypes) {
  auto s = test::parsed("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\nx=whatever\r\n"
                        "m=audio 4000 RTP/AVP 0\r\na=ptime:20.0\r\n");
  EXPECT_EQ(s.session_name, "-");
  EXPECT_TRUE(s.timing.empty());
  EXPECT_EQ(s.media[0].ptime, 20u);
}

TEST(SdpParse, FqdnConnectionAndMulticastSuffix) {
  auto s = test::parsed("v=0\no=- 1 1 IN IP4 host.example.com\ns=-\nc=IN IP4 224.2.1.1/127\nt=0 0\n"
                        "m=audio 4000 RTP/AVP 0\nc=IN IP4 media.example.com\n");
  EXPECT_EQ(s.connection->address, "224.2.1.1");
  EXPECT_EQ(s.connection->multicast_suffix, "/127");
  EXPECT_EQ(s.media[0].connection->address, "media.example.com");
}

struct Bad {
  const char* name;
  std::string text;
  Errc errc;
  const char* detail_part;
};

constexpr const char* kHead = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";

std::vector<Bad> bad_inputs() {
  std::string h = kHead;
  return {
      {"empty", "", Errc::Malformed, "does not start with v=0"},
      {"no v", "o=- 1 1 IN IP4 1.2.3.4\r\n", Errc::Malformed, "line 1 (o=): SDP must start with v=0"},
      {"version 1", "v=1\r\n", Errc::Malformed, "unsupported SDP version"},
      {"no o", "v=0\r\ns=-\r\n", Errc::Malformed, "no o= line"},
      {"short o", "v=0\r\no=- 1 IN IP4 1.2.3.4\r\n", Errc::Malformed, "line 2 (o=): expected 6 fields"},
      {"o version", "v=0\r\no=- 1 x IN IP4 1.2.3.4\r\n", Errc::Malformed, "session version must be a number"},
      {"o id", "v=0\r\no=- abc 1 IN IP4 1.2.3.4\r\n", Errc::Malformed, "session id must be numeric"},
      {"two o", h + "o=- 1 1 IN IP4 10.0.0.1\r\n", Errc::Malformed, "o= must appear once"},
      {"no equals", h + "m audio\r\n", Errc::Malformed, "SDP line 6: expected <letter>=<value>"},
      {"upper type", h + "M=audio 1 RTP/AVP 0\r\n", Errc::Malformed, "expected <letter>=<value>"},
      {"nul", h + std::string("a=x\0y\r\n", 7), Errc::Malformed, "control character"},
      {"c nettype", h + "m=audio 1 RTP/AVP 0\r\nc=ATM NSAP 1\r\n", Errc::Malformed, "(c=): expected IN IP4|IP6"},
      {"c bad ipv4", "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 999.1.1.1\r\n", Errc::Malformed, "line 3 (c=)"},
      {"c bad ipv6", "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP6 2001:db8::g::1\r\n", Errc::Malformed, "(c=)"},
      {"port range", h + "m=audio 70000 RTP/AVP 0\r\n", Errc::Malformed, "port must be 0-65535"},
      {"port text", h + "m=audio x RTP/AVP 0\r\n", Errc::Malformed, "port must be 0-65535"},
      {"no formats", h + "m=audio 4000 RTP/AVP\r\n", Errc::Malformed, "m= line has no formats"},
      {"pt range", h + "m=audio 4000 RTP/AVP 0 128\r\n", Errc::Malformed, "'128' is not 0-127"},
      {"t after m", h + "m=audio 4000 RTP/AVP 0\r\nt=0 0\r\n", Errc::Malformed, "t= after m="},
      {"t fields", h + "t=now\r\n", Errc::Malformed, "expected <start> <stop>"},
      {"rtpmap pt", h + "m=audio 1 RTP/AVP 0\r\na=rtpmap:200 X/8000\r\n", Errc::Malformed, "rtpmap payload type"},
      {"rtpmap clock", h + "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n", Errc::Malformed, "<encoding>/<clock rate>"},
      {"rtpmap zero", h + "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU/0\r\n", Errc::Malformed, "clock rate must be"},
      {"rtpmap twice", h + "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:0 PCMA/8000\r\n",
       Errc::Malformed, "second rtpmap for payload type 0"},
      {"ptime", h + "m=audio 1 RTP/AVP 0\r\na=ptime:abc\r\n", Errc::Malformed, "ptime must be a positive"},
      {"ptime zero", h + "m=audio 1 RTP/AVP 0\r\na=maxptime:0\r\n", Errc::Malformed, "maxptime must be"},
      {"rtcp port", h + "m=audio 1 RTP/AVP 0\r\na=rtcp:x\r\n", Errc::Malformed, "rtcp port must be"},
      {"rtcp addr", h + "m=audio 1 RTP/AVP 0\r\na=rtcp:5 IN IP4\r\n", Errc::Malformed, "rtcp address"},
      {"crypto", h + "m=audio 1 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 key\r\n", Errc::Malformed,
       "a=crypto: key-params must start with inline:"},
      {"attr name", h + "a=bad name:1\r\n", Errc::Malformed, "bad attribute name"},
      {"too large", h + std::string(17000, 'x'), Errc::LimitExceeded, "limit 16384"},
  };
}

TEST(SdpParse, MalformedInputsEachWithTheirError) {
  for (const auto& b : bad_inputs()) {
    auto r = parse(b.text);
    ASSERT_FALSE(r) << b.name;
    EXPECT_EQ(r.error().code, make_error_code(b.errc)) << b.name << ": " << r.error().what();
    EXPECT_NE(r.error().what().find(b.detail_part), std::string::npos) << b.name << ": " << r.error().what();
    EXPECT_EQ(sip_status(r.error().code), 400) << b.name;
  }
}

TEST(SdpParse, Limits) {
  std::string h = kHead;
  Limits limits;
  limits.max_media = 2;
  limits.max_formats = 3;
  limits.max_lines = 9;
  limits.max_line_length = 40;
  auto media = h + "m=audio 1 RTP/AVP 0\r\nm=audio 2 RTP/AVP 0\r\nm=audio 3 RTP/AVP 0\r\n";
  auto r = parse(media, limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::LimitExceeded));
  EXPECT_EQ(r.error().what(), "SDP line 8 (m=): more than 2 m= lines");

  r = parse(h + "m=audio 1 RTP/AVP 0 8 9 18\r\n", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what(), "SDP line 6 (m=): more than 3 formats on one m= line");

  r = parse(h + "a=x\r\na=x\r\na=x\r\na=x\r\na=x\r\n", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what(), "SDP has more than 9 lines");

  r = parse(h + "a=" + std::string(40, 'x') + "\r\n", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::LimitExceeded));
  EXPECT_NE(r.error().what().find("line longer than 40"), std::string::npos);

  EXPECT_TRUE(parse(h + "m=audio 1 RTP/AVP 0 8 9\r\n", limits));  // at the limits is fine
}

TEST(SdpParse, PayloadTypesAreNormalised) {
  auto s = test::parsed(std::string(kHead) + "m=audio 4000 RTP/AVP 08 0101\r\na=fmtp:0101 0-15\r\n"
                        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
  EXPECT_EQ(s.media[0].formats, (std::vector<std::string>{"8", "101"}));
  EXPECT_NE(s.media[0].fmtp("101"), nullptr);
  EXPECT_EQ(s.media[1].formats, (std::vector<std::string>{"webrtc-datachannel"}));
}

TEST(SdpParse, RejectedStreamWithoutFormatsIsTolerated) {
  auto s = test::parsed(std::string(kHead) + "m=video 0 RTP/AVP\r\n");
  EXPECT_EQ(s.media[0].port, 0);
  EXPECT_TRUE(s.media[0].formats.empty());
}

}  // namespace
}  // namespace callwire::media::sdp
