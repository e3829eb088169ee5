// InboundCall's re-INVITEs and UPDATEs (RFC 3261 §14, RFC 3311): hold and
// resume, a new remote address, a codec change, SRTP re-keying, and session
// refreshes. An offer is answered against our current media (same o= session
// id; version + 1 only when our SDP changes, RFC 3264 §8) and applied to the
// running MediaSession before the 200 goes out; an unacceptable offer gets
// 488 with a Reason and the call goes on unchanged. A re-INVITE without SDP
// gets our offer in the 200 and its answer in the ACK. An offer that crosses
// one of ours gets 491 (RFC 3261 §14.2, RFC 3311 §5.2).
#include <cctype>

#include "calls/inbound_call.hpp"
#include "calls/calls_logger.hpp"
#include "calls/media_update.hpp"
#include "core/log.hpp"
#include "media/sdp/errc.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"

namespace callwire::calls {
namespace {

bool is_sdp(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto type = content_type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type.size() != 15) return false;
  for (std::size_t i = 0; i < type.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(type[i])) != "application/sdp"[i]) return false;
  return true;
}

sip::MessageParts sdp_parts(const media::sdp::SessionDescription& sdp) {
  sip::MessageParts parts;
  parts.content_type = "application/sdp";
  parts.body = media::sdp::to_string(sdp);
  return parts;
}

}  // namespace

media::sdp::LocalMedia InboundCall::modify_local() const {
  auto local = local_media_;
  // A re-offer of an SRTP stream must stay RTP/SAVP (offer() writes keys only then).
  if (negotiated_ && negotiated_->srtp) local.srtp = media::sdp::SrtpPolicy::Required;
  return local;
}

void InboundCall::refuse_modify(sip::TxId tx, const sip::Message& request, int status, std::string reason) {
  logger()->info("[cid={}] call {}: {} refused {}: {}", facts_.sip_call_id, sid(), request.method_token(), status,
                 reason);
  sip::MessageParts parts;
  if (status == 415) parts.headers.emplace_back("Accept", "application/sdp");
  if (auto sent = stack_.respond_in_dialog(tx, request, status, reason, parts); !sent) {
    logger()->info("[cid={}] call {}: {} not sent: {}", facts_.sip_call_id, sid(), status, sent.error().what());
  }
}

bool InboundCall::apply_media(media::sdp::Negotiated next, std::string& why) {
  auto change = media_change(*negotiated_, next);
  if (change.any()) {
    auto config = media::engine::SessionConfig::from_negotiated(next);
    if (!config) {
      why = config.error().what();
      return false;
    }
    if (auto done = session_->reconfigure(*config); !done) {
      why = done.error().what();
      return false;
    }
  }
  logger()->info("[cid={}] call {}: media {} (SDP version {})", facts_.sip_call_id, sid(),
                 describe(change, *negotiated_, next), next.local.origin.session_version);
  local_media_.session_version = next.local.origin.session_version;
  negotiated_ = std::move(next);
  return true;
}

void InboundCall::on_modify(sip::TxId tx, const sip::Message& request) {
  bool invite = request.method() == sip::Method::Invite;
  if (phase_ == Phase::Ended) {
    refuse_modify(tx, request, 481, "The call is over");
    return;
  }
  // §14.1: no new INVITE transaction while the first one awaits its ACK.
  if (invite && phase_ != Phase::Confirmed) {
    sip::MessageParts parts;
    parts.headers.emplace_back("Retry-After", "1");
    (void)stack_.respond_in_dialog(tx, request, 500, "The INVITE transaction is still in progress", parts);
    return;
  }
  // RFC 4028 §9: a refresh asking for less than our Min-SE gets 422.
  auto timer = read_session_timer(request);
  if (auto min_se = too_small(timer, services_.config.session_timer)) {
    sip::MessageParts parts;
    parts.headers.emplace_back("Min-SE", std::to_string(min_se->count()));
    (void)stack_.respond_in_dialog(tx, request, 422, {}, parts);
    return;
  }
  session_request_ = timer;
  std::string_view body = request.body();
  if (body.empty()) {
    if (!invite) {  // an UPDATE without SDP only refreshes the target and session
      (void)stack_.respond_in_dialog(tx, request, 200, {}, with_session({}));
      return;
    }
  } else if (!is_sdp(request.header(sip::HeaderId::ContentType))) {
    refuse_modify(tx, request, 415, "Only application/sdp bodies are understood");
    return;
  }
  if (!session_ || !negotiated_ || !media_ready()) {
    if (awaiting_answer()) {
      refuse_modify(tx, request, 491, "Our SDP offer awaits its answer");
    } else {
      refuse_modify(tx, request, 488, "No media session to modify");
    }
    return;
  }
  if (reoffer_) {  // our offer in a re-INVITE's 200 has not been answered by its ACK yet
    refuse_modify(tx, request, 491, "Our SDP offer awaits its answer");
    return;
  }
  auto local = modify_local();

  if (body.empty()) {  // re-INVITE without SDP: our offer now, the answer in the ACK
    auto offer = media::sdp::reoffer(local, *negotiated_);
    if (!offer) {
      refuse_modify(tx, request, 500, "Cannot make an SDP offer: " + offer.error().what());
      return;
    }
    settle_version(negotiated_->local, *offer);
    reoffer_ = std::move(*offer);
    if (auto sent = stack_.respond_in_dialog(tx, request, 200, {}, with_session(sdp_parts(*reoffer_))); !sent) {
      logger()->info("[cid={}] call {}: 200 not sent: {}", facts_.sip_call_id, sid(), sent.error().what());
      reoffer_.reset();
    }
    return;
  }

  auto parsed = media::sdp::parse(body);
  if (!parsed) {
    refuse_modify(tx, request, 488, "Unreadable SDP offer: " + parsed.error().what());
    return;
  }
  auto next = media::sdp::answer_reoffer(*parsed, local, *negotiated_);
  if (!next) {
    int status = media::sdp::sip_status(next.error().code);
    refuse_modify(tx, request, status == 0 ? 488 : status, next.error().what());
    return;
  }
  settle_version(negotiated_->local, next->local);
  auto answer = sdp_parts(next->local);
  std::string why;
  if (!apply_media(std::move(*next), why)) {
    refuse_modify(tx, request, 488, "Media cannot change: " + why);
    return;
  }
  if (auto sent = stack_.respond_in_dialog(tx, request, 200, {}, with_session(std::move(answer))); !sent) {
    logger()->info("[cid={}] call {}: 200 not sent: {}", facts_.sip_call_id, sid(), sent.error().what());
  }
}

void InboundCall::on_reinvite_ack(std::string_view ack_body) {
  if (!reoffer_ || phase_ == Phase::Ended) return;  // an ACK for a 200 that carried an answer
  auto offer = std::move(*reoffer_);
  reoffer_.reset();
  std::string why;
  if (ack_body.empty()) {
    why = "the ACK has no SDP answer to our offer";
  } else if (auto parsed = media::sdp::parse(ack_body); !parsed) {
    why = "unreadable SDP in the ACK: " + parsed.error().what();
  } else if (auto next = media::sdp::accept_answer(offer, *parsed, modify_local()); !next) {
    why = "the ACK's answer is unusable: " + next.error().what();
  } else if (apply_media(std::move(*next), why)) {
    return;
  }
  // RFC 3261 §13.3.1.4 / RFC 6337 §3.1: a failed offer/answer leaves no
  // agreed session, so the call ends.
  logger()->info("[cid={}] call {}: {}; hanging up", facts_.sip_call_id, sid(), why);
  hangup();
}

}  // namespace callwire::calls
