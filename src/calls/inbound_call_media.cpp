// InboundCall's media: the SDP of its 200 (answer, or offer when the INVITE
// had none), its MediaSession, and the media verbs the executor asks for
// (<Say> through the Synthesizer, <Play> fetched by the worker's media
// client and decoded off the worker, <Play digits>). Everything here runs on
// the call's worker; TTS results and decoded audio are posted back to it.
#include <span>
#include <utility>

#include "calls/inbound_call.hpp"
#include "calls/no_media_sdp.hpp"
#include "core/log.hpp"
#include "media/audio/decoder.hpp"
#include "media/audio/errc.hpp"
#include "media/sdp/errc.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
namespace {

std::shared_ptr<spdlog::logger> logger() { return log::get("calls"); }

// Prompts are synthesized and decoded at 8 kHz: G.711's rate, and the
// player resamples for the wideband codecs.
constexpr std::uint32_t kMediaRate = 8000;

twiml::MediaEnd media_end(media::engine::PlaybackResult r) {
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

media::engine::MediaEngine* InboundCall::media_engine() const {
  return worker_ < services_.media.size() ? services_.media[worker_] : nullptr;
}

// --- SDP ----------------------------------------------------------------------

std::optional<std::string> InboundCall::answer_sdp() {
  auto* engine = media_engine();
  if (engine == nullptr) return declining_sdp(offer_);

  auto session = engine->create_session();
  if (!session) {
    logger()->warn("[cid={}] call {}: no RTP port: {}", facts_.sip_call_id, sid(), session.error().what());
    refuse_media(503, "No RTP port available");
    return std::nullopt;
  }
  session_ = std::move(*session);
  local_media_.address = engine->advertised_address();
  local_media_.rtp_port = session_->ports().rtp;
  // SDES-SRTP (RFC 4568): a Secure domain accepts nothing else (a plain
  // RTP/AVP offer gets 488 with a Reason) and offers RTP/SAVP when the
  // INVITE has no SDP. Other domains use RTP as the contract says (an
  // SRTP-only offer gets 488) unless --srtp-on-insecure-domains.
  local_media_.srtp = domain_->auth.domain.secure               ? media::sdp::SrtpPolicy::Required
                      : services_.config.srtp_on_insecure_domains ? media::sdp::SrtpPolicy::Optional
                                                                  : media::sdp::SrtpPolicy::Refuse;
  local_media_.session_id = media::sdp::new_session_id();
  local_media_.session_version = 1;

  if (offer_.empty()) {
    auto offer = media::sdp::offer(local_media_);
    if (!offer) {
      refuse_media(500, "Cannot make an SDP offer: " + offer.error().what());
      return std::nullopt;
    }
    our_offer_ = std::move(*offer);
    return media::sdp::to_string(*our_offer_);
  }
  auto parsed = media::sdp::parse(offer_);
  if (!parsed) {
    refuse_media(488, "Unreadable SDP offer: " + parsed.error().what());
    return std::nullopt;
  }
  auto negotiated = media::sdp::answer(*parsed, local_media_);
  if (!negotiated) {
    refuse_media(media::sdp::sip_status(negotiated.error().code), negotiated.error().what());
    return std::nullopt;
  }
  negotiated_ = std::move(*negotiated);
  return media::sdp::to_string(negotiated_->local);
}

void InboundCall::refuse_media(int status, std::string reason) {
  logger()->info("[cid={}] call {} refused {}: {}", facts_.sip_call_id, sid(), status, reason);
  if (auto sent = stack_.respond(invite_, status, reason); !sent) {
    logger()->info("[cid={}] call {}: {} not sent: {}", facts_.sip_call_id, sid(), status, sent.error().what());
  }
  finish("failed", status);
}

void InboundCall::start_media() {
  if (!session_ || !negotiated_ || session_->started()) return;
  auto config = media::engine::SessionConfig::from_negotiated(*negotiated_);
  if (!config) {
    logger()->warn("[cid={}] call {}: media not started: {}", facts_.sip_call_id, sid(), config.error().what());
    return;
  }
  if (auto started = session_->start(*config); !started) {
    logger()->warn("[cid={}] call {}: media not started: {}", facts_.sip_call_id, sid(), started.error().what());
    return;
  }
  logger()->debug("[cid={}] call {}: RTP {} → {}:{}", facts_.sip_call_id, sid(), negotiated_->codec.name,
                  negotiated_->remote_rtp.address, negotiated_->remote_rtp.port);
}

bool InboundCall::accept_ack_answer(std::string_view body) {
  if (body.empty()) {
    logger()->info("[cid={}] call {}: the ACK has no SDP answer to our offer", facts_.sip_call_id, sid());
    return false;
  }
  auto parsed = media::sdp::parse(body);
  if (!parsed) {
    logger()->info("[cid={}] call {}: unreadable SDP in the ACK: {}", facts_.sip_call_id, sid(), parsed.error().what());
    return false;
  }
  auto negotiated = media::sdp::accept_answer(*our_offer_, *parsed, local_media_);
  if (!negotiated) {
    logger()->info("[cid={}] call {}: the ACK's answer is unusable: {}", facts_.sip_call_id, sid(),
                   negotiated.error().what());
    return false;
  }
  negotiated_ = std::move(*negotiated);
  start_media();
  return true;
}

void InboundCall::close_media() {
  after_answer_ = nullptr;
  if (!session_) return;
  // Ends playback (Interrupted): the completions see the call Ended and stop.
  auto session = std::move(session_);
  session->close();
}

// --- media verbs ---------------------------------------------------------------

media::engine::PlaybackDone InboundCall::on_playback(twiml::MediaDone done) {
  std::weak_ptr<InboundCall> weak = weak_from_this();
  return [weak, done = std::move(done)](media::engine::PlaybackResult r) {
    auto self = weak.lock();
    if (!self || self->phase_ == Phase::Ended) return;
    self->last_audio_end_ = Clock::now();
    done(media_end(r));
  };
}

void InboundCall::media_failed(int code, std::string message, twiml::MediaDone done) {
  alert(code, twiml::AlertLevel::Warning, std::move(message));
  std::weak_ptr<InboundCall> weak = weak_from_this();
  services_.pool.post(worker_, [weak, done = std::move(done)] {
    auto self = weak.lock();
    if (self && self->phase_ != Phase::Ended) done(twiml::MediaEnd::Failed);
  });
}

void InboundCall::say(std::vector<twiml::SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
                      twiml::MediaDone done) {
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = [this, pieces = std::move(pieces), voice = std::move(voice), language = std::move(language), loop,
                     done = std::move(done)]() mutable {
      say(std::move(pieces), std::move(voice), std::move(language), loop, std::move(done));
    };
    return;
  }
  if (services_.tts == nullptr || !media_ready()) {
    media_failed(static_cast<int>(twiml::Errc::Schema), "<Say> needs a media session; skipped", std::move(done));
    return;
  }
  media::tts::Request request;
  request.voice = std::move(voice);
  request.language = std::move(language);
  request.sample_rate = kMediaRate;
  for (auto& p : pieces) request.pieces.push_back(tts_piece(std::move(p)));
  // A prompt heard before plays at once, without a thread hop.
  if (auto audio = services_.tts->cached(request)) {
    speak(std::move(audio), loop, std::move(done));
    return;
  }
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  services_.tts->synthesize(std::move(request), [weak, &pool, worker, loop, done = std::move(done)](
                                                    Result<std::shared_ptr<const media::tts::Audio>> audio) mutable {
    pool.post(worker, [weak, loop, done = std::move(done), audio = std::move(audio)]() mutable {
      auto self = weak.lock();
      if (!self || self->phase_ == Phase::Ended) return;
      if (!audio) {
        self->media_failed(static_cast<int>(twiml::Errc::SayText), "<Say> text to speech failed: " + audio.error().what(),
                           std::move(done));
        return;
      }
      self->speak(std::move(*audio), loop, std::move(done));
    });
  });
}

void InboundCall::speak(std::shared_ptr<const media::tts::Audio> audio, unsigned loop, twiml::MediaDone done) {
  for (const auto& w : audio->warnings) alert(static_cast<int>(twiml::Errc::SayVoice), twiml::AlertLevel::Warning, w);
  play_audio(std::move(audio), loop, std::move(done));
}

void InboundCall::play_audio(std::shared_ptr<const media::tts::Audio> audio, unsigned loop, twiml::MediaDone done) {
  if (!media_ready()) {
    media_failed(static_cast<int>(twiml::Errc::Schema), "no media session to play on", std::move(done));
    return;
  }
  auto callback = on_playback(done);
  if (auto played = session_->play(std::move(audio), loop, std::move(callback)); !played) {
    media_failed(static_cast<int>(twiml::Errc::PlayUrl), "playback failed: " + played.error().what(), std::move(done));
  }
}

void InboundCall::play(std::string url, unsigned loop, twiml::MediaDone done) {
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = [this, url = std::move(url), loop, done = std::move(done)]() mutable {
      play(std::move(url), loop, std::move(done));
    };
    return;
  }
  if (!media_ready()) {
    media_failed(static_cast<int>(twiml::Errc::Schema), "<Play> needs a media session; skipped", std::move(done));
    return;
  }
  if (services_.audio_cache != nullptr) {
    auto entry = services_.audio_cache->get(url, kMediaRate);
    if (entry && entry->policy.fresh(std::chrono::system_clock::now())) {
      play_audio(entry->audio, loop, std::move(done));
      return;
    }
  }
  auto* client = worker_ < services_.media_fetch.size() ? services_.media_fetch[worker_] : services_.webhooks[worker_];
  webhook::Request request;
  request.url = url;
  request.method = "GET";  // contract 10.3: no call parameters on the audio URL
  request.auth_token = domain_->auth_token;
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  client->send(std::move(request), [weak, &pool, worker, url = std::move(url), loop,
                                    done = std::move(done)](webhook::Outcome outcome) mutable {
    pool.post(worker, [weak, outcome = std::move(outcome), url = std::move(url), loop, done = std::move(done)]() mutable {
      auto self = weak.lock();
      if (!self || self->phase_ == Phase::Ended) return;
      self->on_media_fetched(std::move(outcome), std::move(url), loop, std::move(done));
    });
  });
}

void InboundCall::on_media_fetched(webhook::Outcome outcome, std::string url, unsigned loop, twiml::MediaDone done) {
  if (!outcome) {
    const auto& f = outcome.error();
    media_failed(f.error_code, "<Play> " + url + ": " + f.message, std::move(done));
    return;
  }
  if (!services_.offload) {
    media_failed(static_cast<int>(twiml::Errc::PlayUrl), "<Play> has no decoder pool", std::move(done));
    return;
  }
  // Decoding is CPU work on untrusted bytes: never on the worker.
  auto response = std::make_shared<webhook::Response>(std::move(*outcome));
  auto received = std::chrono::system_clock::now();
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  auto* cache = services_.audio_cache;
  std::size_t worker = worker_;
  services_.offload([weak, &pool, cache, worker, response, received, url = std::move(url), loop,
                     done = std::move(done)]() mutable {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(response->body.data());
    auto decoded = media::audio::decode_audio(std::span(bytes, response->body.size()), response->content_type,
                                              static_cast<int>(kMediaRate));
    std::shared_ptr<const media::tts::Audio> audio;
    if (decoded) {
      audio = std::make_shared<const media::tts::Audio>(std::move(*decoded));
      if (cache != nullptr) {
        cache->put(url, static_cast<int>(kMediaRate), audio,
                   media::audio::CachePolicy::from_headers(response->headers, received));
      }
    }
    std::string error = decoded ? std::string() : decoded.error().what();
    int code = decoded ? 0 : media::audio::alert_code(decoded.error().code);
    if (!decoded && code == 0) code = static_cast<int>(twiml::Errc::PlayUrl);
    pool.post(worker, [weak, audio = std::move(audio), code, error = std::move(error), url = std::move(url), loop,
                       done = std::move(done)]() mutable {
      auto self = weak.lock();
      if (!self || self->phase_ == Phase::Ended) return;
      if (!audio) {
        self->media_failed(code, "<Play> " + url + ": " + error, std::move(done));
        return;
      }
      self->play_audio(std::move(audio), loop, std::move(done));
    });
  });
}

void InboundCall::play_digits(std::string digits, twiml::MediaDone done) {
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = [this, digits = std::move(digits), done = std::move(done)]() mutable {
      play_digits(std::move(digits), std::move(done));
    };
    return;
  }
  if (!media_ready()) {
    media_failed(static_cast<int>(twiml::Errc::Schema), "<Play digits> needs a media session; skipped",
                 std::move(done));
    return;
  }
  // 'W' is a one-second pause: two of the player's half-second 'w'.
  std::string expanded;
  for (char c : digits) expanded += c == 'W' ? std::string("ww") : std::string(1, c);
  auto callback = on_playback(done);
  if (auto sent = session_->send_digits(std::move(expanded), std::move(callback)); !sent) {
    media_failed(static_cast<int>(twiml::Errc::PlayUrl), "<Play digits> failed: " + sent.error().what(),
                 std::move(done));
  }
}

void InboundCall::stop_media() {
  after_answer_ = nullptr;
  if (media_ready()) session_->stop_playback();
}

}  // namespace callwire::calls
