// Many sessions on one engine: pacing figures (reported, loosely asserted).
#include "engine_test_util.hpp"

using namespace engine_test;

TEST(MediaEngineLoad, TwoHundredSessionsPacedForTwoSeconds) {
  Worker worker;
  ce::EngineConfig cfg;
  cfg.bind_address = "127.0.0.1";
  // CALLWIRE_ENGINE_LOAD_SESSIONS (at most 800) measures a heavier load by hand.
  const char* env = std::getenv("CALLWIRE_ENGINE_LOAD_SESSIONS");
  const int kSessions = env ? std::clamp(std::atoi(env), 1, 800) : 200;
  cfg.port_first = static_cast<std::uint16_t>(port_base() + 200);  // the fixture uses the first 200
  cfg.port_last = static_cast<std::uint16_t>(port_base() + 1999);
  auto engine = worker.call([&] { return *ce::MediaEngine::create(worker.io, cfg); });
  Peer sink;
  auto audio = std::make_shared<callwire::media::tts::Audio>();
  audio->samples = sine(16000);
  std::shared_ptr<const callwire::media::tts::Audio> shared = audio;
  auto rss_kib = [] {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
      std::fclose(f);
    }
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
  };
  worker.call([&] { return engine->prompts().get(shared, {}, 20ms).has_value(); });  // prompt encoded up front
  long rss_before = rss_kib();
  auto sessions = worker.call([&] {
    std::vector<std::shared_ptr<ce::MediaSession>> v;
    for (int i = 0; i < kSessions; ++i) {
      auto s = engine->create_session();
      if (!s) break;
      ce::SessionConfig c;
      c.remote_rtp = sink.endpoint();
      c.remote_rtcp = sink.endpoint();
      (void)(*s)->start(c);
      (void)(*s)->play(shared, 0);
      v.push_back(*s);
    }
    return v;
  });
  ASSERT_EQ(sessions.size(), static_cast<std::size_t>(kSessions));
  long rss_per_session = (rss_kib() - rss_before) * 1024 / kSessions;
  std::map<std::uint32_t, Clock::time_point> last;
  std::vector<double> dev_ms;
  std::size_t received = 0;
  auto cpu_us = [] {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  };
  long cpu_before = cpu_us();
  auto end = Clock::now() + 2s;
  while (Clock::now() < end) {
    auto p = sink.receive(50ms);
    if (!p || rtp::looks_like_rtcp(p->bytes)) continue;
    ++received;
    auto ssrc = p->view().ssrc;
    auto it = last.find(ssrc);
    if (it != last.end())
      dev_ms.push_back(std::abs(std::chrono::duration<double, std::milli>(p->at - it->second).count() - 20.0));
    last[ssrc] = p->at;
  }
  double cpu_pct = static_cast<double>(cpu_us() - cpu_before) / 2e6 * 100.0;  // engine + this receiver
  auto st = worker.call([&] {
    auto s = engine->stats();
    for (auto& x : sessions) x->close();
    engine.reset();
    return s;
  });
  std::sort(dev_ms.begin(), dev_ms.end());
  ASSERT_FALSE(dev_ms.empty());
  double p50 = dev_ms[dev_ms.size() / 2], p99 = dev_ms[dev_ms.size() * 99 / 100], mx = dev_ms.back();
  std::printf("[ figures ] %d sessions, 2 s: %zu packets received (expected ~%d); receiver inter-packet deviation "
              "p50 %.3f ms, p99 %.3f ms, max %.3f ms; sender-side p99 %.1f ms; max tick work %lld us; late ticks %llu; resident memory ~%ld bytes per session; process CPU (engine + receiving peer) %.1f %% of one core\n",
              kSessions, received, kSessions * 100, p50, p99, mx,
              st.send_deviation.percentile(99).count() / 1000.0, static_cast<long long>(st.max_tick_work.count()),
              static_cast<unsigned long long>(st.late_ticks), rss_per_session, cpu_pct);
  RecordProperty("p99_deviation_us", static_cast<int>(p99 * 1000));
  EXPECT_EQ(last.size(), static_cast<std::size_t>(kSessions));
  EXPECT_GE(received, static_cast<std::size_t>(kSessions * 100 * 8 / 10));
  EXPECT_LT(p50, 20.0);  // loose: the figure is reported, not tightly asserted
}

