#include "media/tts/synthesizer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <future>
#include <thread>

#include "media/tts/errc.hpp"
#include "media/tts/voice_map.hpp"

namespace callwire::media::tts {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCongrats = "Congratulations! You just made your first call with callwire SIP.";

double rms(const std::vector<std::int16_t>& s) {
  double sum = 0;
  for (auto x : s) sum += double(x) * x;
  return s.empty() ? 0 : std::sqrt(sum / s.size());
}

// Longest run of near-silence (|x| < 64), in samples.
std::size_t longest_silence(const std::vector<std::int16_t>& s) {
  std::size_t best = 0, run = 0;
  for (auto x : s) {
    run = std::abs(x) < 64 ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

class SynthesizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Synthesizer::create();
    ASSERT_TRUE(s) << s.error().what();
    synth = std::move(*s);
  }
  std::unique_ptr<Synthesizer> synth;
};

TEST_F(SynthesizerTest, CongratulationsIsSpeech) {
  auto audio = synth->synthesize_blocking(Request::text(kCongrats));
  ASSERT_TRUE(audio) << audio.error().what();
  const Audio& a = **audio;
  EXPECT_EQ(a.sample_rate, 8000u);
  EXPECT_GT(rms(a.samples), 500.0);
  EXPECT_GE(a.duration(), 2s);
  EXPECT_LE(a.duration(), 8s);
  EXPECT_TRUE(a.warnings.empty());
}

TEST_F(SynthesizerTest, SampleRatesGiveProportionalLengths) {
  std::size_t n8 = 0;
  for (std::uint32_t rate : {8000u, 16000u, 48000u}) {
    auto audio = synth->synthesize_blocking(Request::text("Please hold while we connect you.", "woman", "en-GB", rate));
    ASSERT_TRUE(audio) << rate << ": " << audio.error().what();
    EXPECT_EQ((*audio)->sample_rate, rate);
    EXPECT_GT(rms((*audio)->samples), 300.0) << rate;
    if (rate == 8000) n8 = (*audio)->samples.size();
    else EXPECT_NEAR(double((*audio)->samples.size()) / n8, rate / 8000.0, 0.01) << rate;
  }
  EXPECT_EQ(synth->engine_runs(), 3u);
}

TEST_F(SynthesizerTest, SecondRequestIsACacheHitWithoutEspeak) {
  auto first = synth->synthesize_blocking(Request::text(kCongrats, "alice", "en-US"));
  ASSERT_TRUE(first);
  EXPECT_EQ(synth->engine_runs(), 1u);
  auto hit = synth->cached(Request::text(kCongrats, "alice", "en-US"));
  EXPECT_EQ(hit, *first);
  auto second = synth->synthesize_blocking(Request::text(kCongrats, "alice", "en-US"));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(synth->engine_runs(), 1u);
  // Another voice or rate is another prompt.
  EXPECT_EQ(synth->cached(Request::text(kCongrats, "man", "en-US")), nullptr);
  EXPECT_EQ(synth->cached(Request::text(kCongrats, "alice", "en-US", 16000)), nullptr);
  EXPECT_GE(synth->cache_stats().hits, 2u);
}

TEST_F(SynthesizerTest, ConcurrentRequestsCoalesce) {
  // Hold the synthesis thread inside a callback until every request below is
  // in, so they all find the first one's synthesis still pending.
  std::promise<void> release;
  std::promise<void> holding;
  auto released = release.get_future().share();
  synth->synthesize(Request::text(""), [&, released](auto) {
    holding.set_value();
    released.wait();
  });
  ASSERT_EQ(holding.get_future().wait_for(30s), std::future_status::ready);

  constexpr int kCallers = 8;
  std::atomic<int> answered{0};
  std::vector<std::shared_ptr<const Audio>> results(kCallers);
  std::promise<void> all_done;
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> on_caller_thread{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i)
    threads.emplace_back([&, i] {
      synth->synthesize(Request::text("Press one for sales."), [&, i](Result<std::shared_ptr<const Audio>> r) {
        if (std::this_thread::get_id() == caller) on_caller_thread = true;
        if (r) results[i] = *r;
        if (++answered == kCallers) all_done.set_value();
      });
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered.load(), 0);  // nothing answered inline
  release.set_value();
  ASSERT_EQ(all_done.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(synth->engine_runs(), 1u);
  for (const auto& r : results) {
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r, results[0]);
  }
  EXPECT_FALSE(on_caller_thread);
}

TEST_F(SynthesizerTest, UnknownVoiceSpeaksWithWarning) {
  auto audio = synth->synthesize_blocking(Request::text("Hello there.", "Polly.Nobody", "en-US"));
  ASSERT_TRUE(audio);
  EXPECT_GT(rms((*audio)->samples), 300.0);
  ASSERT_EQ((*audio)->warnings.size(), 1u);
  EXPECT_NE((*audio)->warnings[0].find("Polly.Nobody"), std::string::npos);
}

TEST_F(SynthesizerTest, BreakAddsSilenceOfItsLength) {
  Request plain;
  plain.pieces = {Piece::plain("Hello."), Piece::plain("Goodbye.")};
  Request paused = plain;
  paused.pieces.insert(paused.pieces.begin() + 1, Piece::pause("1500ms"));
  auto a = synth->synthesize_blocking(plain);
  auto b = synth->synthesize_blocking(paused);
  ASSERT_TRUE(a && b);
  const auto extra = (*b)->duration() - (*a)->duration();
  EXPECT_NEAR(double(extra.count()), 1500, 20);
  EXPECT_GE(longest_silence((*b)->samples), 1500u * 8);
  EXPECT_LT(longest_silence((*a)->samples), 1500u * 8);
}

TEST_F(SynthesizerTest, ProsodyRateChangesLength) {
  Request normal = Request::text("One two three four five six seven eight nine ten.");
  Request slow = normal;
  slow.pieces[0].rate = "x-slow";
  auto a = synth->synthesize_blocking(normal);
  auto b = synth->synthesize_blocking(slow);
  ASSERT_TRUE(a && b);
  EXPECT_GT(double((*b)->samples.size()), 1.3 * double((*a)->samples.size()));
}

TEST_F(SynthesizerTest, EveryTableLanguageHasAnEspeakVoice) {
  for (const std::string& tag : supported_languages()) {
    for (const char* voice : {"man", "woman"}) {
      auto audio = synth->synthesize_blocking(Request::text("1 2 3 abc", voice, tag));
      ASSERT_TRUE(audio) << tag << " " << voice << ": " << audio.error().what();
      EXPECT_TRUE((*audio)->warnings.empty()) << tag << " " << voice << ": " << (*audio)->warnings.front();
      EXPECT_GT(rms((*audio)->samples), 200.0) << tag << " " << voice;
    }
  }
}

TEST_F(SynthesizerTest, RefusesEmptyAndOversized) {
  auto empty = synth->synthesize_blocking(Request::text("   "));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, Errc::EmptyText);
  auto longer = synth->synthesize_blocking(Request::text(std::string(5000, 'a')));
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().code, Errc::TextTooLong);
  auto rate = synth->synthesize_blocking(Request::text("hi", "", "", 4000));
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().code, Errc::BadSampleRate);
  EXPECT_EQ(synth->engine_runs(), 0u);
}

TEST_F(SynthesizerTest, OnlyOneEnginePerProcess) {
  auto second = Synthesizer::create();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::EngineFailed);
  // After the first one goes away, a new one starts and speaks.
  synth.reset();
  auto again = Synthesizer::create();
  ASSERT_TRUE(again);
  auto audio = (*again)->synthesize_blocking(Request::text("Again."));
  ASSERT_TRUE(audio);
  EXPECT_GT(rms((*audio)->samples), 300.0);
}

TEST_F(SynthesizerTest, StoppingAnswersPendingRequests) {
  std::atomic<int> stopped{0}, total{0};
  for (int i = 0; i < 5; ++i)
    synth->synthesize(Request::text("Request number " + std::to_string(i) + " is waiting in the queue."),
                      [&](Result<std::shared_ptr<const Audio>> r) {
                        ++total;
                        if (!r && r.error().code == Errc::ShuttingDown) ++stopped;
                      });
  synth.reset();
  EXPECT_EQ(total.load(), 5);
  EXPECT_GE(stopped.load(), 1);
}

}  // namespace
}  // namespace callwire::media::tts
