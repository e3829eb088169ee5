// InboundCall's media: the SDP of its 200 (answer, or offer when the INVITE
// had none), its MediaSession, and the media verbs the executor asks for
// (played by MediaPrompts once the session runs). Everything here runs on
// the call's worker.
#include <utility>

#include "calls/inbound_call.hpp"
#include "calls/calls_logger.hpp"
#include "calls/no_media_sdp.hpp"
#include "core/log.hpp"
#include "media/sdp/errc.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
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

MediaPrompts& InboundCall::prompts() {
  if (!prompts_) {
    MediaPrompts::Hooks hooks;
    hooks.session = [this] { return media_ready() ? session_ : nullptr; };
    hooks.live = [this] { return phase_ != Phase::Ended; };
    hooks.warn = [this](int code, std::string message) {
      alert(code, twiml::AlertLevel::Warning, std::move(message));
    };
    hooks.played = [this] { last_audio_end_ = Clock::now(); };
    prompts_ = std::make_unique<MediaPrompts>(services_, worker_, domain_->auth_token, std::move(hooks));
  }
  return *prompts_;
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
  prompts().say(std::move(pieces), std::move(voice), std::move(language), loop, std::move(done));
}

void InboundCall::play(std::string url, unsigned loop, twiml::MediaDone done) {
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = [this, url = std::move(url), loop, done = std::move(done)]() mutable {
      play(std::move(url), loop, std::move(done));
    };
    return;
  }
  prompts().play(std::move(url), loop, std::move(done));
}

void InboundCall::play_digits(std::string digits, twiml::MediaDone done) {
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = [this, digits = std::move(digits), done = std::move(done)]() mutable {
      play_digits(std::move(digits), std::move(done));
    };
    return;
  }
  prompts().play_digits(std::move(digits), std::move(done));
}

void InboundCall::stop_media() {
  after_answer_ = nullptr;
  if (media_ready()) session_->stop_playback();
}

}  // namespace callwire::calls
