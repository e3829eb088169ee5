#pragma once
// Text-to-speech for <Say>. espeak-ng has global state and is not
// thread-safe, so every synthesis runs on one thread owned by the
// Synthesizer (one per process). Results are cached by (pieces, voice,
// language, sample rate) within a byte budget; requests for a prompt that is
// being synthesized wait for that synthesis instead of starting another.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "media/tts/audio_cache.hpp"
#include "media/tts/request.hpp"

namespace callwire::media::tts {

struct SynthesizerOptions {
  std::size_t cache_bytes = AudioCache::kDefaultBudget;
  std::size_t max_queue = 256;        // distinct syntheses waiting; more fail with QueueFull
  std::size_t max_text_chars = 4096;  // Twilio's limit for <Say> text
  int resample_quality = 5;           // speexdsp quality from espeak's 22050 Hz
  std::string data_path;              // espeak-ng data folder; "" = default
};

class Synthesizer {
 public:
  using Done = std::function<void(Result<std::shared_ptr<const Audio>>)>;

  // Starts the synthesis thread and espeak-ng on it. Fails when espeak-ng
  // cannot start or another Synthesizer is alive.
  [[nodiscard]] static Result<std::unique_ptr<Synthesizer>> create(SynthesizerOptions options = {});
  // Stops the thread; requests not yet run complete with ShuttingDown.
  ~Synthesizer();
  Synthesizer(const Synthesizer&) = delete;
  Synthesizer& operator=(const Synthesizer&) = delete;

  // `done` runs exactly once, on the synthesis thread (never inline): post it
  // back to your own loop. Cache hits are answered without espeak.
  void synthesize(Request request, Done done);

  // The cached audio for `request`, or null; any thread, never synthesizes.
  // The fast path for a prompt heard before.
  std::shared_ptr<const Audio> cached(const Request& request);

  // Blocks until the audio is ready (tests, tools; never on an I/O thread).
  [[nodiscard]] Result<std::shared_ptr<const Audio>> synthesize_blocking(Request request);

  // How many times espeak-ng has run (cache hits and coalesced waits excluded).
  std::uint64_t engine_runs() const;
  AudioCache::Stats cache_stats() const { return cache_.stats(); }

  // The cache key of a request: its pieces, resolved voice and output rate.
  static std::string cache_key(const Request& request);

 private:
  struct Job {
    std::string key;
    Request request;
  };
  explicit Synthesizer(SynthesizerOptions options) : options_(std::move(options)), cache_(options_.cache_bytes) {}
  void thread_main(std::promise<Status>* started);
  void finish(const std::string& key, Result<std::shared_ptr<const Audio>> result);
  void deliver(std::function<void()> fn);  // mutex_ held

  SynthesizerOptions options_;
  AudioCache cache_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;                              // syntheses to run
  std::deque<std::function<void()>> deliveries_;      // callbacks to run (hits, errors)
  std::unordered_map<std::string, std::vector<Done>> waiting_;  // key → callers of a queued/running job
  std::uint64_t engine_runs_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace callwire::media::tts
