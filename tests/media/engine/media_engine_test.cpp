// The engine on real loopback UDP: the engine runs on its own thread like a
// worker; the far end is a plain socket driven with the raw rtp/codec libraries.
#include <filesystem>
#include <future>
#include <mutex>

#include "engine_test_util.hpp"
#include "media/sdp/negotiation.hpp"
#include "media/sdp/parser.hpp"

using namespace engine_test;

namespace {

class MediaEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ce::EngineConfig cfg;
    cfg.bind_address = "127.0.0.1";
    cfg.port_first = port_base();
    cfg.port_last = static_cast<std::uint16_t>(port_base() + 199);
    cfg.rtcp_interval = 5000ms;
    engine_ = worker_.call([&] { return *ce::MediaEngine::create(worker_.io, cfg); });
  }
  void TearDown() override {
    worker_.call([&] {
      engine_.reset();
      return 0;
    });
  }
  std::shared_ptr<ce::MediaSession> start_session(const Peer& peer, std::optional<std::uint8_t> te = {}) {
    return worker_.call([&] {
      auto s = engine_->create_session();
      EXPECT_TRUE(s) << s.error().what();
      ce::SessionConfig c;
      c.remote_rtp = peer.endpoint();
      c.remote_rtcp = {peer.endpoint().address(), static_cast<std::uint16_t>(peer.port() + 1)};
      c.telephone_event_pt = te;
      EXPECT_TRUE((*s)->start(c));
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

}  // namespace

TEST_F(MediaEngineTest, PlaysPcmWithSequenceTimestampsAndMarker) {
  Peer peer;
  auto s = start_session(peer);
  auto pcm = sine(8000);  // 1 s = 50 frames
  std::atomic<int> done{-1};
  worker_.call([&] {
    return s->play_pcm(pcm, 8000, 1, [&](ce::PlaybackResult r) { done = static_cast<int>(r); }).has_value();
  });
  auto pkts = peer.collect(60, 3s);
  ASSERT_GE(pkts.size(), 50u);
  ASSERT_TRUE(pkts[0].view().marker);
  for (std::size_t i = 0; i < 50; ++i) {
    auto v = pkts[i].view();
    EXPECT_EQ(v.payload_type, 0);
    EXPECT_EQ(v.marker, i == 0) << i;
    if (i > 0) {
      auto prev = pkts[i - 1].view();
      EXPECT_EQ(static_cast<std::uint16_t>(prev.seq + 1), v.seq);
      EXPECT_EQ(prev.timestamp + 160, v.timestamp);
      EXPECT_EQ(prev.ssrc, v.ssrc);
    }
    auto expect = ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160));
    ASSERT_TRUE(std::equal(v.payload.begin(), v.payload.end(), expect.begin(), expect.end())) << "frame " << i;
  }
  // After the prompt: silence frames on the same timeline.
  auto v50 = pkts[50].view();
  EXPECT_EQ(pkts[49].view().timestamp + 160, v50.timestamp);
  EXPECT_TRUE(std::all_of(v50.payload.begin(), v50.payload.end(), [](std::uint8_t b) { return b == 0xFF; }));
  EXPECT_TRUE(wait_for([&] { return done.load() >= 0; }, 1s));
  EXPECT_EQ(done.load(), static_cast<int>(ce::PlaybackResult::Done));
  auto st = worker_.call([&] { return s->stats(); });
  EXPECT_GE(st.packets_sent, 50u);
  EXPECT_EQ(st.bytes_sent, st.packets_sent * 172);
  close(s);
}

TEST_F(MediaEngineTest, SilenceKeepsTimeThenPromptIsMarked) {
  Peer peer;
  auto s = start_session(peer);
  std::atomic<bool> silence_done{false};
  Clock::time_point t0, t1;
  auto audio = std::make_shared<callwire::media::tts::Audio>();
  audio->samples = sine(1600);  // 10 frames
  std::shared_ptr<const callwire::media::tts::Audio> shared = audio;
  worker_.call([&] {
    t0 = Clock::now();
    (void)s->silence(500ms, [&](ce::PlaybackResult) {
      t1 = Clock::now();
      silence_done = true;
    });
    return s->play(shared, 1).has_value();
  });
  auto pkts = peer.collect(40, 3s);
  ASSERT_EQ(pkts.size(), 40u);
  EXPECT_TRUE(wait_for([&] { return silence_done.load(); }, 1s));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count();
  EXPECT_GE(ms, 460);
  EXPECT_LE(ms, 800);
  // 25 silence frames (the first marks the stream start), then the marked prompt.
  for (std::size_t i = 1; i < 25; ++i) EXPECT_FALSE(pkts[i].view().marker) << i;
  EXPECT_TRUE(pkts[25].view().marker);
  for (std::size_t i = 1; i < 40; ++i) EXPECT_EQ(pkts[i - 1].view().timestamp + 160, pkts[i].view().timestamp);
  close(s);
}

TEST_F(MediaEngineTest, LoopsASharedPromptEncodedOnce) {
  Peer a, b;
  auto sa = start_session(a);
  auto sb = start_session(b);
  auto audio = std::make_shared<callwire::media::tts::Audio>();
  audio->samples = sine(800, 6000, 300);  // 5 frames
  std::shared_ptr<const callwire::media::tts::Audio> shared = audio;
  std::atomic<int> done{0};
  worker_.call([&] {
    (void)sa->play(shared, 3, [&](ce::PlaybackResult r) { done += r == ce::PlaybackResult::Done; });
    return sb->play(shared, 3, [&](ce::PlaybackResult r) { done += r == ce::PlaybackResult::Done; }).has_value();
  });
  auto pkts = a.collect(16, 2s);
  (void)b.collect(16, 2s);
  ASSERT_EQ(pkts.size(), 16u);
  auto enc = ulaw(audio->samples);
  for (std::size_t i = 0; i < 15; ++i) {
    auto v = pkts[i].view();
    auto want = std::span<const std::uint8_t>(enc).subspan((i % 5) * 160, 160);
    EXPECT_TRUE(std::equal(v.payload.begin(), v.payload.end(), want.begin(), want.end())) << i;
    EXPECT_EQ(v.marker, i == 0);
  }
  EXPECT_EQ(pkts[15].view().payload[0], 0xFF);  // silence after three loops
  EXPECT_TRUE(wait_for([&] { return done.load() == 2; }, 1s));
  auto [hits, misses] = worker_.call([&] { return std::pair{engine_->prompts().hits(), engine_->prompts().misses()}; });
  EXPECT_EQ(misses, 1u);
  EXPECT_EQ(hits, 1u);
  close(sa);
  close(sb);
}

TEST_F(MediaEngineTest, StopPlaybackInterruptsEveryQueuedItem) {
  Peer peer;
  auto s = start_session(peer);
  std::mutex mu;
  std::vector<ce::PlaybackResult> results;
  auto record = [&](ce::PlaybackResult r) {
    std::lock_guard lk(mu);
    results.push_back(r);
  };
  worker_.call([&] {
    (void)s->play_pcm(sine(1600), 8000, 0, record);  // forever
    return s->silence(1s, record).has_value();
  });
  ASSERT_EQ(peer.collect(10, 2s).size(), 10u);
  bool playing_before = worker_.call([&] {
    bool p = s->playing();
    s->stop_playback();
    return p;
  });
  EXPECT_TRUE(playing_before);
  {
    std::lock_guard lk(mu);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0], ce::PlaybackResult::Interrupted);
    EXPECT_EQ(results[1], ce::PlaybackResult::Interrupted);
  }
  auto after = peer.collect(5, 1s);
  ASSERT_EQ(after.size(), 5u);
  auto v = after.back().view();
  EXPECT_TRUE(std::all_of(v.payload.begin(), v.payload.end(), [](std::uint8_t b) { return b == 0xFF; }));
  EXPECT_FALSE(worker_.call([&] { return s->playing(); }));
  close(s);
}

TEST_F(MediaEngineTest, Rfc4733DigitReportedOnce) {
  Peer peer;
  auto s = start_session(peer, 101);
  std::mutex mu;
  std::vector<std::pair<char, ce::DigitSource>> digits;
  worker_.call([&] {
    s->on_digit([&](char d, ce::DigitSource src) {
      std::lock_guard lk(mu);
      digits.emplace_back(d, src);
    });
    return 0;
  });
  auto seq = rtp::DtmfSequence::make('5');
  ASSERT_TRUE(seq);
  for (std::size_t i = 0; i < seq->size(); ++i) {
    auto p = seq->packet(i);
    peer.send_rtp(101, static_cast<std::uint16_t>(100 + i), 8000, p.payload, s->ports().rtp, p.marker);
  }
  EXPECT_TRUE(wait_for([&] { std::lock_guard lk(mu); return !digits.empty(); }, 2s));
  std::this_thread::sleep_for(100ms);
  std::lock_guard lk(mu);
  ASSERT_EQ(digits.size(), 1u);
  EXPECT_EQ(digits[0].first, '5');
  EXPECT_EQ(digits[0].second, ce::DigitSource::Rfc4733);
}

TEST_F(MediaEngineTest, SendsRfc4733DigitsWhenNegotiated) {
  Peer peer;
  auto s = start_session(peer, 101);
  std::atomic<bool> done{false};
  worker_.call([&] { return s->send_digits("1", [&](ce::PlaybackResult) { done = true; }).has_value(); });
  auto pkts = peer.collect(12, 2s);
  std::vector<rtp::TelephoneEvent> events;
  std::uint32_t ts = 0;
  for (auto& p : pkts) {
    auto v = p.view();
    if (v.payload_type != 101) continue;
    if (events.empty()) {
      ts = v.timestamp;
      EXPECT_TRUE(v.marker);
    }
    EXPECT_EQ(v.timestamp, ts);
    events.push_back(*rtp::parse_telephone_event(v.payload));
  }
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[0].event, 1);
  EXPECT_TRUE(events.back().end);
  EXPECT_TRUE(wait_for([&] { return done.load(); }, 2s));
}

TEST_F(MediaEngineTest, InBandDigitDetected) {
  Peer peer;
  auto s = start_session(peer);
  std::mutex mu;
  std::vector<std::pair<char, ce::DigitSource>> digits;
  worker_.call([&] {
    s->on_digit([&](char d, ce::DigitSource src) {
      std::lock_guard lk(mu);
      digits.emplace_back(d, src);
    });
    return 0;
  });
  auto gen = callwire::media::codec::ToneGenerator::dtmf("7");
  ASSERT_TRUE(gen);
  std::vector<std::int16_t> pcm;
  std::int16_t frame[160];
  while (std::size_t n = gen->generate(frame)) pcm.insert(pcm.end(), frame, frame + n);
  pcm.resize(pcm.size() + 1600, 0);
  pcm.resize((pcm.size() + 159) / 160 * 160, 0);
  for (std::size_t i = 0; i * 160 < pcm.size(); ++i) {
    auto enc = ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160));
    peer.send_rtp(0, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160), enc, s->ports().rtp);
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(wait_for([&] { std::lock_guard lk(mu); return !digits.empty(); }, 2s));
  std::this_thread::sleep_for(100ms);
  std::lock_guard lk(mu);
  ASSERT_EQ(digits.size(), 1u);
  EXPECT_EQ(digits[0].first, '7');
  EXPECT_EQ(digits[0].second, ce::DigitSource::InBand);
}

TEST_F(MediaEngineTest, RecordsReceivedAudioToWav) {
  Peer peer;
  auto s = start_session(peer);
  auto path = (std::filesystem::temp_directory_path() / ("cw_engine_rec_" + std::to_string(::getpid()) + ".wav")).string();
  std::promise<callwire::Result<ce::RecordingInfo>> result;
  worker_.call([&] {
    ce::RecorderConfig rc;
    rc.path = path;
    return s->start_recording(rc, [&](callwire::Result<ce::RecordingInfo> r) { result.set_value(std::move(r)); })
        .has_value();
  });
  auto pcm = sine(8000);
  for (std::size_t i = 0; i < 50; ++i) {
    auto enc = ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160));
    // Frame 20 is lost: the recording keeps its length with 20 ms of silence.
    if (i != 20) peer.send_rtp(0, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160), enc, s->ports().rtp);
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(wait_for([&] { return worker_.call([&] { return s->stats().packets_received; }) == 49; }, 2s));
  worker_.call([&] {
    s->stop_recording();
    return 0;
  });
  auto info = result.get_future().get();
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->samples, 8000u);
  EXPECT_EQ(info->end, ce::RecordEnd::Stopped);
  EXPECT_EQ(std::filesystem::file_size(path), 44u + 16000u);
  std::filesystem::remove(path);
}

TEST_F(MediaEngineTest, LatchesToTheRealSourceAddress) {
  Peer signalled, real;
  auto s = start_session(signalled);
  ASSERT_GE(signalled.collect(2, 1s).size(), 2u);
  std::uint8_t payload[160];
  std::fill(std::begin(payload), std::end(payload), 0xFF);
  for (std::uint16_t i = 0; i < 3; ++i) real.send_rtp(0, i, i * 160u, payload, s->ports().rtp);
  EXPECT_TRUE(wait_for([&] { return worker_.call([&] { return s->latch()->latched(); }); }, 2s));
  auto pkts = real.collect(3, 2s);
  EXPECT_EQ(pkts.size(), 3u);
  EXPECT_EQ(worker_.call([&] { return s->latch()->target().port; }), real.port());
  // Packets from a third address are now ignored.
  Peer stray;
  stray.send_rtp(0, 1, 160, payload, s->ports().rtp, false, 0x9999);
  EXPECT_TRUE(wait_for([&] { return worker_.call([&] { return s->stats().ignored; }) == 1; }, 2s));
  close(s);
}

TEST_F(MediaEngineTest, CloseSendsByeAndReleasesPorts) {
  Peer peer;
  auto before = worker_.call([&] { return engine_->ports_available(); });
  auto s = start_session(peer);
  EXPECT_EQ(worker_.call([&] { return engine_->ports_available(); }), before - 1);
  auto ports = s->ports();
  worker_.call([&] {  // RTCP on the RTP port, so the peer sees the BYE
    ce::SessionConfig c;
    c.remote_rtp = peer.endpoint();
    c.rtcp_mux = true;
    return s->update(c).has_value();
  });
  close(s);
  bool bye = false;
  for (int i = 0; i < 200 && !bye; ++i) {
    auto p = peer.receive(50ms);
    if (!p || !rtp::looks_like_rtcp(p->bytes)) continue;
    auto info = rtp::parse_rtcp(p->bytes);
    ASSERT_TRUE(info);
    bye = info->has_bye && info->bye_count == 1 && info->bye_ssrcs[0] == s->ssrc();
  }
  EXPECT_TRUE(bye);
  EXPECT_EQ(worker_.call([&] { return engine_->ports_available(); }), before);
  EXPECT_EQ(worker_.call([&] { return engine_->sessions(); }), 0u);
  // The RTCP port is free again: it can be bound.
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(ports.rtcp());
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::close(fd);
  EXPECT_FALSE(worker_.call([&] { return s->silence(20ms).has_value(); }));
}

TEST(PortRange, SplitsIntoWholePairsPerWorker) {
  auto r = ce::split_port_range("10000-20000", 2);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].first, 10000);
  EXPECT_EQ((*r)[0].second % 2, 1);
  EXPECT_EQ((*r)[1].first, (*r)[0].second + 1);
  EXPECT_LE((*r)[1].second, 20000);
  EXPECT_FALSE(ce::split_port_range("10000-10001", 2));
}

TEST_F(MediaEngineTest, HoldStopsSendingAndResumeMarksTheTalkspurt) {
  Peer peer;
  auto s = start_session(peer);
  ASSERT_EQ(peer.collect(3, 1s).size(), 3u);
  worker_.call([&] {
    ce::SessionConfig c;
    c.remote_rtp = peer.endpoint();
    c.send = false;
    return s->update(c).has_value();
  });
  (void)peer.collect(100, 100ms);  // what was in flight
  EXPECT_TRUE(peer.collect(1, 300ms).empty());
  worker_.call([&] {
    ce::SessionConfig c;
    c.remote_rtp = peer.endpoint();
    return s->update(c).has_value();
  });
  auto pkts = peer.collect(2, 1s);
  ASSERT_EQ(pkts.size(), 2u);
  EXPECT_TRUE(pkts[0].view().marker);
  EXPECT_FALSE(pkts[1].view().marker);
  close(s);
}

TEST_F(MediaEngineTest, SendsInBandDigitsWithoutTelephoneEvent) {
  Peer peer;
  auto s = start_session(peer);  // no telephone-event negotiated
  std::atomic<bool> done{false};
  worker_.call([&] { return s->send_digits("9", [&](ce::PlaybackResult) { done = true; }).has_value(); });
  auto pkts = peer.collect(15, 2s);
  ASSERT_EQ(pkts.size(), 15u);
  std::vector<char> heard;
  auto det = callwire::media::codec::DtmfDetector::create([&](char d) { heard.push_back(d); });
  ASSERT_TRUE(det);
  for (auto& p : pkts) {
    auto v = p.view();
    EXPECT_EQ(v.payload_type, 0);
    std::vector<std::int16_t> pcm(v.payload.size());
    g711::decode_ulaw(v.payload, pcm);
    det->process(pcm);
  }
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0], '9');
  EXPECT_TRUE(wait_for([&] { return done.load(); }, 2s));
  close(s);
}

TEST_F(MediaEngineTest, StartsFromAnSdpAnswerWithTheOfferedPayloadTypes) {
  Peer peer;
  auto offer = callwire::media::sdp::parse(
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=audio " + std::to_string(peer.port()) + " RTP/AVP 8 96\r\n"
      "a=rtpmap:8 PCMA/8000\r\na=rtpmap:96 telephone-event/8000\r\na=ptime:20\r\n");
  ASSERT_TRUE(offer) << offer.error().what();
  auto s = worker_.call([&] { return *engine_->create_session(); });
  callwire::media::sdp::LocalMedia local;
  local.address = s->advertised_address();
  local.rtp_port = s->ports().rtp;
  local.srtp = callwire::media::sdp::SrtpPolicy::Refuse;
  local.session_id = "1";
  auto neg = callwire::media::sdp::answer(*offer, local);
  ASSERT_TRUE(neg) << neg.error().what();
  auto cfg = ce::SessionConfig::from_negotiated(*neg);
  ASSERT_TRUE(cfg) << cfg.error().what();
  EXPECT_EQ(cfg->payload_type, 8);
  EXPECT_EQ(cfg->telephone_event_pt, std::optional<std::uint8_t>(96));
  EXPECT_EQ(cfg->remote_rtp.port(), peer.port());
  EXPECT_TRUE(cfg->send);
  ASSERT_TRUE(worker_.call([&] { return s->start(*cfg).has_value(); }));
  worker_.call([&] { return s->send_digits("4").has_value(); });
  auto pkts = peer.collect(4, 2s);
  ASSERT_EQ(pkts.size(), 4u);
  EXPECT_EQ(pkts[0].view().payload_type, 96);  // the digit goes first, as telephone-event
  // After the event: PCMA silence frames (A-law silence is 0xD5).
  auto more = peer.collect(12, 2s);
  auto pcma = std::find_if(more.begin(), more.end(), [](const Packet& p) { return p.view().payload_type == 8; });
  ASSERT_NE(pcma, more.end());
  auto v = pcma->view();
  EXPECT_EQ(v.payload.size(), 160u);
  EXPECT_TRUE(std::all_of(v.payload.begin(), v.payload.end(), [](std::uint8_t b) { return b == 0xD5; }));
  close(s);
}
