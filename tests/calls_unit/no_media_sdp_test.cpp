#include "calls/no_media_sdp.hpp"

#include <gtest/gtest.h>

namespace callwire::calls {
namespace {

TEST(DecliningSdp, EveryOfferedStreamDeclinedWithPortZero) {
  std::string offer =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 40000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
      "m=video 40002 RTP/AVP 96\r\n";
  auto sdp = declining_sdp(offer);
  EXPECT_NE(sdp.find("m=audio 0 RTP/AVP 8\r\n"), std::string::npos) << sdp;
  EXPECT_NE(sdp.find("m=video 0 RTP/AVP 96\r\n"), std::string::npos) << sdp;
  EXPECT_TRUE(sdp.starts_with("v=0\r\no=callwire "));
  EXPECT_EQ(sdp.find("a=rtpmap"), std::string::npos);
}

TEST(DecliningSdp, NoOfferGivesADeclinedAudioOffer) {
  auto sdp = declining_sdp("");
  EXPECT_NE(sdp.find("m=audio 0 RTP/AVP 0\r\n"), std::string::npos);
  auto bare_lf = declining_sdp("v=0\nm=audio 1234 RTP/SAVP 0\n");
  EXPECT_NE(bare_lf.find("m=audio 0 RTP/SAVP 0\r\n"), std::string::npos) << bare_lf;
}

}  // namespace
}  // namespace callwire::calls
