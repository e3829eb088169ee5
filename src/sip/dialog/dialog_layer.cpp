#include "sip/dialog/dialog_layer.hpp"

#include <vector>

#include "core/log.hpp"
#include "sip/dialog/dialog_errc.hpp"

namespace callwire::sip {

namespace {

// The transport of our own top Via on a response: what the request went over.
Protocol via_protocol(std::string_view transport) {
  auto is = [&](std::string_view name) {
    if (transport.size() != name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = transport[i];
      if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
      if (c != name[i]) return false;
    }
    return true;
  };
  if (is("TLS")) return Protocol::Tls;
  if (is("TCP")) return Protocol::Tcp;
  return Protocol::Udp;
}

TerminationReason reason_for(int status) {
  if (status == 481) return TerminationReason::NoDialogAtPeer;
  if (status == 408) return TerminationReason::RequestTimeout;
  return TerminationReason::Rejected;
}

}  // namespace

DialogLayer::DialogLayer(Timers& timers, Transport& transport, DialogHandler& handler,
                         DialogTimings timings)
    : timers_(timers), transport_(transport), handler_(handler), timings_(timings) {}

DialogLayer::~DialogLayer() = default;

RequestVerdict DialogLayer::on_request(const Message& request) {
  RequestVerdict v;
  if (!is_in_dialog_request(request)) return v;
  Dialog* d = table_.find_for_request(request);
  if (d == nullptr) {
    auto response = no_dialog_response(request);
    if (!response) {
      v.action = RequestVerdict::Action::Drop;
      return v;
    }
    log::get("dialog")->debug("[cid={}] {} for no dialog: 481", request.call_id(), request.method_token());
    v.action = RequestVerdict::Action::Respond;
    v.status = 481;
    v.response = std::move(*response);
    return v;
  }
  DialogId id = d->id();

  if (request.method() == Method::Ack) {
    // The ACK for our 2xx is end-to-end and belongs to the dialog; ACKs for
    // non-2xx never get here (the transaction absorbs them).
    auto it = two_xx_.find(DialogIdView(id));
    if (it == two_xx_.end() || !it->second->on_ack(request)) {
      v.action = RequestVerdict::Action::Drop;  // a repeat, or one we never asked for
      return v;
    }
    two_xx_.erase(it);
    handler_.on_dialog_ack(*d, request);
    v.action = RequestVerdict::Action::Delivered;
    v.dialog = table_.find(id);
    return v;
  }

  if (auto ok = d->accept_remote_request(request); !ok) {
    log::get("dialog")->debug("[cid={}] {} refused: {}", request.call_id(), request.method_token(),
                              ok.error().what());
    v.action = RequestVerdict::Action::Respond;
    v.status = dialog_status_for(ok.error());
    v.response = rejection(request, ok.error());
    return v;
  }

  if (request.method() == Method::Bye) {
    v.action = RequestVerdict::Action::Respond;
    v.status = 200;
    v.response = d->make_response(request, 200);
    handler_.on_dialog_request(*d, request);
    if (Dialog* still = table_.find(id)) end(*still, TerminationReason::ByeReceived);
    return v;
  }

  handler_.on_dialog_request(*d, request);
  v.action = RequestVerdict::Action::Delivered;
  v.dialog = table_.find(id);  // the handler may have ended it
  return v;
}

ResponseVerdict DialogLayer::on_response(const Message& response, const Message* request) {
  ResponseVerdict v;
  if (!response.is_response()) return v;
  int status = response.status();
  const CSeq& cseq = response.cseq();

  // A final failure of the INVITE that created early dialogs ends all of
  // them, whichever fork's To tag it carries (§12.3, §13.2.2.3).
  if (status >= 300 && cseq.method == Method::Invite) {
    std::vector<DialogId> early;
    for (Dialog* d : table_.find_all(response.call_id(), response.from_tag()))
      if (d->role() == DialogRole::Uac && d->state() == DialogState::Early && d->creating_cseq() == cseq.number)
        early.push_back(d->id());
    if (!early.empty()) {
      for (const auto& id : early)
        if (Dialog* d = table_.find(id)) end(*d, reason_for(status));
      v.action = ResponseVerdict::Action::Terminated;
      return v;
    }
  }

  Dialog* d = response.to_tag().empty() ? nullptr : table_.find_for_response(response);
  if (d != nullptr) {
    if (auto ack = d->ack_for(response)) {
      if (auto it = ack_routes_.find(DialogIdView(d->id())); it != ack_routes_.end()) {
        transport_.send(it->second, std::move(ack));  // §13.2.2.4: the same ACK again
        v.action = ResponseVerdict::Action::AckResent;
        v.dialog = d;
        return v;
      }
    }
    d->update_from_response(response);
    if (d->state() == DialogState::Terminated) {
      end(*d, reason_for(status));
      v.action = ResponseVerdict::Action::Terminated;
      return v;
    }
    v.action = ResponseVerdict::Action::Updated;
    v.dialog = d;
    return v;
  }

  // A new dialog: a 101-299 with a To tag to a request outside any dialog;
  // each fork's To tag makes its own.
  if (request == nullptr || !request->is_request() || !request->to_tag().empty()) return v;
  if (status <= 100 || status >= 300 || response.to_tag().empty()) return v;
  auto created = Dialog::uac(*request, response, via_protocol(response.top_via().transport));
  if (!created) {
    log::get("dialog")->debug("[cid={}] no dialog from {}: {}", response.call_id(), status,
                              created.error().what());
    return v;
  }
  auto inserted = table_.insert(std::move(*created));
  if (!inserted) return v;
  v.action = ResponseVerdict::Action::Created;
  v.dialog = *inserted;
  return v;
}

void DialogLayer::send_2xx(Dialog& dialog, std::shared_ptr<const std::string> response,
                           std::uint32_t invite_cseq, const Route& route, bool send_first) {
  DialogId id = dialog.id();
  auto r = std::make_unique<TwoXxRetransmitter>(timers_, transport_, route, std::move(response),
                                                invite_cseq, timings_, [this, id] { on_ack_timeout(id); });
  TwoXxRetransmitter* raw = r.get();
  two_xx_.insert_or_assign(std::move(id), std::move(r));  // a newer 2xx replaces an older one
  raw->start(send_first);
}

void DialogLayer::send_ack(Dialog& dialog, std::uint32_t invite_cseq, const Route& route,
                           const LocalVia& via, std::string_view branch, const MessageParts& parts) {
  auto ack = dialog.make_ack(invite_cseq, via, branch, parts);
  ack_routes_.insert_or_assign(dialog.id(), route);
  transport_.send(route, std::move(ack));
}

void DialogLayer::on_ack_timeout(const DialogId& id) {
  Dialog* d = table_.find(id);
  if (d == nullptr) {
    // Removed behind our back (DialogTable::remove): drop its entry. The
    // retransmitter calls us last thing, so freeing it here is safe.
    two_xx_.erase(id);
    return;
  }
  log::get("dialog")->info("[cid={}] no ACK for 2xx within 64*T1", id.call_id);
  handler_.on_ack_timeout(*d);
}

void DialogLayer::on_request_timeout(DialogIdView id) {
  if (Dialog* d = table_.find(id)) end(*d, TerminationReason::RequestTimeout);
}

bool DialogLayer::terminate(DialogIdView id, TerminationReason reason) {
  Dialog* d = table_.find(id);
  if (d == nullptr) return false;
  end(*d, reason);
  return true;
}

void DialogLayer::end(Dialog& dialog, TerminationReason reason) {
  DialogId id = dialog.id();
  dialog.terminate();
  handler_.on_dialog_terminated(dialog, reason);
  two_xx_.erase(id);
  ack_routes_.erase(id);
  table_.remove(id);
}

}  // namespace callwire::sip
