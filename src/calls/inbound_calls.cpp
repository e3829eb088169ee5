#include "calls/inbound_calls.hpp"

#include "calls/calls_logger.hpp"
#include "core/log.hpp"
#include "core/sid.hpp"
#include "net/endpoint.hpp"
#include "sip/message/uri.hpp"

namespace callwire::calls {
namespace {

std::string_view verdict_metric(auth::DigestVerdict v) {
  switch (v) {
    case auth::DigestVerdict::Missing: return "missing";
    case auth::DigestVerdict::Ok: return "ok";
    case auth::DigestVerdict::Stale: return "stale";
    case auth::DigestVerdict::Replay: return "replay";
    case auth::DigestVerdict::UnknownUser: return "unknown_user";
    case auth::DigestVerdict::WrongPassword: return "wrong_password";
    case auth::DigestVerdict::Malformed: return "malformed";
    case auth::DigestVerdict::WrongRealm: return "wrong_realm";
  }
  return "other";
}

}  // namespace

InboundCalls::InboundCalls(CallServices& services) : services_(services), workers_(services.pool.size()) {}

void InboundCalls::on_invite(sip::Stack& stack, sip::InviteId id, const sip::Message& invite, const sip::Source& src) {
  auto received = Clock::now();
  std::size_t worker = services_.pool.current();
  if (worker == net::WorkerPool::npos) worker = 0;  // tests drive the stack from their own thread

  std::string host;
  if (auto uri = sip::parse_uri(invite.request_uri())) host = std::string(uri->host);
  auto resolved = services_.hosts.resolve(host);
  if (!resolved) {
    refuse(stack, id, invite, 404, "No SIP domain matches " + host, "unknown_domain");
    return;
  }
  if (auto cached = services_.directory.cached(resolved->domain_name)) {
    route(stack, worker, id, invite, src, host, *cached, received);
    return;
  }
  // Not cached (evicted since admission): load it, then continue on this
  // worker with an owned copy of the INVITE.
  auto copy = sip::Message::parse(invite.bytes());
  if (!copy) return;
  auto held = std::make_shared<sip::Message>(std::move(*copy));
  auto* stack_ptr = &stack;
  services_.directory.load(resolved->domain_name, [this, stack_ptr, worker, id, held, src, host,
                                                   received](DomainRef domain) {
    services_.pool.post(worker, [this, stack_ptr, worker, id, held, src, host, received, domain] {
      route(*stack_ptr, worker, id, *held, src, host, domain, received);
    });
  });
}

void InboundCalls::route(sip::Stack& stack, std::size_t worker, sip::InviteId id, const sip::Message& invite,
                         const sip::Source& src, const std::string& host, DomainRef domain,
                         Clock::time_point received) {
  if (!domain) {
    refuse(stack, id, invite, 404, "No SIP domain matches " + host, "unknown_domain");
    return;
  }
  const auto& auth = domain->auth;
  if (!auth.accepts_traffic()) {
    services_.log.alert(AlertInfo{auth.domain.account_sid, 10003, "error",
                                  "incoming call to " + auth.domain.domain_name + " rejected: the account is not active",
                                  {}, {}, {}, {}, {}});
    refuse(stack, id, invite, 403, "Account is not active", "account_inactive");
    return;
  }
  if (auth.call_ip_acl_sids.empty() && auth.call_credential_list_sids.empty()) {
    refuse(stack, id, invite, 403, "Domain has no IP access control list or credential list mapped for calls",
           "no_auth_mapped");
    return;
  }
  if (auth.domain.secure && src.protocol != sip::Protocol::Tls) {
    refuse(stack, id, invite, 403, "Domain is secure: calls must use TLS", "not_tls");
    return;
  }

  std::string username;
  if (!auth.call_credential_list_sids.empty()) {
    std::string ip = net::address_text(src.remote_address);
    auto now = std::chrono::system_clock::now();
    // A PBX may answer a 401-style challenge with Authorization instead.
    std::string_view header = invite.header("Proxy-Authorization").empty() && !invite.header("Authorization").empty()
                                  ? "Authorization"
                                  : "Proxy-Authorization";
    auto check = services_.digest.verify(invite, header, ip, auth.call_users, now);
    switch (check.verdict) {
      case auth::DigestVerdict::Ok:
        services_.abuse.on_auth_success(src.remote_address);
        username = check.username;
        break;
      case auth::DigestVerdict::Missing:
      case auth::DigestVerdict::Stale:
      case auth::DigestVerdict::Replay: {
        if (check.verdict != auth::DigestVerdict::Missing) services_.metrics.auth_failure(verdict_metric(check.verdict));
        sip::MessageParts parts;
        for (auto& c : services_.digest.challenges(ip, check.verdict == auth::DigestVerdict::Stale, now)) {
          parts.headers.emplace_back("Proxy-Authenticate", std::move(c));
        }
        logger()->debug("[cid={}] 407 for {} ({})", invite.call_id(), ip, verdict_metric(check.verdict));
        if (auto sent = stack.respond(id, 407, {}, parts); !sent) {
          logger()->info("[cid={}] 407 not sent: {}", invite.call_id(), sent.error().what());
        }
        return;
      }
      default:
        services_.abuse.on_auth_failure(src.remote_address, Clock::now());
        services_.metrics.auth_failure(verdict_metric(check.verdict));
        services_.log.alert(AlertInfo{auth.domain.account_sid, 32106, "warning",
                                      "SIP authentication failed for " + check.username + " from " + ip + ": " +
                                          check.detail,
                                      {}, {}, {}, {}, {}});
        refuse(stack, id, invite, 403, "Authentication failed", "auth_failed");
        return;
    }
  }

  if (!auth.domain.voice_url || auth.domain.voice_url->empty()) {
    refuse(stack, id, invite, 480, "Domain has no Voice URL", "no_voice_url");
    return;
  }

  // RFC 4028 §9: a Session-Expires below our Min-SE is refused with 422.
  auto session_request = read_session_timer(invite);
  if (auto min_se = too_small(session_request, services_.config.session_timer)) {
    sip::MessageParts parts;
    parts.headers.emplace_back("Min-SE", std::to_string(min_se->count()));
    refuse(stack, id, invite, 422, "Session-Expires below our Min-SE", "session_interval_too_small", std::move(parts));
    return;
  }

  CallIdentity identity{auth.domain.account_sid, make_time_ordered_sid("CA"), auth.domain.domain_name, auth.domain.sid, username};
  auto call = std::make_shared<InboundCall>(services_, stack, worker, workers_[worker].legs, id, domain, std::move(identity),
                                            invite_facts(invite, src), std::string(invite.body()), received);
  call->on_finished = [this, worker](InboundCall& c) { forget(worker, c); };
  call->set_session_request(session_request);
  workers_[worker].by_invite[id] = call;
  call->start();
  if (call->dialog()) workers_[worker].by_dialog[*call->dialog()] = call;
}

void InboundCalls::refuse(sip::Stack& stack, sip::InviteId id, const sip::Message& invite, int status,
                          std::string reason, std::string_view metric, sip::MessageParts parts) {
  services_.metrics.invite_refused(metric);
  logger()->info("[cid={}] INVITE {} refused {}: {}", invite.call_id(), invite.request_uri(), status, reason);
  if (auto sent = stack.respond(id, status, reason, parts); !sent) {
    logger()->info("[cid={}] {} not sent: {}", invite.call_id(), status, sent.error().what());
  }
}

void InboundCalls::forget(std::size_t worker, InboundCall& call) {
  // Erased on a later turn of the worker: the call may be deep inside its own
  // code (the executor ending it), which must not run on a destroyed object.
  sip::InviteId id = call.invite();
  auto dialog = call.dialog();
  services_.pool.post(worker, [this, worker, id, dialog] {
    auto& w = workers_[worker];
    w.by_invite.erase(id);
    if (dialog) w.by_dialog.erase(*dialog);
  });
}

void InboundCalls::on_invite_cancelled(sip::Stack&, sip::InviteId id) {
  std::size_t worker = services_.pool.current();
  if (worker == net::WorkerPool::npos) worker = 0;
  auto& w = workers_[worker];
  if (auto it = w.by_invite.find(id); it != w.by_invite.end()) it->second->on_cancelled();
}

void InboundCalls::on_dialog_ack(sip::Stack&, const sip::Dialog& dialog, const sip::Message& ack) {
  std::size_t worker = services_.pool.current();
  if (worker == net::WorkerPool::npos) worker = 0;
  auto& w = workers_[worker];
  auto it = w.by_dialog.find(dialog.id());
  if (it == w.by_dialog.end()) return;
  if (ack.cseq().number == dialog.creating_cseq()) {
    it->second->on_confirmed(ack.body());
  } else {
    it->second->on_reinvite_ack(ack.body());
  }
}

bool InboundCalls::on_dialog_request(sip::Stack&, sip::TxId tx, sip::Dialog& dialog, const sip::Message& request) {
  bool info = request.method() == sip::Method::Info;
  if (request.method() != sip::Method::Invite && request.method() != sip::Method::Update && !info) return false;
  std::size_t worker = services_.pool.current();
  if (worker == net::WorkerPool::npos) worker = 0;
  auto& w = workers_[worker];
  if (auto leg = w.legs.find(dialog.id())) return leg->on_dialog_request(tx, request);
  auto it = w.by_dialog.find(dialog.id());
  if (it == w.by_dialog.end()) return false;
  auto call = it->second;  // the call may end (and be forgotten) while it answers
  if (info) {
    call->on_info(request);
    return false;  // the stack answers 200
  }
  call->on_modify(tx, request);
  return true;
}

void InboundCalls::on_dialog_ended(sip::Stack&, const sip::Dialog& dialog, sip::TerminationReason) {
  std::size_t worker = services_.pool.current();
  if (worker == net::WorkerPool::npos) worker = 0;
  auto& w = workers_[worker];
  if (auto leg = w.legs.find(dialog.id())) {
    leg->on_dialog_ended();
    return;
  }
  if (auto it = w.by_dialog.find(dialog.id()); it != w.by_dialog.end()) it->second->on_ended();
}

}  // namespace callwire::calls
