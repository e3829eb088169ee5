#pragma once
// One child call of a <Dial>: its Call record (parent_call_sid = the call
// that dialed), the SIP dialog placed through Stack::invite, its
// MediaSession (our offer in the INVITE, the answer from the 2xx) and its
// status callbacks. Routes are tried in order under one CallSid (trunk
// failover on 408 and 5xx). Lives on the dialing call's worker; the owner
// hears about it through Events, each run on that worker, never inside
// start() or stop().
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/call_services.hpp"
#include "calls/invite_facts.hpp"
#include "calls/leg_registry.hpp"
#include "calls/session_timer.hpp"
#include "dial/trunk_usage.hpp"
#include "media/engine/media_session.hpp"
#include "media/sdp/negotiation.hpp"
#include "sip/stack/outgoing_invite.hpp"
#include "sip/stack/stack.hpp"
#include "twiml/call_control.hpp"

namespace callwire::calls {

// One way to reach the callee: a trunk for a number, the URI for <Sip>.
struct LegRoute {
  std::string request_uri;
  std::string next_hop;  // "" = the Request-URI's host
  std::optional<sip::DigestLogin> login;
  std::string from_user;  // the caller ID as this route's carrier wants it
  std::string trunk_sid;  // "" for <Sip>
  int max_concurrent = 0;
};

struct LegSpec {
  twiml::DialTarget target;
  std::vector<LegRoute> routes;  // tried in order
  Params headers;                // extra INVITE headers (<Sip> URI headers)
  bool secure = false;           // SRTP toward the callee (<Sip> ;secure=true)
  std::string to;                // the Call record's To: the number or SIP URI
  std::string from;              // and From: the caller ID
  std::string from_host;         // host of our From URI
  std::string caller_name;       // From display name ("" = none)
  // Codec offered first, so the bridge can relay without transcoding.
  std::string preferred_codec;
};

struct LegContext {
  std::string account_sid;
  std::string parent_call_sid;
  std::string auth_token;  // signs the leg's status callbacks
  dial::TrunkUsage* usage = nullptr;
};

class OutboundLeg : public std::enable_shared_from_this<OutboundLeg> {
 public:
  enum class State { Idle, Calling, Ringing, Answered, Ended };
  struct Events {
    std::function<void(OutboundLeg&)> ringing;   // first 18x
    std::function<void(OutboundLeg&)> early_media;  // a provisional's SDP answered our offer: media() runs
    std::function<void(OutboundLeg&)> answered;  // 2xx, media negotiated and started
    std::function<void(OutboundLeg&)> ended;     // failed, cancelled or hung up: status() says how
  };

  OutboundLeg(CallServices& services, sip::Stack& stack, std::size_t worker, LegRegistry& registry,
              LegContext context, LegSpec spec, Events events);
  ~OutboundLeg();

  // Creates the Call record and the media session, then sends the INVITE.
  void start();
  // Ends the leg: CANCEL while ringing, BYE once answered. `status` is the
  // Call's final status when it had not ended yet (canceled, no-answer, completed).
  void stop(std::string status);

  // SIP events of the leg's dialog, from InboundCalls.
  void on_dialog_ended();
  bool on_dialog_request(sip::TxId tx, const sip::Message& request);
  // Keys the callee sends as SIP INFO (calls/info_dtmf.hpp) go to `on_key`
  // while one is set (the screening's <Gather>); otherwise the INFO is only
  // answered 200.
  void on_info_key(std::function<void(char)> on_key) { info_key_ = std::move(on_key); }

  State state() const { return state_; }
  bool early_media() const { return early_; }
  const std::string& sid() const { return record_.sid; }
  const std::string& status() const { return record_.status; }
  const std::string& from() const { return record_.from; }  // the Call record's From and To
  const std::string& to() const { return record_.to; }
  int sip_code() const { return sip_code_; }
  const std::string& sip_call_id() const { return call_id_; }
  const Params& final_headers() const { return final_headers_; }  // X- headers of the final response
  const twiml::DialTarget& target() const { return spec_.target; }
  int duration() const;  // whole seconds answered
  std::shared_ptr<media::engine::MediaSession> media() const { return session_; }

 private:
  void try_route();
  void on_provisional(const sip::Message& response);
  void on_answered(const sip::Message& response, const sip::DialogId& dialog);
  void on_failed(int status, const sip::Message* response);
  // Ends the leg with `status`: record, callback, media, owner.
  void finish(std::string status);
  bool open_media();
  // Negotiates the callee's SDP answer (early or final) and starts or updates the session.
  bool apply_answer(std::string_view body, std::string& why);
  std::string new_call_id() const;
  void keep_headers(const sip::Message& response);
  void status_callback(std::string_view event);
  void save();

  // --- RFC 4028 session timer (outbound_leg_timer.cpp)
  void start_session(const sip::Message& response);   // from the 2xx to our INVITE
  bool retry_after_422(const sip::Message* response); // once, with the far end's Min-SE
  bool refuse_small_session(sip::TxId tx, const sip::Message& request);  // 422 to a refresh
  bool answer_refresh(sip::TxId tx, const sip::Message& request, bool invite);  // one without SDP
  sip::MessageParts with_session(const sip::Message& request, sip::MessageParts parts);
  void ensure_session_timer();
  void refresh_session();
  void on_refresh_answer(int status, const sip::Message* response, bool invite);
  void stop_session_timer();

  CallServices& services_;
  sip::Stack& stack_;
  std::size_t worker_;
  LegRegistry& registry_;
  LegContext context_;
  LegSpec spec_;
  Events events_;
  std::function<void(char)> info_key_;

  State state_ = State::Idle;
  std::size_t route_ = 0;            // the route being tried
  std::optional<dial::TrunkSlot> slot_;
  sip::OutgoingId outgoing_ = 0;
  std::optional<sip::DialogId> dialog_;
  std::string call_id_;
  int sip_code_ = 0;
  bool early_ = false;  // media runs on a provisional's answer
  Params final_headers_;
  std::string stop_status_;          // set by stop() while ringing
  std::optional<Clock::time_point> answered_at_, ended_at_;
  store::Call record_;
  int sequence_ = 0;                 // status callback SequenceNumber

  std::shared_ptr<media::engine::MediaSession> session_;
  media::sdp::LocalMedia local_media_;
  std::optional<media::sdp::SessionDescription> offer_;
  std::optional<media::sdp::Negotiated> negotiated_;

  std::optional<std::chrono::seconds> session_interval_;  // asked for after a 422
  std::unique_ptr<SessionTimer> session_timer_;
  bool peer_allows_update_ = false;  // the callee's Allow lists UPDATE
};

}  // namespace callwire::calls
