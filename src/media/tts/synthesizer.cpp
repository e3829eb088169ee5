#include "media/tts/synthesizer.hpp"

#include <optional>

#include "core/log.hpp"
#include "media/codec/resampler.hpp"
#include "media/tts/errc.hpp"
#include "media/tts/espeak_engine.hpp"
#include "media/tts/voice_map.hpp"

namespace callwire::media::tts {

namespace {

void append_field(std::string& key, std::string_view field) {
  key += std::to_string(field.size());
  key += ':';
  key += field;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Result<std::shared_ptr<const Audio>> run_engine(EspeakEngine& engine, const Request& request, int quality) {
  const VoiceChoice voice = resolve_voice(request.voice, request.language);
  auto audio = std::make_shared<Audio>();
  audio->warnings = voice.warnings;
  audio->sample_rate = request.sample_rate;
  auto pcm = engine.speak(request.pieces, voice, audio->warnings);
  if (!pcm) return std::unexpected(pcm.error());
  auto converted = codec::resample(*pcm, engine.sample_rate(), request.sample_rate, quality);
  if (!converted) return fail(Errc::BadSampleRate, converted.error().what());
  audio->samples = std::move(*converted);
  for (const auto& w : audio->warnings) log::get("media")->info("say: {}", w);
  return std::shared_ptr<const Audio>(std::move(audio));
}

}  // namespace

std::string Synthesizer::cache_key(const Request& request) {
  // The resolved voice, so "" and "man" (or "en-us" and "en-US") share entries.
  const VoiceChoice voice = resolve_voice(request.voice, request.language);
  std::string key = voice.espeak_voice + '|' + std::to_string(request.sample_rate) + '|';
  for (const Piece& p : request.pieces) {
    key += p.kind == Piece::Kind::Text ? 'T' : 'B';
    for (const std::string* f : {&p.text, &p.emphasis, &p.rate, &p.pitch, &p.volume, &p.say_as, &p.time, &p.strength})
      append_field(key, *f);
  }
  return key;
}

Result<std::unique_ptr<Synthesizer>> Synthesizer::create(SynthesizerOptions options) {
  std::unique_ptr<Synthesizer> s(new Synthesizer(std::move(options)));
  std::promise<Status> started;
  auto ready = started.get_future();
  s->thread_ = std::thread([self = s.get(), &started] { self->thread_main(&started); });
  const Status st = ready.get();
  if (!st) {
    s->thread_.join();
    return std::unexpected(st.error());
  }
  return s;
}

Synthesizer::~Synthesizer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Synthesizer::thread_main(std::promise<Status>* started) {
  auto engine = EspeakEngine::open(options_.data_path);
  if (!engine) {
    started->set_value(std::unexpected(engine.error()));
    return;
  }
  started->set_value({});

  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !jobs_.empty() || !deliveries_.empty(); });
    if (!deliveries_.empty()) {
      auto fn = std::move(deliveries_.front());
      deliveries_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
      continue;
    }
    if (stopping_) break;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    ++engine_runs_;
    lock.unlock();
    auto result = run_engine(**engine, job.request, options_.resample_quality);
    finish(job.key, std::move(result));
    lock.lock();
  }
  // Stopping: whoever still waits hears so, from this thread as promised.
  auto waiting = std::move(waiting_);
  waiting_.clear();
  jobs_.clear();
  lock.unlock();
  for (auto& [key, callers] : waiting)
    for (auto& done : callers) done(fail(Errc::ShuttingDown));
  // The engine is released here, on the thread that used it.
  engine->reset();
}

void Synthesizer::finish(const std::string& key, Result<std::shared_ptr<const Audio>> result) {
  std::vector<Done> callers;
  {
    std::lock_guard lock(mutex_);
    // Cache and release the waiters in one step, so no request can miss both.
    if (result) cache_.put(key, *result);
    if (auto it = waiting_.find(key); it != waiting_.end()) {
      callers = std::move(it->second);
      waiting_.erase(it);
    }
  }
  for (auto& done : callers) done(result);
}

void Synthesizer::deliver(std::function<void()> fn) {
  deliveries_.push_back(std::move(fn));
  wake_.notify_one();
}

void Synthesizer::synthesize(Request request, Done done) {
  std::size_t chars = 0;
  bool anything = false;
  for (const Piece& p : request.pieces) {
    chars += p.text.size();
    anything = anything || p.kind == Piece::Kind::Break || !blank(p.text);
  }
  std::optional<Errc> invalid;
  if (!anything) invalid = Errc::EmptyText;
  else if (chars > options_.max_text_chars) invalid = Errc::TextTooLong;
  else if (request.sample_rate < 8000 || request.sample_rate > 48000) invalid = Errc::BadSampleRate;

  std::lock_guard lock(mutex_);
  if (invalid) {
    deliver([done = std::move(done), e = *invalid] { done(fail(e)); });
    return;
  }
  std::string key = cache_key(request);
  if (auto audio = cache_.get(key)) {
    deliver([done = std::move(done), audio = std::move(audio)] { done(audio); });
    return;
  }
  if (auto it = waiting_.find(key); it != waiting_.end()) {
    it->second.push_back(std::move(done));  // coalesce with the synthesis already queued
    return;
  }
  if (jobs_.size() >= options_.max_queue) {
    deliver([done = std::move(done)] { done(fail(Errc::QueueFull)); });
    return;
  }
  waiting_[key].push_back(std::move(done));
  jobs_.push_back(Job{std::move(key), std::move(request)});
  wake_.notify_one();
}

std::shared_ptr<const Audio> Synthesizer::cached(const Request& request) { return cache_.get(cache_key(request)); }

Result<std::shared_ptr<const Audio>> Synthesizer::synthesize_blocking(Request request) {
  std::promise<Result<std::shared_ptr<const Audio>>> promise;
  auto future = promise.get_future();
  synthesize(std::move(request), [&promise](Result<std::shared_ptr<const Audio>> r) { promise.set_value(std::move(r)); });
  return future.get();
}

std::uint64_t Synthesizer::engine_runs() const {
  std::lock_guard lock(mutex_);
  return engine_runs_;
}

}  // namespace callwire::media::tts
