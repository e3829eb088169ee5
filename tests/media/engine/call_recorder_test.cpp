// CallRecorder (two channels or a mono mix on a wall-clock time line) with
// synthetic time, and CallRecording fed by two bridged loopback sessions.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"  // designated initializers of configs

#include <fstream>
#include <set>
#include <iterator>

#include "bridge_test_util.hpp"
#include "engine_test_util.hpp"
#include "media/engine/call_recorder.hpp"
#include "media/engine/call_recording.hpp"
#include "media/engine/media_bridge.hpp"

using namespace engine_test;
using bridge_test::tone_ratio;

namespace {

struct Wav {
  std::uint16_t channels = 0;
  std::uint32_t rate = 0, byte_rate = 0, data_bytes = 0;
  std::uint16_t block_align = 0;
  std::vector<std::int16_t> ch[2];  // de-interleaved
};

std::uint32_t le(const std::vector<std::uint8_t>& b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}

Wav read_wav(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<std::uint8_t> b{std::istreambuf_iterator<char>(f), {}};
  Wav w;
  if (b.size() < 44) return w;
  w.channels = static_cast<std::uint16_t>(le(b, 22, 2));
  w.rate = le(b, 24, 4);
  w.byte_rate = le(b, 28, 4);
  w.block_align = static_cast<std::uint16_t>(le(b, 32, 2));
  w.data_bytes = le(b, 40, 4);
  EXPECT_EQ(b.size(), 44u + w.data_bytes);
  std::size_t frames = (b.size() - 44) / 2 / std::max<std::uint16_t>(w.channels, 1);
  for (std::size_t i = 0; i < frames; ++i)
    for (std::uint16_t c = 0; c < w.channels && c < 2; ++c)
      w.ch[c].push_back(static_cast<std::int16_t>(le(b, 44 + (i * w.channels + c) * 2, 2)));
  return w;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("cw_callrec_" + std::to_string(::getpid()) + name)).string();
}

std::vector<std::int16_t> tone(std::size_t n, double hz, std::size_t phase = 0, double amp = 8000) {
  std::vector<std::int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int16_t>(amp * std::sin(2 * M_PI * hz * (i + phase) / 8000.0));
  return v;
}

double rms(std::span<const std::int16_t> x) {
  double s = 0;
  for (auto v : x) s += static_cast<double>(v) * v;
  return x.empty() ? 0 : std::sqrt(s / static_cast<double>(x.size()));
}

std::span<const std::int16_t> slice(const std::vector<std::int16_t>& v, double from_s, double to_s) {
  auto a = std::min(v.size(), static_cast<std::size_t>(from_s * 8000));
  auto b = std::min(v.size(), static_cast<std::size_t>(to_s * 8000));
  return std::span<const std::int16_t>(v).subspan(a, b - a);
}

const Clock::time_point kT0 = Clock::time_point{} + 100h;
Clock::time_point at_ms(std::int64_t ms) { return kT0 + std::chrono::milliseconds(ms); }

// Feeds 20 ms frames: channel 0 a 440 Hz tone, channel 1 a 1000 Hz tone, for
// frames [first, last) of each side; `lose0` frames of channel 0 are lost.
void feed(ce::CallRecorder& r, int first0, int last0, int first1, int last1, std::set<int> lose0 = {}) {
  for (int i = 0; i < std::max(last0, last1); ++i) {
    auto now = at_ms(20 * (i + 1));  // a frame arrives when it is complete
    if (i >= first0 && i < last0 && !lose0.count(i)) {
      int lost = 0;
      for (int j = i - 1; j >= first0 && lose0.count(j); --j) ++lost;
      if (lost) {
        EXPECT_FALSE(r.write_gap(0, 160u * static_cast<unsigned>(lost), 8000, now));
      }
      EXPECT_FALSE(r.write(0, tone(160, 440, 160u * static_cast<unsigned>(i)), 8000, now));
    }
    if (i >= first1 && i < last1) {
      EXPECT_FALSE(r.write(1, tone(160, 1000, 160u * static_cast<unsigned>(i)), 8000, now));
    }
  }
}

}  // namespace

TEST(CallRecorder, DualChannelKeepsEachSideOnItsChannel) {
  auto path = temp_path("dual.wav");
  auto r = ce::CallRecorder::open({.path = path}, kT0);
  ASSERT_TRUE(r) << r.error().what();
  feed(**r, 0, 50, 0, 50);
  auto info = (*r)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->channels, 2);
  EXPECT_EQ(info->samples, 8000u);
  EXPECT_EQ(info->duration, 1000ms);
  EXPECT_TRUE(info->heard_sound);
  auto w = read_wav(path);
  EXPECT_EQ(w.channels, 2);
  EXPECT_EQ(w.rate, 8000u);
  EXPECT_EQ(w.byte_rate, 32000u);
  EXPECT_EQ(w.block_align, 4);
  ASSERT_EQ(w.ch[0].size(), 8000u);
  EXPECT_GT(tone_ratio(w.ch[0], 440, 8000), 0.9);
  EXPECT_LT(tone_ratio(w.ch[0], 1000, 8000), 0.05);
  EXPECT_GT(tone_ratio(w.ch[1], 1000, 8000), 0.9);
  EXPECT_LT(tone_ratio(w.ch[1], 440, 8000), 0.05);
  std::filesystem::remove(path);
}

TEST(CallRecorder, MonoMixesBothSides) {
  auto path = temp_path("mono.wav");
  auto r = ce::CallRecorder::open({.path = path, .dual = false}, kT0);
  ASSERT_TRUE(r);
  feed(**r, 0, 50, 0, 50);
  auto info = (*r)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->channels, 1);
  auto w = read_wav(path);
  EXPECT_EQ(w.channels, 1);
  EXPECT_EQ(w.byte_rate, 16000u);
  ASSERT_EQ(w.ch[0].size(), 8000u);
  // Two equal tones: about half the energy each.
  EXPECT_GT(tone_ratio(w.ch[0], 440, 8000), 0.4);
  EXPECT_GT(tone_ratio(w.ch[0], 1000, 8000), 0.4);
  EXPECT_EQ(w.ch[0][100], static_cast<std::int16_t>(tone(1, 440, 100)[0] + tone(1, 1000, 100)[0]));
  std::filesystem::remove(path);
}

TEST(CallRecorder, LateSideStartsWhereItWasHeardAndLossIsSilence) {
  auto path = temp_path("align.wav");
  auto r = ce::CallRecorder::open({.path = path}, kT0);
  ASSERT_TRUE(r);
  // Channel 1 begins 1 s late; channel 0 loses 200 ms at 0.6 s.
  std::set<int> lost;
  for (int i = 30; i < 40; ++i) lost.insert(i);
  feed(**r, 0, 100, 50, 100, lost);
  auto info = (*r)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  auto w = read_wav(path);
  ASSERT_EQ(w.ch[0].size(), 16000u);  // 2 s: both channels end together
  ASSERT_EQ(w.ch[1].size(), 16000u);
  EXPECT_LT(rms(slice(w.ch[1], 0, 0.95)), 1);
  EXPECT_GT(tone_ratio(slice(w.ch[1], 1.0, 2.0), 1000, 8000), 0.9);
  EXPECT_GT(rms(slice(w.ch[1], 1.0, 1.02)), 3000);  // no shift: the tone starts at 1.0 s
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0, 0.6), 440, 8000), 0.9);
  EXPECT_LT(rms(slice(w.ch[0], 0.6, 0.8)), 1);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0.8, 2.0), 440, 8000), 0.9);
  // The samples after the gap sit where the sender put them (phase continues).
  EXPECT_EQ(w.ch[0][8000], tone(1, 440, 8000)[0]);
  std::filesystem::remove(path);
}

TEST(CallRecorder, SilentSideIsPaddedSoTheOtherIsWrittenAsItComes) {
  auto path = temp_path("oneside.wav");
  auto r = ce::CallRecorder::open({.path = path, .slack = 200ms}, kT0);
  ASSERT_TRUE(r);
  feed(**r, 0, 100, 0, 0);  // channel 1 sends nothing at all
  // Written while running: no more than the slack and a chunk is held back.
  EXPECT_GE((*r)->frames_received(), 16000u - 1600u - 160u);
  auto info = (*r)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  auto w = read_wav(path);
  ASSERT_EQ(w.ch[1].size(), 16000u);
  EXPECT_LT(rms(w.ch[1]), 1);
  EXPECT_GT(tone_ratio(w.ch[0], 440, 8000), 0.9);
  std::filesystem::remove(path);
}

TEST(CallRecorder, TrimSilenceCutsWhereBothSidesAreSilent) {
  auto path = temp_path("trim.wav");
  auto r = ce::CallRecorder::open({.path = path, .trim_silence = true}, kT0);
  ASSERT_TRUE(r);
  std::vector<std::int16_t> quiet(160, 0);
  // 0-0.5 s silence on both; 0.5-1.0 s tone on channel 0; 1.0-1.5 s tone on
  // channel 1 only; then 1 s of silence on both.
  for (int i = 0; i < 125; ++i) {
    auto now = at_ms(20 * (i + 1));
    bool t0 = i >= 25 && i < 50, t1 = i >= 50 && i < 75;
    auto phase = 160u * static_cast<unsigned>(i);
    EXPECT_FALSE((*r)->write(0, t0 ? tone(160, 440, phase) : quiet, 8000, now));
    EXPECT_FALSE((*r)->write(1, t1 ? tone(160, 1000, phase) : quiet, 8000, now));
  }
  auto info = (*r)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->samples, 8000u);  // 0.5 .. 1.5 s
  auto w = read_wav(path);
  ASSERT_EQ(w.ch[0].size(), 8000u);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0, 0.5), 440, 8000), 0.9);
  EXPECT_LT(rms(slice(w.ch[0], 0.5, 1.0)), 1);
  EXPECT_LT(rms(slice(w.ch[1], 0, 0.5)), 1);
  EXPECT_GT(tone_ratio(slice(w.ch[1], 0.5, 1.0), 1000, 8000), 0.9);
  std::filesystem::remove(path);
}

TEST(CallRecorder, MaxLengthEndsTheRecording) {
  auto path = temp_path("max.wav");
  auto r = ce::CallRecorder::open({.path = path, .max_length = 500ms}, kT0);
  ASSERT_TRUE(r);
  std::optional<ce::RecordEnd> end;
  for (int i = 0; i < 50 && !end; ++i) {
    auto now = at_ms(20 * (i + 1));
    end = (*r)->write(0, tone(160, 440), 8000, now);
    if (!end) end = (*r)->write(1, tone(160, 1000), 8000, now);
  }
  ASSERT_EQ(end, ce::RecordEnd::MaxLength);
  auto info = (*r)->finish(*end);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->samples, 4000u);
  EXPECT_EQ(read_wav(path).ch[1].size(), 4000u);
  std::filesystem::remove(path);
}

TEST(CallRecorder, WidebandInputIsResampled) {
  auto path = temp_path("wide.wav");
  auto r = ce::CallRecorder::open({.path = path}, kT0);
  ASSERT_TRUE(r);
  for (int i = 0; i < 50; ++i) {
    auto now = at_ms(20 * (i + 1));
    std::vector<std::int16_t> w16(320);
    for (std::size_t k = 0; k < 320; ++k)
      w16[k] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * (k + 320.0 * i) / 16000.0));
    EXPECT_FALSE((*r)->write(0, w16, 16000, now));
    EXPECT_FALSE((*r)->write(1, tone(160, 1000, 160u * static_cast<unsigned>(i)), 8000, now));
  }
  auto info = (*r)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  auto w = read_wav(path);
  EXPECT_NEAR(static_cast<double>(w.ch[0].size()), 8000.0, 80.0);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0.1, 0.9), 440, 8000), 0.9);
  std::filesystem::remove(path);
}

// ---------------------------------------------------------------- on sessions

class CallRecordingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ce::EngineConfig cfg;
    cfg.bind_address = "127.0.0.1";
    cfg.port_first = static_cast<std::uint16_t>(port_base() + 800);
    cfg.port_last = static_cast<std::uint16_t>(port_base() + 899);
    cfg.rtcp_interval = 5000ms;
    engine_ = worker_.call([&] { return *ce::MediaEngine::create(worker_.io, cfg); });
  }
  void TearDown() override {
    worker_.call([&] {
      recording_.reset();
      bridge_.reset();
      engine_.reset();
      return 0;
    });
  }
  std::shared_ptr<ce::MediaSession> start(const Peer& peer) {
    ce::SessionConfig c;
    c.codec = ce::CodecParams{"PCMU", 8000, 1, ""};
    c.payload_type = 0;
    c.remote_rtp = peer.endpoint();
    c.remote_rtcp = {peer.endpoint().address(), static_cast<std::uint16_t>(peer.port() + 1)};
    return worker_.call([&] {
      auto s = engine_->create_session();
      EXPECT_TRUE(s);
      EXPECT_TRUE((*s)->start(c));
      return *s;
    });
  }
  // 20 ms frames of a tone to `to`, paced; frames in `lose` are not sent.
  static void send_tone(Peer& p, std::uint16_t to, double hz, int frames, std::uint32_t ssrc, std::set<int> lose = {}) {
    auto start = Clock::now();
    for (int i = 0; i < frames; ++i) {
      std::this_thread::sleep_until(start + std::chrono::milliseconds(20 * i));
      if (lose.count(i)) continue;
      auto pcm = tone(160, hz, 160u * static_cast<unsigned>(i));
      p.send_rtp(0, static_cast<std::uint16_t>(100 + i), 1000 + 160u * static_cast<std::uint32_t>(i), ulaw(pcm), to,
                 i == 0, ssrc);
    }
  }

  Worker worker_;
  std::unique_ptr<ce::MediaEngine> engine_;
  std::shared_ptr<ce::MediaBridge> bridge_;
  std::shared_ptr<ce::CallRecording> recording_;
};

TEST_F(CallRecordingTest, BridgedSameCodecCallIsDecodedIntoTwoAlignedChannels) {
  Peer pa, pb;
  auto sa = start(pa);
  auto sb = start(pb);
  auto path = temp_path("bridged.wav");
  std::promise<callwire::Result<ce::RecordingInfo>> got;
  worker_.call([&] {
    auto b = ce::MediaBridge::connect(sa, sb);
    EXPECT_TRUE(b);
    bridge_ = *b;
    auto r = ce::CallRecording::start(sa, sb, {.path = path},
                                      [&](callwire::Result<ce::RecordingInfo> i) { got.set_value(std::move(i)); });
    EXPECT_TRUE(r) << r.error().what();
    recording_ = *r;
    // One recording per session at a time.
    EXPECT_FALSE(ce::CallRecording::start(sa, sb, {.path = path + "2"}, {}));
    return 0;
  });
  // Both sides talk at once for 1 s; side b loses 200 ms at 0.4 s.
  std::set<int> lose;
  for (int i = 20; i < 30; ++i) lose.insert(i);
  std::thread tb([&] { send_tone(pb, sb->ports().rtp, 1000, 50, 0x2222, lose); });
  send_tone(pa, sa->ports().rtp, 440, 50, 0x1111);
  tb.join();
  // The bridge still relays untouched payloads while recording.
  auto relayed = pb.collect(40, 1s);
  EXPECT_GE(relayed.size(), 40u);
  worker_.call([&] {
    recording_->stop();
    recording_->stop();  // idempotent
    EXPECT_FALSE(sa->pcm_tapped());
    EXPECT_FALSE(sb->pcm_tapped());
    return 0;
  });
  auto fut = got.get_future();
  ASSERT_EQ(fut.wait_for(1s), std::future_status::ready);
  auto info = fut.get();
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->end, ce::RecordEnd::Stopped);
  EXPECT_EQ(info->channels, 2);
  EXPECT_EQ(worker_.call([&] { return bridge_->stats().transcoded; }), 0u);
  auto w = read_wav(path);
  ASSERT_EQ(w.channels, 2);
  ASSERT_EQ(w.ch[0].size(), w.ch[1].size());
  // About the 1 s talked plus the wait for the stop.
  EXPECT_GT(w.ch[0].size(), 7000u);
  EXPECT_LT(w.ch[0].size(), 8000u * 3);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0.1, 0.9), 440, 8000), 0.8);
  EXPECT_LT(tone_ratio(slice(w.ch[0], 0.1, 0.9), 1000, 8000), 0.05);
  EXPECT_GT(tone_ratio(slice(w.ch[1], 0.1, 0.35), 1000, 8000), 0.8);
  EXPECT_LT(tone_ratio(slice(w.ch[1], 0.1, 0.35), 440, 8000), 0.05);
  // The loss is silence where it happened (the two sides started together,
  // within the scheduling of two threads).
  auto first_loud = [&](const std::vector<std::int16_t>& v) {
    for (std::size_t i = 0; i + 80 < v.size(); i += 80)
      if (rms(std::span<const std::int16_t>(v).subspan(i, 80)) > 2000) return i;
    return v.size();
  };
  auto start0 = first_loud(w.ch[0]), start1 = first_loud(w.ch[1]);
  EXPECT_LT(std::abs(static_cast<long>(start0) - static_cast<long>(start1)), 400);  // 50 ms
  EXPECT_LT(rms(std::span<const std::int16_t>(w.ch[1]).subspan(start1 + 3400, 1200)), 1);  // 0.425 .. 0.575 s
  EXPECT_GT(tone_ratio(std::span<const std::int16_t>(w.ch[1]).subspan(start1 + 4900, 2400), 1000, 8000), 0.8);
  std::filesystem::remove(path);
}

TEST_F(CallRecordingTest, MonoMixOfASessionThatStartsTalkingLate) {
  Peer pa, pb;
  auto sa = start(pa);
  auto sb = start(pb);
  auto path = temp_path("late.wav");
  std::promise<callwire::Result<ce::RecordingInfo>> got;
  worker_.call([&] {
    auto r = ce::CallRecording::start(sa, sb, {.path = path, .dual = false},
                                      [&](callwire::Result<ce::RecordingInfo> i) { got.set_value(std::move(i)); });
    EXPECT_TRUE(r);
    recording_ = *r;
    return 0;
  });
  std::thread tb([&] {
    std::this_thread::sleep_for(500ms);  // side b starts talking half a second in
    send_tone(pb, sb->ports().rtp, 1000, 25, 0x2222);
  });
  send_tone(pa, sa->ports().rtp, 440, 50, 0x1111);
  tb.join();
  worker_.call([&] {
    recording_->stop();
    return 0;
  });
  auto info = got.get_future().get();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->channels, 1);
  auto w = read_wav(path);
  ASSERT_EQ(w.channels, 1);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0.05, 0.4), 440, 8000), 0.8);
  EXPECT_LT(tone_ratio(slice(w.ch[0], 0.05, 0.4), 1000, 8000), 0.05);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0.65, 0.95), 1000, 8000), 0.3);
  EXPECT_GT(tone_ratio(slice(w.ch[0], 0.65, 0.95), 440, 8000), 0.3);
  std::filesystem::remove(path);
}

TEST_F(CallRecordingTest, RefusesClosedOrSameSessions) {
  Peer pa, pb;
  auto sa = start(pa);
  auto sb = start(pb);
  worker_.call([&] {
    EXPECT_FALSE(ce::CallRecording::start(sa, sa, {.path = temp_path("x.wav")}, {}));
    sb->close();
    auto r = ce::CallRecording::start(sa, sb, {.path = temp_path("x.wav")}, {});
    EXPECT_FALSE(r);
    if (!r) {
      EXPECT_EQ(r.error().code, make_error_code(ce::Errc::Closed));
    }
    return 0;
  });
}
