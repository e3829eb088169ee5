#include "sip/stack/stack.hpp"

#include "core/log.hpp"
#include "core/random.hpp"
#include "sip/message/builder.hpp"
#include "sip/stack/capabilities.hpp"
#include "sip/stack/outgoing_call.hpp"
#include "sip/stack/reason_header.hpp"
#include "sip/stack/sanity.hpp"
#include "sip/transaction/client_requests.hpp"

namespace callwire::sip {

namespace {

class StackCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sip.stack"; }
  std::string message(int e) const override {
    switch (static_cast<StackErrc>(e)) {
      case StackErrc::UnknownInvite: return "no INVITE awaits an answer under this id";
      case StackErrc::UnknownDialog: return "no such dialog";
      case StackErrc::BadStatus: return "status code out of range for this request";
      case StackErrc::NoRoute: return "the dialog's target is not reachable";
      case StackErrc::UnknownOutgoing: return "no unanswered outgoing INVITE under this id";
      case StackErrc::BadOutgoing: return "unusable outgoing INVITE";
      case StackErrc::InvitePending: return "another INVITE of this dialog awaits its answer";
    }
    return "unknown stack error";
  }
};

void add_parts(Builder& b, const MessageParts& parts) {
  for (const auto& [name, value] : parts.headers) b.header(name, value);
  if (!parts.body.empty()) b.body(parts.content_type, parts.body);
}

}  // namespace

const std::error_category& stack_category() {
  static const StackCategory category;
  return category;
}

Stack::Stack(StackConfig config, Transport& transport, Timers& timers, AdmissionHook& admission,
             SessionHandler& sessions)
    : config_(std::move(config)),
      transport_(transport),
      timers_(timers),
      admission_(admission),
      sessions_(sessions),
      log_(log::get("sip")),
      transactions_(transport, timers, *this, &response_route, config_.timers),
      dialogs_(timers, transport, *this, DialogTimings{config_.timers.t1, config_.timers.t2}) {}

Stack::~Stack() = default;

void Stack::receive(Message message, const Source& src) {
  auto verdict = admission_.admit(src, &message);
  if (verdict.verdict == Admission::Verdict::Defer) {
    ++counters_.admission_deferred;
    // std::function needs a copyable callable; the message is move-only.
    auto held = std::make_shared<Message>(std::move(message));
    std::weak_ptr<int> alive = alive_;
    verdict.wait([this, alive, held, src](Admission decided) {
      if (alive.expired()) return;
      if (decided.verdict == Admission::Verdict::Defer) decided = Admission::drop();
      admitted(std::move(*held), src, decided);
    });
    return;
  }
  admitted(std::move(message), src, verdict);
}

void Stack::admitted(Message message, const Source& src, const Admission& verdict) {
  if (verdict.verdict == Admission::Verdict::Drop) {
    ++counters_.admission_drops;
    log_->debug("[cid={}] dropped by admission from {}:{}", message.call_id(),
                src.remote_address.to_string(), src.remote_port);
    return;
  }
  if (message.is_response()) {
    ++counters_.responses;
    transactions_.receive(std::move(message), src);
    return;
  }
  ++counters_.requests;
  if (verdict.verdict == Admission::Verdict::Reject) {
    ++counters_.admission_rejects;
    send_stateless(message, src, verdict.status, verdict.reason, verdict.headers);
    return;
  }

  // RFC 3581 §4 / RFC 3261 §18.2.1: the responses must carry received/rport.
  // Fixing the kept request once means every response built from it (by the
  // transaction layer, a dialog or the app) copies the right Via.
  std::string via = received_via(message.top_via(), src);
  if (via != message.top_via().text) {
    std::string_view bytes = message.bytes();
    std::size_t at = static_cast<std::size_t>(message.top_via().text.data() - bytes.data());
    std::string fixed;
    fixed.reserve(bytes.size() + via.size());
    fixed.append(bytes.substr(0, at)).append(via).append(bytes.substr(at + message.top_via().text.size()));
    auto reparsed = Message::parse(fixed);
    if (reparsed) message = std::move(*reparsed);
  }

  if (auto refusal = check_request(message)) {
    ++counters_.refused;
    log_->info("[cid={}] {} refused {}: {}", message.call_id(), message.method_token(), refusal->status,
               refusal->reason);
    send_stateless(message, src, refusal->status, refusal->reason, refusal->headers);
    return;
  }
  transactions_.receive(std::move(message), src);
}

void Stack::receive_invalid(std::string_view bytes, const Error& error, const Source& src) {
  ++counters_.parse_errors;
  auto verdict = admission_.admit(src, nullptr);
  // Nothing to hold for a deferred decision: unparseable bytes are dropped.
  if (verdict.verdict == Admission::Verdict::Drop || verdict.verdict == Admission::Verdict::Defer) {
    ++counters_.admission_drops;
    return;
  }
  log_->info("unparseable message from {}:{}: {}", src.remote_address.to_string(), src.remote_port,
             error.what());
  auto response = error_response(bytes, error);
  if (!response) return;  // a response, an ACK, or nothing to answer to
  Route route{src.protocol, src.remote_address, src.remote_port, src.listener, src.connection, {}};
  transport_.send(route, std::make_shared<const std::string>(std::move(*response)));
}

void Stack::send_stateless(const Message& request, const Source& src, int status, std::string_view reason,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  if (request.method() == Method::Ack) return;  // ACKs are never answered
  auto b = Builder::response_to(request, status, {}, request.to_tag().empty() ? new_tag() : std::string{});
  for (const auto& [name, value] : headers) b.header(name, value);
  if (!reason.empty()) b.header(HeaderId::Reason, reason_header(status, reason));
  b.header(HeaderId::Server, config_.server);
  transport_.send(response_route(src, request.top_via()), std::make_shared<const std::string>(b.build()));
}

void Stack::send_on(TxId tx, const Message& request, int status, std::string_view reason,
                    std::string_view to_tag, const MessageParts& parts) {
  auto b = Builder::response_to(request, status, {}, to_tag);
  add_parts(b, parts);
  if (!reason.empty()) b.header(HeaderId::Reason, reason_header(status, reason));
  b.header(HeaderId::Server, config_.server);
  const std::string_view tag = Builder::response_to_tag(request, status, to_tag);
  if (auto sent = transactions_.respond(tx, b.build(), status, tag); !sent) {
    log_->warn("[cid={}] could not send {}: {}", request.call_id(), status, sent.error().what());
  }
}

// --- TransactionUser --------------------------------------------------------

void Stack::on_request(TxId tx, Message request, const Source& src) {
  current_tx_ = tx;
  current_src_ = &src;
  auto verdict = dialogs_.on_request(request);
  current_tx_ = 0;
  current_src_ = nullptr;
  switch (verdict.action) {
    case RequestVerdict::Action::NotInDialog:
      on_out_of_dialog_request(tx, std::move(request), src);
      return;
    case RequestVerdict::Action::Respond:
      if (auto sent = transactions_.respond(tx, std::move(verdict.response)); !sent) {
        log_->warn("[cid={}] could not answer {}: {}", request.call_id(), request.method_token(),
                   sent.error().what());
      }
      return;
    case RequestVerdict::Action::Delivered:
    case RequestVerdict::Action::Drop:
      return;
  }
}

void Stack::on_out_of_dialog_request(TxId tx, Message request, const Source& src) {
  switch (request.method()) {
    case Method::Options: {
      ++counters_.options_answered;
      MessageParts parts;
      parts.headers = {{"Allow", std::string(kAllow)},
                       {"Accept", std::string(kAccept)},
                       {"Accept-Language", std::string(kAcceptLanguage)},
                       {"Supported", std::string(kSupported)}};
      send_on(tx, request, 200, {}, new_tag(), parts);
      return;
    }
    case Method::Invite: {
      ++counters_.invites;
      auto [it, inserted] = invites_.try_emplace(tx, PendingInvite{std::move(request), src, new_tag(), {}});
      if (!inserted) return;  // cannot happen: the transaction layer hands each tx once
      log_->debug("[cid={}] INVITE {} from {}:{}", it->second.invite.call_id(), it->second.invite.request_uri(),
                  src.remote_address.to_string(), src.remote_port);
      sessions_.on_invite(*this, tx, it->second.invite, src);
      return;
    }
    case Method::Bye:
    case Method::Info:
    case Method::Update:
    case Method::Prack:
      // Only meaningful inside a dialog, and this one carries no To tag.
      send_on(tx, request, 481, "Request outside of any dialog", new_tag());
      return;
    default: {
      ++counters_.method_not_allowed;
      MessageParts parts;
      parts.headers = {{"Allow", std::string(kAllow)}};
      send_on(tx, request, 405, std::string(request.method_token()) + " is not supported", new_tag(), parts);
      return;
    }
  }
}

void Stack::on_ack_for_2xx(Message ack, const Source& src) { (void)dialogs_.on_request(ack); }

void Stack::on_stray_response(Message response, const Source& src) {
  (void)dialogs_.on_response(response, nullptr);
}

void Stack::on_cancel(TxId invite_tx, const Message& cancel) {
  auto it = invites_.find(invite_tx);
  if (it == invites_.end()) return;
  auto& pending = it->second;
  log_->debug("[cid={}] INVITE cancelled", pending.invite.call_id());
  send_on(invite_tx, pending.invite, 487, {}, pending.local_tag);
  if (pending.dialog) {
    dialogs_.table().remove(*pending.dialog);
    forget_dialog_origin(*pending.dialog);
  }
  invites_.erase(it);
  sessions_.on_invite_cancelled(*this, invite_tx);
}

void Stack::on_server_terminated(TxId tx, TxEnd why) {
  reinvites_.erase(tx);
  auto it = invites_.find(tx);
  if (it == invites_.end()) return;
  // The INVITE's transaction died before a final response (transport error).
  if (it->second.dialog) {
    dialogs_.table().remove(*it->second.dialog);
    forget_dialog_origin(*it->second.dialog);
  }
  invites_.erase(it);
  sessions_.on_invite_cancelled(*this, tx);
}

// --- answering INVITEs ------------------------------------------------------

std::string Stack::local_contact(Protocol protocol) const {
  auto adv = transport_.advertised(protocol);
  std::string contact = "<sip:" + adv.host + ":" + std::to_string(adv.port);
  if (protocol == Protocol::Tcp) contact += ";transport=tcp";
  if (protocol == Protocol::Tls) contact += ";transport=tls";
  return contact + ">";
}

Result<Dialog*> Stack::ensure_dialog(PendingInvite& pending) {
  if (pending.dialog) {
    if (Dialog* d = dialogs_.table().find(*pending.dialog)) return d;
  }
  auto dialog = Dialog::uas(pending.invite, pending.local_tag, local_contact(pending.source.protocol),
                            pending.source.protocol);
  if (!dialog) return std::unexpected(dialog.error());
  auto inserted = dialogs_.table().insert(std::move(*dialog));
  if (!inserted) return inserted;
  pending.dialog = (*inserted)->id();
  origins_.insert_or_assign((*inserted)->id(), pending.source);
  return inserted;
}

Status Stack::respond(InviteId id, int status, std::string_view reason, const MessageParts& parts) {
  auto it = invites_.find(id);
  if (it == invites_.end()) return fail(StackErrc::UnknownInvite);
  if (status <= 100 || status > 699) return fail(StackErrc::BadStatus);
  auto& pending = it->second;

  if (status >= 300) {
    send_on(id, pending.invite, status, reason, pending.local_tag, parts);
    if (pending.dialog) {
      dialogs_.table().remove(*pending.dialog);
      forget_dialog_origin(*pending.dialog);
    }
    invites_.erase(it);
    return {};
  }

  auto dialog = ensure_dialog(pending);
  if (!dialog) return std::unexpected(dialog.error());
  MessageParts with_server = parts;
  with_server.headers.emplace_back("Server", config_.server);
  if (!reason.empty() && status >= 200) {
    with_server.headers.emplace_back("Reason", reason_header(status, reason));
  }
  std::string bytes = (*dialog)->make_response(pending.invite, status, {}, with_server);
  const std::string_view tag = Builder::response_to_tag(pending.invite, status, (*dialog)->local_tag());
  if (status < 200) return transactions_.respond(id, std::move(bytes), status, tag);

  auto shared = std::make_shared<const std::string>(bytes);
  if (auto sent = transactions_.respond(id, std::move(bytes), status, tag); !sent) return sent;
  // The transaction sent the 2xx once; the dialog retransmits it until the ACK.
  dialogs_.send_2xx(**dialog, std::move(shared), pending.invite.cseq().number,
                    response_route(pending.source, pending.invite.top_via()), /*send_first=*/false);
  invites_.erase(it);
  return {};
}

std::optional<DialogId> Stack::dialog_of(InviteId id) const {
  auto it = invites_.find(id);
  if (it == invites_.end()) return std::nullopt;
  return it->second.dialog;
}

Status Stack::respond_in_dialog(TxId tx, const Message& request, int status, std::string_view reason,
                                const MessageParts& parts) {
  Dialog* dialog = dialogs_.table().find_for_request(request);
  if (dialog == nullptr) return fail(StackErrc::UnknownDialog);
  MessageParts with_server = parts;
  with_server.headers.emplace_back("Server", config_.server);
  if (!reason.empty() && status >= 300) with_server.headers.emplace_back("Reason", reason_header(status, reason));
  std::string bytes = dialog->make_response(request, status, {}, with_server);
  const std::string_view tag = Builder::response_to_tag(request, status, dialog->local_tag());
  if (request.method() != Method::Invite || status < 200) return transactions_.respond(tx, std::move(bytes), status, tag);

  auto source = reinvites_.extract(tx);
  if (status >= 300 || source.empty()) return transactions_.respond(tx, std::move(bytes), status, tag);
  // §13.3.1.4: the transaction sends a re-INVITE's 2xx once (RFC 6026), the
  // dialog resends it until the ACK, exactly as for the dialog's INVITE.
  auto shared = std::make_shared<const std::string>(bytes);
  if (auto sent = transactions_.respond(tx, std::move(bytes), status, tag); !sent) return sent;
  dialogs_.send_2xx(*dialog, std::move(shared), request.cseq().number,
                    response_route(source.mapped(), request.top_via()), /*send_first=*/false);
  return {};
}

Result<Route> Stack::route_for(const Dialog& dialog) const {
  auto route = dialog.route();
  auto it = origins_.find(DialogIdView(dialog.id()));
  if (!route && dialog.role() == DialogRole::Uac && it != origins_.end()) {
    // A UAC dialog whose target names a host: dialogs do no DNS, so its
    // requests go where its INVITE went (outgoing_calls.cpp).
    const Source& src = it->second;
    route = Route{src.protocol, src.remote_address, src.remote_port, src.listener, 0, {}};
  }
  if (!route) return fail(StackErrc::NoRoute, route.error().what());
  if (it != origins_.end()) {
    const Source& src = it->second;
    route->listener = src.listener;
    if (route->protocol == src.protocol && is_reliable(src.protocol) &&
        route->address == src.remote_address) {
      route->connection = src.connection;  // reuse while open; the transport falls back
    }
  }
  if (auto name = tls_names_.find(DialogIdView(dialog.id()));
      name != tls_names_.end() && it != origins_.end() && route->protocol == Protocol::Tls &&
      route->address == it->second.remote_address)
    route->server_name = name->second;
  return route;
}

Status Stack::hangup(const DialogId& id) {
  Dialog* dialog = dialogs_.table().find(id);
  if (dialog == nullptr) return fail(StackErrc::UnknownDialog);
  auto route = route_for(*dialog);
  if (!route) {
    dialogs_.terminate(id, TerminationReason::Local);
    return std::unexpected(route.error());
  }
  auto adv = transport_.advertised(route->protocol);
  LocalVia via{route->protocol, adv.host, adv.port};
  MessageParts parts;
  parts.headers = {{"User-Agent", config_.server}};
  std::string bye = dialog->make_request(Method::Bye, via, new_branch(), parts);
  log_->debug("[cid={}] sending BYE", id.call_id);
  dialogs_.terminate(id, TerminationReason::Local);
  auto started = transactions_.send_request(std::move(bye), *route, {});
  if (!started) return std::unexpected(started.error());
  return {};
}

// --- DialogHandler ----------------------------------------------------------

void Stack::on_dialog_request(Dialog& dialog, const Message& request) {
  if (request.method() == Method::Bye) return;  // the dialog layer answers 200
  TxId tx = current_tx_;
  if (request.method() == Method::Options) {
    MessageParts parts;
    parts.headers = {{"Allow", std::string(kAllow)}, {"Accept", std::string(kAccept)},
                     {"Supported", std::string(kSupported)}, {"Server", config_.server}};
    (void)transactions_.respond(tx, dialog.make_response(request, 200, {}, parts), 200,
                                Builder::response_to_tag(request, 200, dialog.local_tag()));
    return;
  }
  if (request.method() == Method::Invite && current_src_ != nullptr) reinvites_.insert_or_assign(tx, *current_src_);
  if (sessions_.on_dialog_request(*this, tx, dialog, request)) return;
  reinvites_.erase(tx);
  answer_dialog_request_by_default(tx, dialog, request);
}

void Stack::answer_dialog_request_by_default(TxId tx, Dialog& dialog, const Message& request) {
  int status = 200;
  std::string reason;
  MessageParts parts;
  switch (request.method()) {
    case Method::Info:
      break;
    case Method::Invite:
    case Method::Update:
      status = 488;
      reason = "No media session to modify";
      break;
    default:
      status = 405;
      parts.headers.emplace_back("Allow", std::string(kAllow));
      reason = std::string(request.method_token()) + " is not supported";
      break;
  }
  parts.headers.emplace_back("Server", config_.server);
  if (!reason.empty()) parts.headers.emplace_back("Reason", reason_header(status, reason));
  (void)transactions_.respond(tx, dialog.make_response(request, status, {}, parts), status,
                              Builder::response_to_tag(request, status, dialog.local_tag()));
}

void Stack::on_dialog_ack(Dialog& dialog, const Message& ack) { sessions_.on_dialog_ack(*this, dialog, ack); }

void Stack::on_ack_timeout(Dialog& dialog) {
  log_->info("[cid={}] no ACK for our 2xx within 64*T1: hanging up", dialog.call_id());
  // Hang up on the next loop turn: the dialog layer is inside its own callback.
  std::weak_ptr<int> alive = alive_;
  timers_.start(Millis{0}, [this, alive, id = dialog.id()] {
    if (alive.expired()) return;
    if (auto ended = hangup(id); !ended) log_->info("[cid={}] BYE not sent: {}", id.call_id, ended.error().what());
  });
}

void Stack::on_dialog_terminated(Dialog& dialog, TerminationReason reason) {
  // UAC dialogs the app never saw (early ones, forks we hang up) stay internal.
  if (dialog.role() == DialogRole::Uas || announced_uac_.erase(dialog.id()) > 0)
    sessions_.on_dialog_ended(*this, dialog, reason);
  forget_dialog_origin(dialog.id());
}

void Stack::forget_dialog_origin(const DialogId& id) {
  origins_.erase(id);
  tls_names_.erase(id);
}

}  // namespace callwire::sip
