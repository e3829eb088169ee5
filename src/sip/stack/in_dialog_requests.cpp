// Requests we send inside an established dialog other than BYE (§12.2.1.1,
// §14.1): re-INVITE with the ACK of its 2xx, UPDATE, INFO, OPTIONS, ...
#include "core/log.hpp"
#include "core/random.hpp"
#include "sip/stack/stack.hpp"

namespace callwire::sip {

Status Stack::request_in_dialog(const DialogId& id, std::string_view method_token, const MessageParts& parts,
                                InDialogDone done) {
  Dialog* dialog = dialogs_.table().find(id);
  if (dialog == nullptr || dialog->state() != DialogState::Confirmed) return fail(StackErrc::UnknownDialog);
  Method method = parse_method(method_token);
  if (method == Method::Ack || method == Method::Cancel || method == Method::Bye)
    return fail(StackErrc::BadOutgoing, std::string(method_token) + " is not sent with request_in_dialog");
  if (method == Method::Invite && (dialog->local_invite_pending() || dialog->remote_invite_pending()))
    return fail(StackErrc::InvitePending);
  auto route = route_for(*dialog);
  if (!route) return std::unexpected(route.error());
  auto adv = transport_.advertised(route->protocol);
  LocalVia via{route->protocol, adv.host, adv.port};
  MessageParts with_agent = parts;
  with_agent.headers.emplace_back("User-Agent", config_.server);
  std::string bytes = dialog->make_request(method_token, via, new_branch(), with_agent);
  log_->debug("[cid={}] sending {} in dialog", id.call_id, method_token);

  auto reported = std::make_shared<bool>(false);
  auto report = [reported, done](int status, const Message* response) {
    if (*reported) return;
    *reported = true;
    if (done) done(status, response);
  };
  ClientCallbacks callbacks;
  callbacks.on_response = [this, id, route = *route, via, report](Message response) {
    int status = response.status();
    if (status < 200) return;
    auto verdict = dialogs_.on_response(response, nullptr);  // target refresh, pending mark, 481 ends it
    if (verdict.action == ResponseVerdict::Action::AckResent) return;
    if (response.cseq().method == Method::Invite && status < 300) {
      // §13.2.2.4: our re-INVITE's 2xx is ACKed end to end, like the first.
      if (Dialog* d = dialogs_.table().find(id)) {
        dialogs_.send_ack(*d, response.cseq().number, route, via, new_branch());
      }
    }
    report(status, &response);
  };
  callbacks.on_timeout = [this, id, report] {
    log_->info("[cid={}] no answer to a request in the dialog: it ends", id.call_id);
    dialogs_.on_request_timeout(id);
    report(408, nullptr);
  };
  callbacks.on_transport_error = [this, id, report](std::error_code) {
    if (Dialog* d = dialogs_.table().find(id)) d->clear_local_invite();
    report(503, nullptr);
  };
  auto started = transactions_.send_request(std::move(bytes), *route, std::move(callbacks));
  if (!started) {
    if (method == Method::Invite) dialog->clear_local_invite();
    return std::unexpected(started.error());
  }
  return {};
}

}  // namespace callwire::sip
