// The pure decisions behind re-INVITE and UPDATE: RFC 3264 §8 o= versions
// (unchanged SDP keeps its version, any change moves it by one) and what a
// new negotiation changes in the running media (hold, resume, address,
// codec, SRTP). Negotiations come from the real media::sdp functions.
#include "calls/media_update.hpp"

#include <gtest/gtest.h>

#include "media/sdp/errc.hpp"
#include "media/sdp/parser.hpp"

namespace callwire::calls {
namespace {

namespace sdp = media::sdp;

std::string offer_text(std::string_view payloads, std::string_view rtpmaps, std::string_view direction = "sendrecv",
                       std::string_view address = "198.51.100.7", int port = 40000, std::string_view proto = "RTP/AVP",
                       std::string_view extra = "") {
  std::string s = "v=0\r\no=pbx 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 " + std::string(address) + "\r\nt=0 0\r\n";
  s += "m=audio " + std::to_string(port) + " " + std::string(proto) + " " + std::string(payloads) + "\r\n";
  s += std::string(rtpmaps) + std::string(extra) + "a=" + std::string(direction) + "\r\n";
  return s;
}

sdp::SessionDescription parse(const std::string& text) {
  auto p = sdp::parse(text);
  EXPECT_TRUE(p) << p.error().what();
  return *p;
}

sdp::LocalMedia local() {
  sdp::LocalMedia l;
  l.address = "192.0.2.1";
  l.rtp_port = 30000;
  l.session_id = "4242";
  l.session_version = 1;
  l.random = [](std::span<std::uint8_t> out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(i * 5 + 1);
    return true;
  };
  return l;
}

const std::string kPcmu = "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

struct Call {
  sdp::Negotiated current;
  // A re-INVITE offer as InboundCall answers it.
  sdp::Negotiated reoffer(const std::string& text) {
    auto next = sdp::answer_reoffer(parse(text), local(), current);
    EXPECT_TRUE(next) << next.error().what();
    settle_version(current.local, next->local);
    return *next;
  }
};

Call answered(const std::string& text = offer_text("0 101", kPcmu)) {
  auto n = sdp::answer(parse(text), local());
  EXPECT_TRUE(n) << n.error().what();
  return Call{*n};
}

TEST(SdpVersion, SessionRefreshKeepsTheVersionAndSessionId) {
  auto call = answered();
  EXPECT_EQ(call.current.local.origin.session_version, 1u);
  auto again = call.reoffer(offer_text("0 101", kPcmu));
  EXPECT_EQ(again.local.origin.session_id, "4242");
  EXPECT_EQ(again.local.origin.session_version, 1u);
  EXPECT_EQ(again.local, call.current.local);
  EXPECT_FALSE(media_change(call.current, again).any());
}

TEST(SdpVersion, AnyChangeMovesTheVersionByOne) {
  auto call = answered();
  auto hold = call.reoffer(offer_text("0 101", kPcmu, "sendonly"));
  EXPECT_EQ(hold.local.origin.session_id, "4242");
  EXPECT_EQ(hold.local.origin.session_version, 2u);
  call.current = hold;
  auto still = call.reoffer(offer_text("0 101", kPcmu, "sendonly"));
  EXPECT_EQ(still.local.origin.session_version, 2u);  // held again: same SDP, same version
  call.current = still;
  auto resume = call.reoffer(offer_text("0 101", kPcmu));
  EXPECT_EQ(resume.local.origin.session_version, 3u);
}

TEST(SdpVersion, SettleVersionReportsWhetherTheSdpChanged) {
  auto call = answered();
  auto copy = call.current.local;
  copy.origin.session_version += 1;
  EXPECT_FALSE(settle_version(call.current.local, copy));
  EXPECT_EQ(copy.origin.session_version, call.current.local.origin.session_version);
  copy.origin.session_version += 1;
  copy.media[0].port = 30002;
  EXPECT_TRUE(settle_version(call.current.local, copy));
  EXPECT_EQ(copy.origin.session_version, call.current.local.origin.session_version + 1);
}

TEST(MediaChangeTest, HoldBySendonlyAnswersRecvonlyAndStopsSending) {
  auto call = answered();
  auto hold = call.reoffer(offer_text("0 101", kPcmu, "sendonly"));
  EXPECT_EQ(hold.direction, sdp::Direction::RecvOnly);
  auto c = media_change(call.current, hold);
  EXPECT_TRUE(c.hold);
  EXPECT_FALSE(c.resume || c.codec || c.address || c.receive);
  EXPECT_EQ(describe(c, call.current, hold), "hold");
  auto resume = media_change(hold, call.current);
  EXPECT_TRUE(resume.resume);
  EXPECT_FALSE(resume.hold);
}

TEST(MediaChangeTest, InactiveAndZeroAddressHolds) {
  auto call = answered();
  auto inactive = call.reoffer(offer_text("0 101", kPcmu, "inactive"));
  EXPECT_EQ(inactive.direction, sdp::Direction::Inactive);
  auto c = media_change(call.current, inactive);
  EXPECT_TRUE(c.hold);
  EXPECT_TRUE(c.receive);
  auto zero = call.reoffer(offer_text("0 101", kPcmu, "sendrecv", "0.0.0.0"));
  EXPECT_TRUE(zero.remote_hold_address);
  auto z = media_change(call.current, zero);
  EXPECT_TRUE(z.hold);
  EXPECT_TRUE(z.address);
  EXPECT_EQ(describe(z, call.current, zero).rfind("hold (c=0.0.0.0)", 0), 0u);
}

TEST(MediaChangeTest, NewAddressIsNotACodecChange) {
  auto call = answered();
  auto moved = call.reoffer(offer_text("0 101", kPcmu, "sendrecv", "198.51.100.9", 41000));
  auto c = media_change(call.current, moved);
  EXPECT_TRUE(c.address);
  EXPECT_FALSE(c.codec || c.hold || c.resume);
  EXPECT_EQ(moved.remote_rtp, (sdp::Endpoint{"198.51.100.9", 41000}));
  EXPECT_EQ(moved.local.origin.session_version, 1u);  // our SDP did not change
}

TEST(MediaChangeTest, CodecChangeWhenTheCurrentCodecIsNoLongerOffered) {
  auto call = answered();
  auto same = call.reoffer(offer_text("8 0 101", "a=rtpmap:8 PCMA/8000\r\n" + kPcmu));
  EXPECT_EQ(same.codec.name, "PCMU");  // still offered: kept even though listed second
  EXPECT_FALSE(media_change(call.current, same).codec);
  auto pcma = call.reoffer(offer_text("8 101", "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"));
  EXPECT_EQ(pcma.codec.name, "PCMA");
  auto c = media_change(call.current, pcma);
  EXPECT_TRUE(c.codec);
  EXPECT_FALSE(c.address);
  EXPECT_EQ(describe(c, call.current, pcma), "codec PCMU/20ms → PCMA/20ms");
  EXPECT_EQ(pcma.local.origin.session_version, 2u);
  auto ptime = call.reoffer(offer_text("0 101", kPcmu, "sendrecv", "198.51.100.7", 40000, "RTP/AVP", "a=ptime:30\r\n"));
  EXPECT_TRUE(media_change(call.current, ptime).codec);
}

TEST(MediaChangeTest, NoCommonCodecLeavesTheCurrentNegotiation) {
  auto call = answered();
  auto refused = sdp::answer_reoffer(parse(offer_text("18", "a=rtpmap:18 G729/8000\r\n")), local(), call.current);
  ASSERT_FALSE(refused);
  EXPECT_EQ(sdp::sip_status(refused.error().code), 488);
}

TEST(MediaChangeTest, SrtpKeyKeptAcrossARefreshAndNewPeerKeyNoticed) {
  const std::string key1 = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
  const std::string key2 = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n";
  auto savp = [&](const std::string& key) {
    return offer_text("0", "a=rtpmap:0 PCMU/8000\r\n", "sendrecv", "198.51.100.7", 40000, "RTP/SAVP", key);
  };
  auto call = answered(savp(key1));
  ASSERT_TRUE(call.current.srtp);
  auto refresh = call.reoffer(savp(key1));
  ASSERT_TRUE(refresh.srtp);
  EXPECT_EQ(refresh.srtp->local_key, call.current.srtp->local_key);  // our key is not rolled
  EXPECT_EQ(refresh.local.origin.session_version, 1u);
  EXPECT_FALSE(media_change(call.current, refresh).keys);
  auto rekey = call.reoffer(savp(key2));
  EXPECT_TRUE(media_change(call.current, rekey).keys);
  EXPECT_EQ(rekey.srtp->local_key, call.current.srtp->local_key);
}

}  // namespace
}  // namespace callwire::calls
