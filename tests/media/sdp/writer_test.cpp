#include "media/sdp/writer.hpp"

#include <gtest/gtest.h>

#include "media/sdp/parser.hpp"
#include "sdp_samples.hpp"

namespace callwire::media::sdp {
namespace {

TEST(SdpWrite, CrlfLinesInRfcOrder) {
  SessionDescription s;
  s.origin = {"callwire", "123", 7, "IP4", "192.0.2.1"};
  s.session_name = "call";
  s.header.push_back({'u', "http://example.com"});
  s.header.push_back({'i', "info"});
  s.connection = Connection{"IP4", "192.0.2.1", ""};
  s.bandwidth.push_back({'b', "AS:64"});
  s.attributes.push_back({"tool", "callwire"});
  MediaDescription m;
  m.port = 4000;
  m.formats = {"0", "101"};
  m.rtpmaps = {{0, "PCMU", 8000, 0}, {101, "telephone-event", 8000, 0}};
  m.fmtps = {{"101", "0-16"}};
  m.ptime = 20;
  m.direction = Direction::SendOnly;
  m.attributes.push_back({"label", "1"});
  m.connection = Connection{"IP6", "2001:db8::1", ""};
  m.rtcp = Rtcp{4001, std::nullopt};
  m.rtcp_mux = true;
  s.media.push_back(m);
  EXPECT_EQ(to_string(s),
            "v=0\r\n"
            "o=callwire 123 7 IN IP4 192.0.2.1\r\n"
            "s=call\r\n"
            "i=info\r\n"
            "u=http://example.com\r\n"
            "c=IN IP4 192.0.2.1\r\n"
            "b=AS:64\r\n"
            "t=0 0\r\n"
            "a=tool:callwire\r\n"
            "m=audio 4000 RTP/AVP 0 101\r\n"
            "c=IN IP6 2001:db8::1\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=rtcp:4001\r\n"
            "a=rtcp-mux\r\n"
            "a=label:1\r\n"
            "a=sendonly\r\n");
}

TEST(SdpWrite, EveryLineEndsInCrlf) {
  auto text = to_string(test::parsed_sample("freeswitch.sdp"));  // an LF-only input
  std::size_t lines = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lines;
      ASSERT_GT(i, 0u);
      EXPECT_EQ(text[i - 1], '\r');
    }
  }
  EXPECT_EQ(lines, 17u);
}

class SdpRoundTrip : public ::testing::TestWithParam<const char*> {};

// Samples written in our canonical order come back byte for byte; all of
// them parse back to the same model.
TEST_P(SdpRoundTrip, ParseWriteParse) {
  auto text = test::sample(GetParam());
  auto first = test::parsed(text);
  auto written = to_string(first);
  auto second = parse(written);
  ASSERT_TRUE(second) << second.error().what();
  EXPECT_EQ(*second, first);
  EXPECT_EQ(to_string(*second), written);
}

INSTANTIATE_TEST_SUITE_P(Samples, SdpRoundTrip,
                         ::testing::Values("sipp_uac.sdp", "baresip.sdp", "asterisk.sdp", "freeswitch.sdp",
                                           "cisco_gw.sdp", "opus_webrtc.sdp", "opus_sip.sdp", "srtp_sdes.sdp",
                                           "ipv6_linphone.sdp", "hold_sendonly.sdp", "hold_old_style.sdp",
                                           "video_zoiper.sdp", "baresip_1_0_captured.sdp"));

TEST(SdpWrite, CanonicalTextIsUnchanged) {
  for (const char* name : {"sipp_uac.sdp", "asterisk.sdp", "hold_sendonly.sdp"}) {
    auto text = test::sample(name);
    EXPECT_EQ(to_string(test::parsed(text)), text) << name;
  }
}

}  // namespace
}  // namespace callwire::media::sdp
