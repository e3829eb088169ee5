#include "calls/media_prompts.hpp"

#include <span>
#include <utility>

#include "media/audio/decoder.hpp"
#include "media/audio/errc.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
namespace {

// Prompts are synthesized and decoded at 8 kHz: G.711's rate, and the
// player resamples for the wideband codecs.
constexpr std::uint32_t kPromptRate = 8000;

twiml::MediaEnd prompt_end(media::engine::PlaybackResult r) {
  switch (r) {
    case media::engine::PlaybackResult::Done: return twiml::MediaEnd::Done;
    case media::engine::PlaybackResult::Interrupted: return twiml::MediaEnd::Interrupted;
    case media::engine::PlaybackResult::Failed: break;
  }
  return twiml::MediaEnd::Failed;
}

media::tts::Piece tts_piece(twiml::SpeechPiece p) {
  if (p.is_break) return media::tts::Piece::pause(std::move(p.time), std::move(p.strength));
  media::tts::Piece t;
  t.text = std::move(p.text);
  t.emphasis = std::move(p.emphasis);
  t.rate = std::move(p.rate);
  t.pitch = std::move(p.pitch);
  t.volume = std::move(p.volume);
  t.say_as = std::move(p.say_as);
  return t;
}

}  // namespace

MediaPrompts::MediaPrompts(CallServices& services, std::size_t worker, std::string auth_token, Hooks hooks)
    : services_(services), worker_(worker), auth_token_(std::move(auth_token)), hooks_(std::move(hooks)) {}

std::function<void()> MediaPrompts::later(std::function<void()> f) {
  std::weak_ptr<int> alive = alive_;
  return [this, alive, f = std::move(f)] {
    if (!alive.expired() && usable()) f();
  };
}

media::engine::PlaybackDone MediaPrompts::on_playback(twiml::MediaDone done) {
  std::weak_ptr<int> alive = alive_;
  return [this, alive, done = std::move(done)](media::engine::PlaybackResult r) {
    if (alive.expired() || !usable()) return;
    if (hooks_.played) hooks_.played();
    done(prompt_end(r));
  };
}

void MediaPrompts::failed(int code, std::string message, twiml::MediaDone done) {
  hooks_.warn(code, std::move(message));
  services_.pool.post(worker_, later([done = std::move(done)] { done(twiml::MediaEnd::Failed); }));
}

void MediaPrompts::say(std::vector<twiml::SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
                       twiml::MediaDone done) {
  if (services_.tts == nullptr || !hooks_.session()) {
    failed(static_cast<int>(twiml::Errc::Schema), "<Say> needs a media session; skipped", std::move(done));
    return;
  }
  media::tts::Request request;
  request.voice = std::move(voice);
  request.language = std::move(language);
  request.sample_rate = kPromptRate;
  for (auto& p : pieces) request.pieces.push_back(tts_piece(std::move(p)));
  // A prompt heard before plays at once, without a thread hop.
  if (auto audio = services_.tts->cached(request)) {
    speak(std::move(audio), loop, std::move(done));
    return;
  }
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  auto shared = std::make_shared<twiml::MediaDone>(std::move(done));
  auto result = std::make_shared<Result<std::shared_ptr<const media::tts::Audio>>>();
  auto deliver = later([this, loop, shared, result] {
    if (!*result) {
      failed(static_cast<int>(twiml::Errc::SayText), "<Say> text to speech failed: " + result->error().what(),
             std::move(*shared));
      return;
    }
    speak(std::move(**result), loop, std::move(*shared));
  });
  services_.tts->synthesize(std::move(request), [&pool, worker, result, deliver = std::move(deliver)](
                                                    Result<std::shared_ptr<const media::tts::Audio>> audio) mutable {
    *result = std::move(audio);
    pool.post(worker, std::move(deliver));
  });
}

void MediaPrompts::speak(std::shared_ptr<const media::tts::Audio> audio, unsigned loop, twiml::MediaDone done) {
  for (const auto& w : audio->warnings) hooks_.warn(static_cast<int>(twiml::Errc::SayVoice), w);
  play_audio(std::move(audio), loop, std::move(done));
}

void MediaPrompts::play_audio(std::shared_ptr<const media::tts::Audio> audio, unsigned loop, twiml::MediaDone done) {
  auto session = hooks_.session();
  if (!session) {
    failed(static_cast<int>(twiml::Errc::Schema), "no media session to play on", std::move(done));
    return;
  }
  auto callback = on_playback(done);
  if (auto played = session->play(std::move(audio), loop, std::move(callback)); !played) {
    failed(static_cast<int>(twiml::Errc::PlayUrl), "playback failed: " + played.error().what(), std::move(done));
  }
}

void MediaPrompts::play(std::string url, unsigned loop, twiml::MediaDone done) {
  if (!hooks_.session()) {
    failed(static_cast<int>(twiml::Errc::Schema), "<Play> needs a media session; skipped", std::move(done));
    return;
  }
  if (services_.audio_cache != nullptr) {
    auto entry = services_.audio_cache->get(url, kPromptRate);
    if (entry && entry->policy.fresh(std::chrono::system_clock::now())) {
      play_audio(entry->audio, loop, std::move(done));
      return;
    }
  }
  auto* client = worker_ < services_.media_fetch.size() ? services_.media_fetch[worker_] : services_.webhooks[worker_];
  webhook::Request request;
  request.url = url;
  request.method = "GET";  // contract 10.3: no call parameters on the audio URL
  request.auth_token = auth_token_;
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  auto state = std::make_shared<std::pair<twiml::MediaDone, webhook::Outcome>>(std::move(done), webhook::Outcome{});
  auto deliver = later([this, state, url, loop] {
    on_media_fetched(std::move(state->second), url, loop, std::move(state->first));
  });
  client->send(std::move(request), [&pool, worker, state, deliver = std::move(deliver)](webhook::Outcome outcome) mutable {
    state->second = std::move(outcome);
    pool.post(worker, std::move(deliver));
  });
}

void MediaPrompts::on_media_fetched(webhook::Outcome outcome, std::string url, unsigned loop, twiml::MediaDone done) {
  if (!outcome) {
    const auto& f = outcome.error();
    failed(f.error_code, "<Play> " + url + ": " + f.message, std::move(done));
    return;
  }
  if (!services_.offload) {
    failed(static_cast<int>(twiml::Errc::PlayUrl), "<Play> has no decoder pool", std::move(done));
    return;
  }
  // Decoding is CPU work on untrusted bytes: never on the worker.
  struct Decoded {
    std::shared_ptr<const media::tts::Audio> audio;
    int code = 0;
    std::string error;
    twiml::MediaDone done;
  };
  auto response = std::make_shared<webhook::Response>(std::move(*outcome));
  auto received = std::chrono::system_clock::now();
  auto result = std::make_shared<Decoded>();
  result->done = std::move(done);
  auto deliver = later([this, result, url, loop] {
    if (!result->audio) {
      failed(result->code, "<Play> " + url + ": " + result->error, std::move(result->done));
      return;
    }
    play_audio(std::move(result->audio), loop, std::move(result->done));
  });
  auto& pool = services_.pool;
  auto* cache = services_.audio_cache;
  std::size_t worker = worker_;
  services_.offload([&pool, cache, worker, response, received, result, url, deliver = std::move(deliver)]() mutable {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(response->body.data());
    auto decoded = media::audio::decode_audio(std::span(bytes, response->body.size()), response->content_type,
                                              static_cast<int>(kPromptRate));
    if (decoded) {
      result->audio = std::make_shared<const media::tts::Audio>(std::move(*decoded));
      if (cache != nullptr) {
        cache->put(url, static_cast<int>(kPromptRate), result->audio,
                   media::audio::CachePolicy::from_headers(response->headers, received));
      }
    } else {
      result->error = decoded.error().what();
      result->code = media::audio::alert_code(decoded.error().code);
      if (result->code == 0) result->code = static_cast<int>(twiml::Errc::PlayUrl);
    }
    pool.post(worker, std::move(deliver));
  });
}

void MediaPrompts::play_digits(std::string digits, twiml::MediaDone done) {
  auto session = hooks_.session();
  if (!session) {
    failed(static_cast<int>(twiml::Errc::Schema), "<Play digits> needs a media session; skipped", std::move(done));
    return;
  }
  // 'W' is a one-second pause: two of the player's half-second 'w'.
  std::string expanded;
  for (char c : digits) expanded += c == 'W' ? std::string("ww") : std::string(1, c);
  auto callback = on_playback(done);
  if (auto sent = session->send_digits(std::move(expanded), std::move(callback)); !sent) {
    failed(static_cast<int>(twiml::Errc::PlayUrl), "<Play digits> failed: " + sent.error().what(), std::move(done));
  }
}

}  // namespace callwire::calls
