// MediaSession after start: a codec change keeps the SSRC and the sequence
// and timestamp line (RFC 3550), audio queued for the old codec is transcoded
// until it drains, a failed reconfigure changes nothing, and SRTP protects
// both directions (the far end uses the srtp library directly).
#include <atomic>

#include "engine_test_util.hpp"
#include "media/srtp/srtp_session.hpp"

using namespace engine_test;
namespace srtp = callwire::media::srtp;

namespace {

class MediaSessionUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ce::EngineConfig cfg;
    cfg.bind_address = "127.0.0.1";
    cfg.port_first = static_cast<std::uint16_t>(port_base() + 400);
    cfg.port_last = static_cast<std::uint16_t>(port_base() + 599);
    engine_ = worker_.call([&] { return *ce::MediaEngine::create(worker_.io, cfg); });
  }
  void TearDown() override {
    worker_.call([&] {
      engine_.reset();
      return 0;
    });
  }
  ce::SessionConfig config(const Peer& peer) {
    ce::SessionConfig c;
    c.remote_rtp = peer.endpoint();
    c.remote_rtcp = {peer.endpoint().address(), static_cast<std::uint16_t>(peer.port() + 1)};
    return c;
  }
  std::shared_ptr<ce::MediaSession> start(const ce::SessionConfig& c) {
    return worker_.call([&] {
      auto s = engine_->create_session();
      EXPECT_TRUE(s) << s.error().what();
      auto started = (*s)->start(c);
      EXPECT_TRUE(started) << started.error().what();
      return *s;
    });
  }
  void close(const std::shared_ptr<ce::MediaSession>& s) {
    worker_.call([&] {
      s->close();
      return 0;
    });
  }

  Worker worker_;
  std::unique_ptr<ce::MediaEngine> engine_;
};

ce::SessionConfig pcma(ce::SessionConfig c) {
  c.codec = ce::CodecParams{"PCMA", 8000, 1, ""};
  c.payload_type = 8;
  return c;
}

double rms_alaw(std::span<const std::uint8_t> payload) {
  std::vector<std::int16_t> pcm(payload.size());
  g711::decode_alaw(payload, pcm);
  double sum = 0;
  for (auto x : pcm) sum += double(x) * x;
  return pcm.empty() ? 0 : std::sqrt(sum / pcm.size());
}

std::vector<std::uint8_t> key(std::uint8_t seed) {
  std::vector<std::uint8_t> k(srtp::kKeySaltBytes);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 31 + i);
  return k;
}

}  // namespace

TEST_F(MediaSessionUpdateTest, CodecChangeKeepsSsrcSequenceAndTimestampLine) {
  Peer peer;
  auto s = start(config(peer));
  auto before = peer.collect(5, 1s);
  ASSERT_EQ(before.size(), 5u);
  auto reconfigured = worker_.call([&] { return s->reconfigure(pcma(config(peer))).has_value(); });
  ASSERT_TRUE(reconfigured);
  // Everything up to the first PCMA packet, then a few more.
  std::vector<Packet> all = before;
  for (int guard = 0; guard < 200; ++guard) {
    auto p = peer.collect(1, 500ms);
    ASSERT_FALSE(p.empty());
    all.push_back(std::move(p[0]));
    if (all.back().view().payload_type == 8) break;
  }
  auto after = peer.collect(3, 1s);
  ASSERT_EQ(after.size(), 3u);
  all.insert(all.end(), after.begin(), after.end());
  std::size_t first8 = 0;
  while (first8 < all.size() && all[first8].view().payload_type != 8) ++first8;
  ASSERT_LT(first8, all.size());
  ASSERT_GT(first8, 0u);
  EXPECT_TRUE(all[first8].view().marker);  // a new payload type starts a talkspurt
  for (std::size_t i = 1; i < all.size(); ++i) {
    auto prev = all[i - 1].view(), v = all[i].view();
    EXPECT_EQ(prev.ssrc, v.ssrc) << i;
    EXPECT_EQ(static_cast<std::uint16_t>(prev.seq + 1), v.seq) << i;
    EXPECT_EQ(prev.timestamp + 160, v.timestamp) << i;
  }
  for (std::size_t i = first8; i < all.size(); ++i) EXPECT_EQ(all[i].view().payload_type, 8);
  // Payload type changes are refused by update(), accepted by reconfigure().
  EXPECT_FALSE(worker_.call([&] { return s->update(config(peer)).has_value(); }));
  EXPECT_EQ(worker_.call([&] { return s->config().payload_type; }), 8);
  close(s);
}

TEST_F(MediaSessionUpdateTest, QueuedAudioIsTranscodedThenNewPromptsUseTheNewCodec) {
  Peer peer;
  auto s = start(config(peer));
  std::atomic<int> first{-1}, second{-1};
  worker_.call([&] {
    return s->play_pcm(sine(8000 * 2, 8000), 8000, 1, [&](ce::PlaybackResult r) { first = int(r); }).has_value();
  });
  ASSERT_EQ(peer.collect(10, 1s).size(), 10u);
  ASSERT_TRUE(worker_.call([&] { return s->reconfigure(pcma(config(peer))).has_value(); }));
  auto pkts = peer.collect(20, 2s);
  ASSERT_EQ(pkts.size(), 20u);
  std::size_t loud_pcma = 0;
  for (auto& p : pkts) {
    auto v = p.view();
    if (v.payload_type == 8 && rms_alaw(v.payload) > 3000) ++loud_pcma;
  }
  EXPECT_GE(loud_pcma, 15u) << "the sine kept playing in A-law";
  EXPECT_EQ(first.load(), -1) << "the prompt was not interrupted";
  EXPECT_TRUE(wait_for([&] { return first.load() >= 0; }, 3s));
  EXPECT_EQ(first.load(), int(ce::PlaybackResult::Done));
  worker_.call([&] {
    return s->play_pcm(sine(800, 8000), 8000, 1, [&](ce::PlaybackResult r) { second = int(r); }).has_value();
  });
  EXPECT_TRUE(wait_for([&] { return second.load() >= 0; }, 2s));
  EXPECT_EQ(second.load(), int(ce::PlaybackResult::Done));
  close(s);
}

TEST_F(MediaSessionUpdateTest, FailedReconfigureChangesNothing) {
  Peer peer;
  auto s = start(config(peer));
  auto bad = config(peer);
  bad.codec = ce::CodecParams{"G729", 8000, 1, ""};
  bad.payload_type = 18;
  EXPECT_FALSE(worker_.call([&] { return s->reconfigure(bad).has_value(); }));
  auto keyed = config(peer);
  keyed.srtp = callwire::media::sdp::SrtpKeys{"AES_CM_128_HMAC_SHA1_80", 1, key(1), {1, 2, 3}};
  EXPECT_FALSE(worker_.call([&] { return s->reconfigure(keyed).has_value(); }));  // short remote key
  (void)peer.collect(100, 60ms);
  auto pkts = peer.collect(3, 1s);
  ASSERT_EQ(pkts.size(), 3u);
  EXPECT_EQ(pkts[2].view().payload_type, 0);
  EXPECT_FALSE(worker_.call([&] { return s->secure(); }));
  close(s);
}

TEST_F(MediaSessionUpdateTest, SrtpProtectsWhatWeSendAndChecksWhatWeReceive) {
  Peer peer;
  auto ours = key(1), theirs = key(2);
  auto c = config(peer);
  c.srtp = callwire::media::sdp::SrtpKeys{"AES_CM_128_HMAC_SHA1_80", 1, ours, theirs};
  auto s = start(c);
  EXPECT_TRUE(worker_.call([&] { return s->secure(); }));
  auto far = srtp::SrtpSession::create({srtp::Suite::AesCm128HmacSha1_80, theirs, ours});
  ASSERT_TRUE(far) << far.error().what();

  // What callwire sends is SRTP: 10 bytes longer, and it authenticates with our key.
  auto pkts = peer.collect(3, 1s);
  ASSERT_EQ(pkts.size(), 3u);
  for (auto& p : pkts) {
    ASSERT_EQ(p.bytes.size(), 172u + 10u);
    std::vector<std::uint8_t> buf = p.bytes;
    buf.resize(buf.size() + srtp::kMaxTrailer);
    auto n = far->unprotect_rtp(buf, p.bytes.size());
    ASSERT_TRUE(n) << n.error().what();
    EXPECT_EQ(*n, 172u);
    EXPECT_TRUE(std::all_of(buf.begin() + 12, buf.begin() + 172, [](std::uint8_t b) { return b == 0xFF; }));
  }

  // What it receives must be SRTP under the peer's key.
  auto ports = worker_.call([&] { return s->ports(); });
  auto silence = ulaw(sine(160, 0));
  for (std::uint16_t seq = 1; seq <= 5; ++seq) {
    std::uint8_t raw[1500];
    auto n = rtp::write_rtp({false, 0, seq, 160u * seq, 0x5151, {}}, silence, raw);
    ASSERT_TRUE(n);
    std::vector<std::uint8_t> buf(raw, raw + *n);
    buf.resize(*n + srtp::kMaxTrailer);
    auto protected_len = far->protect_rtp(buf, *n);
    ASSERT_TRUE(protected_len);
    peer.send({buf.data(), *protected_len}, ports.rtp);
    if (seq == 5) peer.send({buf.data(), *protected_len}, ports.rtp);  // a replay
  }
  peer.send_rtp(0, 6, 960, silence, ports.rtp, false, 0x5151);  // plain RTP: not authentic
  ASSERT_TRUE(wait_for([&] { return worker_.call([&] { return s->stats(); }).packets_received == 5; }, 2s));
  EXPECT_TRUE(wait_for([&] { return worker_.call([&] { return s->stats(); }).srtp_failures == 2; }, 2s));
  close(s);
}
