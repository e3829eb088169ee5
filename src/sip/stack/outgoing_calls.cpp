// Calls we place (the UAC side of a leg, RFC 3261 §13.2): building and
// sending the INVITE, auth retries (§22.2/§22.3), CANCEL (§9.1), the ACK of
// each 2xx and the BYE of 2xx we do not want (§13.2.2.4).
#include <algorithm>

#include "core/log.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "sip/dialog/dialog_errc.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/uri.hpp"
#include "sip/stack/capabilities.hpp"
#include "sip/stack/client_digest.hpp"
#include "sip/stack/outgoing_call.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transaction/client_requests.hpp"

namespace callwire::sip {

namespace {

constexpr int kMaxChallenges = 3;  // a peer that keeps challenging with fresh nonces

// Headers the stack writes itself; an extra header may not replace them.
bool reserved_header(std::string_view name) {
  for (std::string_view r : {"Via", "v", "From", "f", "To", "t", "Call-ID", "i", "CSeq", "Max-Forwards",
                             "Content-Length", "l", "Content-Type", "c", "Contact", "m", "Route",
                             "Record-Route", "Authorization", "Proxy-Authorization"})
    if (iequals(name, r)) return true;
  return false;
}

std::string display_name(std::string_view display) {
  if (display.empty()) return {};
  if (display.size() >= 2 && display.front() == '"' && display.back() == '"') return std::string(display);
  std::string out = "\"";
  for (char c : display) {
    if (c == '"' || c == '\\') out += '\\';
    if (c != '\r' && c != '\n') out += c;
  }
  return out + "\"";
}

std::string party(std::string_view display, std::string_view uri, std::string_view tag) {
  std::string out = display_name(display);
  if (!out.empty()) out += ' ';
  out += '<';
  out.append(uri);
  out += '>';
  if (!tag.empty()) out.append(";tag=").append(tag);
  return out;
}

Status check_uri(std::string_view what, std::string_view text) {
  auto uri = parse_uri(text);
  if (!uri) return fail(StackErrc::BadOutgoing, std::string(what) + ": " + uri.error().what());
  if (uri->scheme != Scheme::Sip && uri->scheme != Scheme::Sips && what != "to_uri" && what != "from_uri")
    return fail(StackErrc::BadOutgoing, std::string(what) + " is not a sip/sips URI");
  if (what == "request_uri" && text.find('?') != std::string_view::npos)
    return fail(StackErrc::BadOutgoing, "request_uri may not carry headers");
  return {};
}

Source origin_of(const Route& route) {
  Source s;
  s.protocol = route.protocol;
  s.remote_address = route.address;
  s.remote_port = route.port;
  s.listener = route.listener;
  return s;
}

}  // namespace

Stack::OutgoingCall* Stack::find_outgoing(OutgoingId id) {
  auto it = outgoing_.find(id);
  return it == outgoing_.end() ? nullptr : it->second.get();
}

Result<OutgoingId> Stack::invite(OutgoingInvite spec, OutgoingEvents events) {
  if (spec.call_id.empty()) return fail(StackErrc::BadOutgoing, "call_id is empty");
  if (spec.from_uri.empty() || spec.to_uri.empty()) return fail(StackErrc::BadOutgoing, "from_uri/to_uri empty");
  if (auto ok = check_uri("request_uri", spec.request_uri); !ok) return std::unexpected(ok.error());
  if (auto ok = check_uri("from_uri", spec.from_uri); !ok) return std::unexpected(ok.error());
  if (auto ok = check_uri("to_uri", spec.to_uri); !ok) return std::unexpected(ok.error());
  if (!spec.body.empty() && spec.content_type.empty())
    return fail(StackErrc::BadOutgoing, "a body needs a content_type");
  for (const auto& [name, value] : spec.headers)
    if (name.empty() || reserved_header(name)) return fail(StackErrc::BadOutgoing, "reserved header " + name);
  auto hop = next_hop_for(spec.next_hop.empty() ? spec.request_uri : spec.next_hop);
  if (!hop) return fail(StackErrc::BadOutgoing, hop.error().what());

  auto owned = std::make_unique<OutgoingCall>();
  OutgoingCall& call = *owned;
  call.id = next_outgoing_++;
  call.spec = std::move(spec);
  call.events = std::move(events);
  call.from_tag = new_tag();
  call.hop = std::move(*hop);
  outgoing_.emplace(call.id, std::move(owned));
  log_->info("[cid={}] outgoing INVITE {} via {}", call.spec.call_id, call.spec.request_uri,
             call.spec.next_hop.empty() ? std::string_view("Request-URI") : std::string_view(call.spec.next_hop));

  auto route = literal_route(call.hop);
  if (route) {
    call.route = *route;
    send_outgoing(call);
  } else {
    resolve_outgoing(call);
  }
  return call.id;
}

void Stack::resolve_outgoing(OutgoingCall& call) {
  if (resolver_ == nullptr) {
    log_->warn("[cid={}] {} is a host name and no resolver is set", call.spec.call_id, call.hop.host);
    fail_outgoing(call.id, 503, nullptr, /*later=*/true);
    return;
  }
  call.resolving = true;
  std::weak_ptr<int> alive = alive_;
  OutgoingId id = call.id;
  resolver_->resolve(call.hop.host, [this, alive, id](Result<std::vector<boost::asio::ip::address>> found) {
    if (alive.expired()) return;
    OutgoingCall* c = find_outgoing(id);
    if (c == nullptr || c->cancelled) return;  // cancel() reports on its own
    c->resolving = false;
    if (!found || found->empty()) {
      log_->info("[cid={}] cannot resolve {}: {}", c->spec.call_id, c->hop.host,
                 found ? std::string("no address") : found.error().what());
      fail_outgoing(id, 503, nullptr);
      return;
    }
    // Prefer the family callwire advertises for this protocol (what it listens on).
    Protocol protocol = c->hop.protocol.value_or(c->hop.secure ? Protocol::Tls : Protocol::Udp);
    bool want_v6 = transport_.advertised(protocol).host.starts_with('[');
    auto pick = std::find_if(found->begin(), found->end(), [&](const auto& a) { return a.is_v6() == want_v6; });
    c->route.protocol = protocol;
    c->route.address = pick != found->end() ? *pick : found->front();
    c->route.port = c->hop.port.value_or(protocol == Protocol::Tls ? 5061 : 5060);
    if (protocol == Protocol::Tls) c->route.server_name = c->hop.host;
    send_outgoing(*c);
  });
}

std::string Stack::build_outgoing(const OutgoingCall& call, Protocol protocol) const {
  auto adv = transport_.advertised(protocol);
  const OutgoingInvite& s = call.spec;
  auto b = Builder::request("INVITE", s.request_uri);
  b.header(HeaderId::Via, make_via(protocol, adv.host, adv.port, new_branch()));
  b.header(HeaderId::MaxForwards, "70");
  b.header(HeaderId::From, party(s.from_display, s.from_uri, call.from_tag));
  b.header(HeaderId::To, party(s.to_display, s.to_uri, {}));
  b.header(HeaderId::CallId, s.call_id);
  b.header(HeaderId::CSeq, std::to_string(call.cseq) + " INVITE");
  b.header(HeaderId::Contact, local_contact(protocol));
  b.header(HeaderId::Allow, kAllow);
  if (!kSupported.empty()) b.header(HeaderId::Supported, kSupported);
  b.header(HeaderId::UserAgent, config_.server);
  for (const auto& [name, value] : call.credentials) b.header(name, value);
  for (const auto& [name, value] : s.headers) b.header(name, value);
  if (!s.body.empty()) b.body(s.content_type, s.body);
  return b.build();
}

void Stack::send_outgoing(OutgoingCall& call) {
  std::string bytes = build_outgoing(call, call.route.protocol);
  // §18.1.1: a large request leaves UDP for TCP, when callwire can do TCP.
  if (must_use_stream(bytes.size(), call.route.protocol) && transport_.advertised(Protocol::Tcp).port != 0) {
    call.route.protocol = Protocol::Tcp;
    bytes = build_outgoing(call, Protocol::Tcp);
  }
  auto parsed = Message::parse(bytes);
  if (!parsed) {
    log_->warn("[cid={}] built an unparseable INVITE: {}", call.spec.call_id, parsed.error().what());
    fail_outgoing(call.id, 503, nullptr, /*later=*/true);
    return;
  }
  call.request.emplace(std::move(*parsed));
  OutgoingId id = call.id;
  ClientCallbacks callbacks;
  callbacks.on_response = [this, id](Message response) { on_outgoing_response(id, std::move(response)); };
  callbacks.on_timeout = [this, id] {
    OutgoingCall* c = find_outgoing(id);
    if (c == nullptr) return;
    log_->info("[cid={}] outgoing INVITE: no final response (timer B)", c->spec.call_id);
    fail_outgoing(id, c->cancelled ? 487 : 408, nullptr);
  };
  callbacks.on_transport_error = [this, id](std::error_code ec) {
    OutgoingCall* c = find_outgoing(id);
    if (c == nullptr) return;
    log_->info("[cid={}] outgoing INVITE: transport error: {}", c->spec.call_id, ec.message());
    fail_outgoing(id, 503, nullptr);
  };
  log_->debug("[cid={}] INVITE CSeq {} to {}:{} over {}", call.spec.call_id, call.cseq,
              call.route.address.to_string(), call.route.port, protocol_name(call.route.protocol));
  auto tx = transactions_.send_request(std::move(bytes), call.route, std::move(callbacks));
  if (!tx) {
    log_->warn("[cid={}] INVITE not sent: {}", call.spec.call_id, tx.error().what());
    fail_outgoing(id, 503, nullptr, /*later=*/true);
    return;
  }
  call.tx = *tx;
}

void Stack::on_outgoing_response(OutgoingId id, Message response) {
  OutgoingCall* call = find_outgoing(id);
  if (call == nullptr || !call->request) return;
  int status = response.status();
  if (status < 200) {
    if (status == 100) return;
    (void)dialogs_.on_response(response, &*call->request);  // the early dialog, when it has a To tag
    if (!call->cancelled && !call->answered && call->events.on_provisional) {
      auto report = call->events.on_provisional;  // the handler may cancel (and so touch the call)
      report(response);
    }
    return;
  }
  if (status < 300) {
    on_outgoing_2xx(*call, response);
    return;
  }
  (void)dialogs_.on_response(response, &*call->request);  // ends the early dialogs
  if (call->answered) return;
  if ((status == 401 || status == 407) && call->spec.login && !call->cancelled &&
      retry_with_credentials(*call, response))
    return;
  fail_outgoing(id, status, &response);
}

bool Stack::retry_with_credentials(OutgoingCall& call, const Message& challenge) {
  bool proxy = challenge.status() == 407;
  std::optional<DigestChallenge> best;
  for (auto value : challenge.values(proxy ? HeaderId::ProxyAuthenticate : HeaderId::WwwAuthenticate)) {
    auto parsed = parse_digest_challenge(value);
    if (!parsed) continue;
    bool stronger = !best || (parsed->algorithm == DigestAlgorithm::Sha256 && best->algorithm != DigestAlgorithm::Sha256);
    if (stronger) best = std::move(*parsed);
  }
  if (!best) {
    log_->info("[cid={}] {} without a usable Digest challenge", call.spec.call_id, challenge.status());
    return false;
  }
  // The same nonce again, not stale: the credentials were refused.
  if (call.challenges > 0 && best->nonce == call.last_nonce && !best->stale) {
    log_->info("[cid={}] {} again for the same nonce: credentials refused", call.spec.call_id, challenge.status());
    return false;
  }
  if (++call.challenges > kMaxChallenges) return false;
  call.last_nonce = best->nonce;

  DigestAnswer answer;
  answer.username = call.spec.login->username;
  answer.password = call.spec.login->password;
  answer.method = "INVITE";
  answer.uri = call.spec.request_uri;
  answer.cnonce = random_hex(16);
  answer.nc = 1;  // a new nonce each time
  answer.body = call.spec.body;
  std::string name = proxy ? "Proxy-Authorization" : "Authorization";
  std::string value = digest_credentials(*best, answer);
  bool replaced = false;
  for (std::size_t i = 0; i < call.credentials.size(); ++i) {
    if (call.credentials[i].first == name && call.credential_realms[i] == best->realm) {
      call.credentials[i].second = value;
      replaced = true;
    }
  }
  if (!replaced) {
    call.credentials.emplace_back(name, std::move(value));
    call.credential_realms.push_back(best->realm);
  }
  log_->info("[cid={}] answering {} for realm \"{}\"", call.spec.call_id, challenge.status(), best->realm);
  transactions_.detach(call.tx);
  call.tx = 0;
  ++call.cseq;  // same Call-ID and From tag, CSeq + 1, new branch (§22.2)
  send_outgoing(call);
  return true;
}

Route Stack::uac_route(const OutgoingCall& call, const Dialog& dialog) const {
  auto route = dialog.route();
  if (!route) {
    // The dialog's next hop names a host (Record-Route or Contact): dialogs do
    // no DNS, so in-dialog requests go where the INVITE went, as a trunk expects.
    log_->debug("[cid={}] dialog target not an address ({}): using the INVITE's destination",
                call.spec.call_id, route.error().what());
    return call.route;
  }
  if (route->protocol == call.route.protocol && route->address == call.route.address &&
      route->port == call.route.port)
    route->server_name = call.route.server_name;
  return *route;
}

void Stack::on_outgoing_2xx(OutgoingCall& call, const Message& response) {
  auto verdict = dialogs_.on_response(response, &*call.request);
  if (verdict.action == ResponseVerdict::Action::AckResent) return;
  Dialog* dialog = verdict.dialog;
  if (dialog == nullptr || (verdict.action != ResponseVerdict::Action::Created &&
                            verdict.action != ResponseVerdict::Action::Updated)) {
    // No To tag, or a 2xx we cannot make a dialog from: nothing to ACK it with.
    log_->warn("[cid={}] 2xx to our INVITE creates no dialog", call.spec.call_id);
    if (!call.answered) fail_outgoing(call.id, call.cancelled ? 487 : 502, &response);
    return;
  }
  Route route = uac_route(call, *dialog);
  auto adv = transport_.advertised(route.protocol);
  dialogs_.send_ack(*dialog, response.cseq().number, route, LocalVia{route.protocol, adv.host, adv.port},
                    new_branch());
  DialogId id = dialog->id();
  origins_.insert_or_assign(id, origin_of(route));
  if (route.protocol == Protocol::Tls && !route.server_name.empty()) tls_names_.insert_or_assign(id, route.server_name);

  if (call.answered || call.cancelled) {
    // Another fork's 2xx, or one that crossed our CANCEL: ACK it, then end
    // it with BYE (§13.2.2.4, §15).
    log_->info("[cid={}] {} 2xx (To tag {}): ACK and BYE", call.spec.call_id,
               call.answered ? "second" : "cancelled call's", id.remote_tag);
    if (auto bye = hangup(id); !bye) log_->info("[cid={}] BYE not sent: {}", call.spec.call_id, bye.error().what());
    if (!call.answered) fail_outgoing(call.id, 487, nullptr);
    return;
  }

  call.answered = true;
  call.dialog = id;
  announced_uac_.insert(id);
  log_->info("[cid={}] outgoing INVITE answered {}", call.spec.call_id, response.status());
  // Other forks' early dialogs are over (a 2xx from one of them is still
  // ACKed and hung up); the proxy that forked cancels them.
  end_early_dialogs(call);
  // Keep the call until timer M ends, to ACK and hang up other forks' 2xx.
  std::weak_ptr<int> alive = alive_;
  OutgoingId oid = call.id;
  call.timer = timers_.start(config_.timers.timeout(), [this, alive, oid] {
    if (alive.expired()) return;
    auto it = outgoing_.find(oid);
    if (it == outgoing_.end()) return;
    transactions_.detach(it->second->tx);
    end_early_dialogs(*it->second);  // from provisionals that came after the answer
    outgoing_.erase(it);
  });
  auto report = call.events.on_answered;
  if (report) report(response, id);
}

Status Stack::cancel(OutgoingId id) {
  OutgoingCall* call = find_outgoing(id);
  if (call == nullptr) return fail(StackErrc::UnknownOutgoing, "no outgoing INVITE " + std::to_string(id));
  if (call->answered) return fail(StackErrc::UnknownOutgoing, "already answered: hang up instead");
  if (call->cancelled) return {};
  call->cancelled = true;
  log_->info("[cid={}] cancelling outgoing INVITE", call->spec.call_id);
  if (call->tx == 0) {  // still resolving, or the send failed and a 503 is on its way
    fail_outgoing(id, 487, nullptr, /*later=*/true);
    return {};
  }
  if (auto started = transactions_.cancel(call->tx, {}); !started) {
    // A final response is being handled right now; it reports.
    log_->debug("[cid={}] CANCEL not sent: {}", call->spec.call_id, started.error().what());
  }
  // §9.1: without a final response within 64*T1 of the CANCEL, the INVITE is
  // considered cancelled.
  std::weak_ptr<int> alive = alive_;
  call->timer = timers_.start(config_.timers.timeout(), [this, alive, id] {
    if (alive.expired()) return;
    if (OutgoingCall* c = find_outgoing(id); c && !c->answered) fail_outgoing(id, 487, nullptr);
  });
  return {};
}

void Stack::end_early_dialogs(const OutgoingCall& call) {
  std::vector<DialogId> early;
  for (Dialog* d : dialogs_.table().find_all(call.spec.call_id, call.from_tag))
    if (d->role() == DialogRole::Uac && d->state() == DialogState::Early) early.push_back(d->id());
  for (const auto& d : early) dialogs_.terminate(d, TerminationReason::Local);
}

void Stack::fail_outgoing(OutgoingId id, int status, const Message* response, bool later) {
  if (later) {
    std::weak_ptr<int> alive = alive_;
    timers_.start(Millis{0}, [this, alive, id, status] {
      if (!alive.expired()) fail_outgoing(id, status, nullptr);
    });
    return;
  }
  auto it = outgoing_.find(id);
  if (it == outgoing_.end()) return;
  std::unique_ptr<OutgoingCall> call = std::move(it->second);
  outgoing_.erase(it);
  if (call->timer != 0) timers_.cancel(call->timer);
  if (call->tx != 0) transactions_.detach(call->tx);
  end_early_dialogs(*call);  // those the failure did not end already (timer B, transport error)
  log_->info("[cid={}] outgoing INVITE failed: {}", call->spec.call_id, status);
  if (call->events.on_failed) call->events.on_failed(status, response);
}

}  // namespace callwire::sip
