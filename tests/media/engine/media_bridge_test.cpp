// MediaBridge on real loopback UDP: two sessions of one engine, each with a
// far end made of a plain socket (pa for leg a, pb for leg b). What pa sends
// to leg a must come out of leg b to pb, rewritten or transcoded.
#include <atomic>
#include <mutex>

#include "bridge_test_util.hpp"
#include "engine_test_util.hpp"
#include "media/codec/codec.hpp"
#include "media/engine/media_bridge.hpp"
#include "media/srtp/srtp_session.hpp"

using namespace engine_test;
using bridge_test::relative_error;
using bridge_test::tone_ratio;
namespace srtp = callwire::media::srtp;
namespace codec = callwire::media::codec;

namespace {

std::vector<std::int16_t> tone(std::size_t n, double hz, double rate = 8000) {
  std::vector<std::int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * hz * i / rate));
  return v;
}

std::vector<std::uint8_t> alaw(std::span<const std::int16_t> pcm) {
  std::vector<std::uint8_t> out(pcm.size());
  g711::encode_alaw(pcm, out);
  return out;
}

std::vector<std::uint8_t> key(std::uint8_t seed) {
  std::vector<std::uint8_t> k(srtp::kKeySaltBytes);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 29 + i);
  return k;
}

class MediaBridgeTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = make_engine(600, 5000ms); }
  void TearDown() override {
    worker_.call([&] {
      bridge_.reset();
      engine_.reset();
      other_.reset();
      return 0;
    });
  }
  std::unique_ptr<ce::MediaEngine> make_engine(int offset, std::chrono::milliseconds rtcp) {
    ce::EngineConfig cfg;
    cfg.bind_address = "127.0.0.1";
    cfg.port_first = static_cast<std::uint16_t>(port_base() + offset);
    cfg.port_last = static_cast<std::uint16_t>(port_base() + offset + 99);
    cfg.rtcp_interval = rtcp;
    return worker_.call([&] { return *ce::MediaEngine::create(worker_.io, cfg); });
  }
  static ce::SessionConfig config(const Peer& peer, const char* codec = "PCMU", std::uint8_t pt = 0,
                                  std::optional<std::uint8_t> te = {}, std::uint32_t clock = 8000) {
    ce::SessionConfig c;
    c.codec = ce::CodecParams{codec, clock, clock == 48000 ? 2u : 1u, ""};
    c.payload_type = pt;
    c.telephone_event_pt = te;
    c.remote_rtp = peer.endpoint();
    c.remote_rtcp = {peer.endpoint().address(), static_cast<std::uint16_t>(peer.port() + 1)};
    return c;
  }
  std::shared_ptr<ce::MediaSession> start(const ce::SessionConfig& c, ce::MediaEngine* e = nullptr) {
    return worker_.call([&] {
      auto s = (e ? e : engine_.get())->create_session();
      EXPECT_TRUE(s) << s.error().what();
      auto r = (*s)->start(c);
      EXPECT_TRUE(r) << r.error().what();
      return *s;
    });
  }
  // Connects and lets what the Players sent before arrive (returned, for continuity checks).
  std::vector<Packet> connect(const std::shared_ptr<ce::MediaSession>& a, const std::shared_ptr<ce::MediaSession>& b,
                              Peer& pb) {
    auto before = pb.collect(2, 1s);
    EXPECT_EQ(before.size(), 2u);
    auto r = worker_.call([&] { return ce::MediaBridge::connect(a, b); });
    EXPECT_TRUE(r) << r.error().what();
    if (r) bridge_ = *r;
    auto inflight = pb.collect(100, 80ms);
    before.insert(before.end(), inflight.begin(), inflight.end());
    return before;
  }
  ce::BridgeStats stats() {
    return worker_.call([&] { return bridge_->stats(); });
  }
  template <class F>
  void on_worker(F f) {
    worker_.call([&] {
      f();
      return 0;
    });
  }

  Worker worker_;
  std::unique_ptr<ce::MediaEngine> engine_;
  std::unique_ptr<ce::MediaEngine> other_;
  std::shared_ptr<ce::MediaBridge> bridge_;
};

}  // namespace

TEST_F(MediaBridgeTest, SameCodecRelaysPayloadsAndRewritesTheHeader) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb, "PCMU", 100));  // same codec, another payload type
  auto before = connect(sa, sb, pb);
  ASSERT_FALSE(before.empty());
  auto last = before.back().view();
  auto pcm = sine(4800);
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::size_t i = 0; i < 30; ++i) {
    sent.push_back(ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160)));
    pa.send_rtp(0, static_cast<std::uint16_t>(60000 + i), 50000 + 160u * static_cast<std::uint32_t>(i), sent.back(),
                sa->ports().rtp, i == 0, 0x1234);
  }
  auto got = pb.collect(30, 2s);
  ASSERT_EQ(got.size(), 30u);
  auto ssrc = worker_.call([&] { return sb->ssrc(); });
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto v = got[i].view();
    EXPECT_EQ(v.payload_type, 100);
    EXPECT_EQ(v.ssrc, ssrc);
    EXPECT_EQ(v.seq, static_cast<std::uint16_t>(last.seq + 1 + i)) << i;
    EXPECT_EQ(v.marker, i == 0) << i;
    EXPECT_TRUE(std::equal(v.payload.begin(), v.payload.end(), sent[i].begin(), sent[i].end())) << i;
    if (i > 0) {
      EXPECT_EQ(v.timestamp, got[i - 1].view().timestamp + 160);
    }
  }
  // The relayed line continues the Player's: later, by less than a second.
  auto step = static_cast<std::int32_t>(got[0].view().timestamp - last.timestamp);
  EXPECT_GT(step, 0);
  EXPECT_LT(step, 8000);

  // A new incoming SSRC with an unrelated timeline: re-anchored and marked.
  for (std::uint32_t i = 0; i < 5; ++i)
    pa.send_rtp(0, static_cast<std::uint16_t>(7 + i), 123 + 160 * i, sent[i], sa->ports().rtp, false, 0x5678);
  auto more = pb.collect(5, 2s);
  ASSERT_EQ(more.size(), 5u);
  auto v0 = more[0].view();
  EXPECT_TRUE(v0.marker);
  EXPECT_FALSE(more[1].view().marker);
  EXPECT_EQ(v0.seq, static_cast<std::uint16_t>(got.back().view().seq + 1));
  EXPECT_GT(static_cast<std::int32_t>(v0.timestamp - got.back().view().timestamp), 0);
  EXPECT_EQ(more[4].view().timestamp, v0.timestamp + 640);
  auto st = stats();
  EXPECT_EQ(st.relayed_a_to_b, 35u);
  EXPECT_EQ(st.transcoded, 0u);
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_TRUE(worker_.call([&] { return sa->bridged() && sb->bridged(); }));
}

TEST_F(MediaBridgeTest, TranscodesPcmuAndPcmaBothWays) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb, "PCMA", 8));
  connect(sa, sb, pb);
  (void)pa.collect(100, 50ms);
  auto up = tone(8000, 440), down = tone(8000, 1000);
  for (std::size_t i = 0; i < 50; ++i) {
    pa.send_rtp(0, static_cast<std::uint16_t>(i), 160u * static_cast<std::uint32_t>(i),
                ulaw(std::span<const std::int16_t>(up).subspan(i * 160, 160)), sa->ports().rtp, i == 0, 0xA);
    pb.send_rtp(8, static_cast<std::uint16_t>(i), 160u * static_cast<std::uint32_t>(i),
                alaw(std::span<const std::int16_t>(down).subspan(i * 160, 160)), sb->ports().rtp, i == 0, 0xB);
  }
  auto at_b = pb.collect(50, 2s);
  auto at_a = pa.collect(50, 2s);
  ASSERT_EQ(at_b.size(), 50u);
  ASSERT_EQ(at_a.size(), 50u);
  std::vector<std::int16_t> heard_b, heard_a;
  for (std::size_t i = 0; i < 50; ++i) {
    auto vb = at_b[i].view(), va = at_a[i].view();
    EXPECT_EQ(vb.payload_type, 8);
    EXPECT_EQ(va.payload_type, 0);
    ASSERT_EQ(vb.payload.size(), 160u);
    ASSERT_EQ(va.payload.size(), 160u);
    if (i > 0) {
      EXPECT_EQ(vb.seq, static_cast<std::uint16_t>(at_b[i - 1].view().seq + 1));
      EXPECT_EQ(vb.timestamp, at_b[i - 1].view().timestamp + 160);
    }
    std::vector<std::int16_t> d(160);
    g711::decode_alaw(vb.payload, d);
    heard_b.insert(heard_b.end(), d.begin(), d.end());
    g711::decode_ulaw(va.payload, d);
    heard_a.insert(heard_a.end(), d.begin(), d.end());
  }
  EXPECT_TRUE(at_b[0].view().marker);
  EXPECT_LT(relative_error(up, heard_b), 0.05);
  EXPECT_LT(relative_error(down, heard_a), 0.05);
  auto st = stats();
  EXPECT_EQ(st.transcoded, 100u);
  EXPECT_EQ(st.relayed_a_to_b, 50u);
  EXPECT_EQ(st.relayed_b_to_a, 50u);
}

TEST_F(MediaBridgeTest, TranscodesPcmuToG722AcrossSampleRates) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb, "G722", 9));
  connect(sa, sb, pb);
  auto up = tone(8000, 440);
  for (std::size_t i = 0; i < 50; ++i)
    pa.send_rtp(0, static_cast<std::uint16_t>(i), 160u * static_cast<std::uint32_t>(i),
                ulaw(std::span<const std::int16_t>(up).subspan(i * 160, 160)), sa->ports().rtp);
  auto got = pb.collect(50, 2s);
  ASSERT_EQ(got.size(), 50u);
  auto dec = codec::make_codec("G722", 8000);
  ASSERT_TRUE(dec);
  std::vector<std::int16_t> heard;
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto v = got[i].view();
    EXPECT_EQ(v.payload_type, 9);
    if (i > 0) {
      EXPECT_EQ(v.timestamp, got[i - 1].view().timestamp + 160);  // G.722's RTP clock is 8000
    }
    std::vector<std::int16_t> d(640);
    auto n = (*dec)->decode(v.payload, d);
    ASSERT_TRUE(n);
    ASSERT_EQ(*n, 320u);
    heard.insert(heard.end(), d.begin(), d.begin() + 320);
  }
  EXPECT_GT(tone_ratio(std::span<const std::int16_t>(heard).subspan(1600), 440, 16000), 0.8);
}

TEST_F(MediaBridgeTest, TranscodesPcmuToOpusWithAnotherPtime) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto cb = config(pb, "opus", 111, {}, 48000);
  cb.ptime = 40ms;
  auto sb = start(cb);
  connect(sa, sb, pb);
  auto up = tone(8000, 440);
  for (std::size_t i = 0; i < 50; ++i)
    pa.send_rtp(0, static_cast<std::uint16_t>(i), 160u * static_cast<std::uint32_t>(i),
                ulaw(std::span<const std::int16_t>(up).subspan(i * 160, 160)), sa->ports().rtp);
  auto got = pb.collect(25, 2s);
  ASSERT_EQ(got.size(), 25u);  // two 20 ms packets per 40 ms frame
  EXPECT_TRUE(pb.collect(1, 100ms).empty());
  auto dec = codec::make_codec("opus", 48000, 2);
  ASSERT_TRUE(dec);
  std::vector<std::int16_t> heard;
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto v = got[i].view();
    EXPECT_EQ(v.payload_type, 111);
    if (i > 0) {
      EXPECT_EQ(v.timestamp, got[i - 1].view().timestamp + 1920);
      EXPECT_EQ(v.seq, static_cast<std::uint16_t>(got[i - 1].view().seq + 1));
    }
    std::vector<std::int16_t> d(5760);
    auto n = (*dec)->decode(v.payload, d);
    ASSERT_TRUE(n);
    ASSERT_EQ(*n, 1920u);
    heard.insert(heard.end(), d.begin(), d.begin() + 1920);
  }
  EXPECT_GT(tone_ratio(std::span<const std::int16_t>(heard).subspan(9600), 440, 48000), 0.8);
  EXPECT_EQ(stats().transcoded, 25u);
}

TEST_F(MediaBridgeTest, TelephoneEventsTakeTheOutgoingPayloadTypeAndDigitSinksStillHear) {
  Peer pa, pb;
  auto sa = start(config(pa, "PCMU", 0, 101));
  auto sb = start(config(pb, "PCMU", 0, 96));
  std::mutex mu;
  std::string digits;
  on_worker([&] {
    sa->on_digit([&](char d, ce::DigitSource) {
      std::lock_guard lk(mu);
      digits += d;
    });
  });
  connect(sa, sb, pb);
  auto seq = rtp::DtmfSequence::make('*');
  ASSERT_TRUE(seq);
  std::vector<std::array<std::uint8_t, 4>> sent;
  pa.send_rtp(0, 99, 7840, ulaw(sine(160)), sa->ports().rtp, false, 0x77);  // audio first
  for (std::size_t i = 0; i < seq->size(); ++i) {
    auto p = seq->packet(i);
    sent.push_back(p.payload);
    pa.send_rtp(101, static_cast<std::uint16_t>(100 + i), 8000, p.payload, sa->ports().rtp, p.marker, 0x77);
  }
  auto got = pb.collect(1 + seq->size(), 2s);
  ASSERT_EQ(got.size(), 1 + seq->size());
  auto audio = got[0].view();
  EXPECT_EQ(audio.payload_type, 0);
  for (std::size_t i = 0; i < seq->size(); ++i) {
    auto v = got[1 + i].view();
    EXPECT_EQ(v.payload_type, 96);
    EXPECT_EQ(v.marker, i == 0);
    EXPECT_EQ(v.timestamp, audio.timestamp + 160);  // the event's start, mapped like audio
    EXPECT_EQ(v.seq, static_cast<std::uint16_t>(audio.seq + 1 + i));
    EXPECT_TRUE(std::equal(v.payload.begin(), v.payload.end(), sent[i].begin(), sent[i].end())) << i;
  }
  EXPECT_TRUE(rtp::parse_telephone_event(got.back().view().payload)->end);
  EXPECT_TRUE(wait_for([&] { std::lock_guard lk(mu); return !digits.empty(); }, 1s));
  std::this_thread::sleep_for(50ms);
  {
    std::lock_guard lk(mu);
    EXPECT_EQ(digits, "*");
  }
  EXPECT_EQ(stats().events_relayed, seq->size());
}

TEST_F(MediaBridgeTest, EventsForASideWithoutTelephoneEventAreDroppedAndCounted) {
  Peer pa, pb;
  auto sa = start(config(pa, "PCMU", 0, 101));
  auto sb = start(config(pb));
  std::atomic<int> heard{0};
  on_worker([&] { sa->on_digit([&](char d, ce::DigitSource) { heard += d == '#'; }); });
  connect(sa, sb, pb);
  auto seq = rtp::DtmfSequence::make('#');
  ASSERT_TRUE(seq);
  for (std::size_t i = 0; i < seq->size(); ++i) {
    auto p = seq->packet(i);
    pa.send_rtp(101, static_cast<std::uint16_t>(i), 8000, p.payload, sa->ports().rtp, p.marker);
  }
  EXPECT_TRUE(wait_for([&] { return stats().events_dropped == seq->size(); }, 2s));
  EXPECT_TRUE(pb.collect(1, 100ms).empty());
  EXPECT_EQ(heard.load(), 1);
}

TEST_F(MediaBridgeTest, PlayerIsSilentWhileBridgedAndResumesAfterDisconnect) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb));
  std::atomic<int> first{-1};
  on_worker([&] {
    (void)sb->play_pcm(sine(1600, 6000, 300), 8000, 0, [&](ce::PlaybackResult r) { first = static_cast<int>(r); });
  });
  connect(sa, sb, pb);
  EXPECT_EQ(first.load(), static_cast<int>(ce::PlaybackResult::Interrupted));  // the bridge took the stream
  auto queued = sine(1600, 6000, 500);
  std::atomic<bool> queued_done{false};
  on_worker([&] { (void)sb->play_pcm(queued, 8000, 1, [&](ce::PlaybackResult) { queued_done = true; }); });
  EXPECT_TRUE(pb.collect(1, 300ms).empty());  // nothing from the Player while bridged
  for (std::uint32_t i = 0; i < 5; ++i)
    pa.send_rtp(0, static_cast<std::uint16_t>(i), 160 * i, ulaw(sine(160)), sa->ports().rtp);
  auto relayed = pb.collect(5, 2s);
  ASSERT_EQ(relayed.size(), 5u);
  on_worker([&] { bridge_->disconnect(); });
  EXPECT_FALSE(worker_.call([&] { return bridge_->connected() || sa->bridged() || sb->bridged(); }));
  auto own = pb.collect(3, 1s);
  ASSERT_EQ(own.size(), 3u);
  auto last = relayed.back().view(), v = own[0].view();
  EXPECT_EQ(v.seq, static_cast<std::uint16_t>(last.seq + 1));
  EXPECT_GT(static_cast<std::int32_t>(v.timestamp - last.timestamp), 0);
  EXPECT_TRUE(v.marker);
  EXPECT_EQ(own[1].view().timestamp, v.timestamp + 160);
  auto expect = ulaw(std::span<const std::int16_t>(queued).subspan(0, 160));  // what was queued plays now
  EXPECT_TRUE(std::equal(v.payload.begin(), v.payload.end(), expect.begin(), expect.end()));
  EXPECT_TRUE(wait_for([&] { return queued_done.load(); }, 2s));
  on_worker([&] { bridge_->disconnect(); });  // idempotent
}

TEST_F(MediaBridgeTest, HoldStopsForwardingAndResumeMarks) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb));
  connect(sa, sb, pb);
  std::uint16_t n = 0;
  auto send5 = [&] {
    for (int i = 0; i < 5; ++i, ++n) pa.send_rtp(0, n, 160u * n, ulaw(sine(160)), sa->ports().rtp);
  };
  send5();
  auto a = pb.collect(5, 2s);
  ASSERT_EQ(a.size(), 5u);
  auto held = config(pb);
  held.send = false;
  ASSERT_TRUE(worker_.call([&] { return sb->update(held).has_value(); }));
  send5();
  EXPECT_TRUE(wait_for([&] { return stats().held == 5; }, 2s));
  EXPECT_TRUE(pb.collect(1, 100ms).empty());
  ASSERT_TRUE(worker_.call([&] { return sb->update(config(pb)).has_value(); }));
  send5();
  auto b = pb.collect(5, 2s);
  ASSERT_EQ(b.size(), 5u);
  EXPECT_TRUE(b[0].view().marker);
  EXPECT_EQ(b[0].view().seq, static_cast<std::uint16_t>(a.back().view().seq + 1));
  EXPECT_EQ(stats().relayed_a_to_b, 10u);
}

TEST_F(MediaBridgeTest, ClosingOneSideDisconnects) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb));
  connect(sa, sb, pb);
  std::weak_ptr<ce::MediaSession> weak_a = sa;
  on_worker([&] { sa->close(); });
  EXPECT_FALSE(worker_.call([&] { return bridge_->connected() || sb->bridged(); }));
  sa.reset();
  EXPECT_TRUE(wait_for([&] { return weak_a.expired(); }, 2s));  // the bridge holds no closed session
  EXPECT_EQ(pb.collect(3, 1s).size(), 3u);                       // b's Player is back
  // b keeps receiving without a bridge; pa's packets reach a closed port.
  pb.send_rtp(0, 1, 160, ulaw(sine(160)), sb->ports().rtp);
  EXPECT_TRUE(wait_for([&] { return worker_.call([&] { return sb->stats().packets_received; }) == 1; }, 2s));
  // Dropping the last handle of a bridge disconnects it too.
  Peer pc;
  auto sc = start(config(pc));
  connect(sb, sc, pc);
  EXPECT_TRUE(worker_.call([&] { return sb->bridged(); }));
  on_worker([&] { bridge_.reset(); });
  EXPECT_FALSE(worker_.call([&] { return sb->bridged() || sc->bridged(); }));
}

TEST_F(MediaBridgeTest, SrtpLegProtectsWithItsOwnKey) {
  Peer pa, pb;
  auto ours = key(1), theirs = key(2);
  auto sa = start(config(pa));
  auto cb = config(pb);
  cb.srtp = callwire::media::sdp::SrtpKeys{"AES_CM_128_HMAC_SHA1_80", 1, ours, theirs};
  auto sb = start(cb);
  auto far = srtp::SrtpSession::create({srtp::Suite::AesCm128HmacSha1_80, theirs, ours});
  ASSERT_TRUE(far);
  connect(sa, sb, pb);
  auto payload = ulaw(sine(160));
  for (std::uint32_t i = 0; i < 5; ++i) pa.send_rtp(0, static_cast<std::uint16_t>(i), 160 * i, payload, sa->ports().rtp);
  // Plain RTP from leg a reaches pb as SRTP under leg b's key.
  for (int got = 0; got < 5;) {
    auto p = pb.receive(2s);
    ASSERT_TRUE(p);
    if (rtp::looks_like_rtcp(p->bytes)) continue;
    std::vector<std::uint8_t> buf = p->bytes;
    buf.resize(buf.size() + srtp::kMaxTrailer);
    auto n = far->unprotect_rtp(buf, p->bytes.size());
    ASSERT_TRUE(n) << n.error().what();
    auto v = rtp::parse_rtp({buf.data(), *n});
    ASSERT_TRUE(v);
    if (std::equal(v->payload.begin(), v->payload.end(), payload.begin(), payload.end())) ++got;
  }
  // SRTP from pb reaches pa as plain RTP.
  auto back = ulaw(sine(160, 4000, 900));
  for (std::uint16_t seq = 1; seq <= 3; ++seq) {
    std::uint8_t raw[1500];
    auto n = rtp::write_rtp({false, 0, seq, 160u * seq, 0x5151, {}}, back, raw);
    std::vector<std::uint8_t> buf(raw, raw + *n);
    buf.resize(*n + srtp::kMaxTrailer);
    auto len = far->protect_rtp(buf, *n);
    ASSERT_TRUE(len);
    pb.send({buf.data(), *len}, sb->ports().rtp);
  }
  auto at_a = pa.collect(100, 300ms);
  auto relayed = std::count_if(at_a.begin(), at_a.end(), [&](const Packet& p) {
    auto v = p.view();
    return std::equal(v.payload.begin(), v.payload.end(), back.begin(), back.end());
  });
  EXPECT_EQ(relayed, 3);
  EXPECT_EQ(stats().relayed_b_to_a, 3u);
}

TEST_F(MediaBridgeTest, RecordingKeepsWorkingOnABridgedLeg) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb));
  connect(sa, sb, pb);
  auto path = (std::filesystem::temp_directory_path() / ("cw_bridge_rec_" + std::to_string(::getpid()) + ".wav")).string();
  std::promise<callwire::Result<ce::RecordingInfo>> result;
  ASSERT_TRUE(worker_.call([&] {
    ce::RecorderConfig rc;
    rc.path = path;
    return sa->start_recording(rc, [&](callwire::Result<ce::RecordingInfo> r) { result.set_value(std::move(r)); })
        .has_value();
  }));
  auto pcm = sine(8000);
  for (std::size_t i = 0; i < 50; ++i)
    pa.send_rtp(0, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160),
                ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160)), sa->ports().rtp);
  EXPECT_EQ(pb.collect(50, 2s).size(), 50u);
  on_worker([&] { sa->stop_recording(); });
  auto info = result.get_future().get();
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->samples, 8000u);
  std::filesystem::remove(path);
}

TEST_F(MediaBridgeTest, SenderReportsCountRelayedPackets) {
  auto fast = make_engine(800, 300ms);
  Peer pa, pb;
  auto sa = start(config(pa), fast.get());
  auto cb = config(pb);
  cb.rtcp_mux = true;  // RTCP to pb's RTP socket
  auto sb = start(cb, fast.get());
  auto r = worker_.call([&] { return ce::MediaBridge::connect(sa, sb); });
  ASSERT_TRUE(r);
  for (std::uint32_t i = 0; i < 40; ++i) pa.send_rtp(0, static_cast<std::uint16_t>(i), 160 * i, ulaw(sine(160)), sa->ports().rtp);
  ASSERT_TRUE(wait_for([&] { return worker_.call([&] { return (*r)->stats().relayed_a_to_b; }) == 40; }, 2s));
  auto sent = worker_.call([&] { return sb->stats().packets_sent; });
  auto ssrc = worker_.call([&] { return sb->ssrc(); });
  bool seen = false;
  auto deadline = Clock::now() + 3s;
  while (!seen && Clock::now() < deadline) {
    auto p = pb.receive(100ms);
    if (!p || !rtp::looks_like_rtcp(p->bytes)) continue;
    auto info = rtp::parse_rtcp(p->bytes);
    ASSERT_TRUE(info);
    if (!info->has_sender_info || info->sender.ssrc != ssrc) continue;
    if (info->sender.packet_count < sent) continue;  // a report from before the relay finished
    EXPECT_EQ(info->sender.packet_count, sent);
    EXPECT_EQ(info->sender.octet_count, sent * 160);
    seen = true;
  }
  EXPECT_TRUE(seen);
  on_worker([&] {
    (*r)->disconnect();
    fast.reset();
  });
}

TEST_F(MediaBridgeTest, ConnectRefusesMisuse) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb));
  auto code = [&](std::shared_ptr<ce::MediaSession> a, std::shared_ptr<ce::MediaSession> b) {
    return worker_.call([&] {
      auto r = ce::MediaBridge::connect(a, b);
      return r ? std::error_code{} : r.error().code;
    });
  };
  EXPECT_EQ(code(sa, sa), std::error_code(ce::Errc::BadArgument));
  EXPECT_EQ(code(sa, nullptr), std::error_code(ce::Errc::BadArgument));
  auto idle = worker_.call([&] { return *engine_->create_session(); });
  EXPECT_EQ(code(sa, idle), std::error_code(ce::Errc::NotStarted));
  other_ = make_engine(700, 5000ms);
  Peer pc;
  auto elsewhere = start(config(pc), other_.get());
  EXPECT_EQ(code(sa, elsewhere), std::error_code(ce::Errc::BadArgument));
  connect(sa, sb, pb);
  Peer pd;
  auto sd = start(config(pd));
  EXPECT_EQ(code(sd, sb), std::error_code(ce::Errc::Busy));
  on_worker([&] { sd->close(); });
  EXPECT_EQ(code(sd, idle), std::error_code(ce::Errc::Closed));
}

TEST_F(MediaBridgeTest, ReconfiguredLegSwitchesTheRelayToTranscoding) {
  Peer pa, pb;
  auto sa = start(config(pa));
  auto sb = start(config(pb));
  connect(sa, sb, pb);
  std::uint16_t n = 0;
  auto pcm = sine(8000);
  auto send = [&](int count) {
    for (int i = 0; i < count; ++i, ++n)
      pa.send_rtp(0, n, 160u * n, ulaw(std::span<const std::int16_t>(pcm).subspan(n * 160u, 160)), sa->ports().rtp);
  };
  send(5);
  auto a = pb.collect(5, 2s);
  ASSERT_EQ(a.size(), 5u);
  // A re-INVITE moves leg b to PCMA: the bridge now transcodes into it, on the same line.
  ASSERT_TRUE(worker_.call([&] { return sb->reconfigure(config(pb, "PCMA", 8)).has_value(); }));
  EXPECT_TRUE(worker_.call([&] { return sb->bridged(); }));
  send(5);
  auto b = pb.collect(5, 2s);
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[0].view().payload_type, 8);
  EXPECT_EQ(b[0].view().ssrc, a[0].view().ssrc);
  EXPECT_EQ(b[0].view().seq, static_cast<std::uint16_t>(a.back().view().seq + 1));
  EXPECT_GT(static_cast<std::int32_t>(b[0].view().timestamp - a.back().view().timestamp), 0);
  std::vector<std::int16_t> heard;
  for (auto& p : b) {
    std::vector<std::int16_t> d(160);
    g711::decode_alaw(p.view().payload, d);
    heard.insert(heard.end(), d.begin(), d.end());
  }
  EXPECT_LT(relative_error(std::span<const std::int16_t>(pcm).subspan(800, 800), heard), 0.05);
  EXPECT_EQ(stats().transcoded, 5u);
}
