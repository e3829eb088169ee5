#pragma once
// One SIP dialog (RFC 3261 §12) in either role: its state, the checks on
// requests it receives (§12.2.2, §14.2), and the requests and responses it
// writes (§12.1.1, §12.2.1.1, §13.2.2.4). It knows nothing of transactions:
// it reads Messages and produces bytes; the stack moves them.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "sip/dialog/dialog_id.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/message/message.hpp"
#include "sip/message/method.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

enum class DialogRole : std::uint8_t { Uac, Uas };
enum class DialogState : std::uint8_t { Early, Confirmed, Terminated };

// The sent-by written into the Via of requests we originate.
struct LocalVia {
  Protocol protocol = Protocol::Udp;
  std::string host;        // IPv6 in brackets (as Advertised::host)
  std::uint16_t port = 0;  // 0: no port written
};

// What the caller adds to a message the dialog writes.
struct MessageParts {
  std::vector<std::pair<std::string, std::string>> headers;  // written in order
  std::string content_type;  // required when body is not empty
  std::string body;
};

// Methods whose requests (and 2xx answers) replace the remote target.
bool is_target_refresh(Method m);

class Dialog {
 public:
  // UAS (§12.1.1) from a dialog-creating request. `local_contact` is the
  // Contact header value we advertise ("<sip:callwire@192.0.2.1:5060>").
  // The dialog starts Early; make_response() confirms or ends it. `over` is
  // the transport the request came on (TLS + sips Request-URI → secure).
  [[nodiscard]] static Result<Dialog> uas(const Message& request, std::string local_tag,
                                          std::string local_contact, Protocol over = Protocol::Udp);
  // UAC (§12.1.2) from a request we sent and a response with a To tag: a
  // 101-199 makes an Early dialog, a 2xx a Confirmed one. Each distinct To
  // tag (forking) is a separate Dialog. A response without Contact falls back
  // to the request's Request-URI as remote target.
  [[nodiscard]] static Result<Dialog> uac(const Message& request, const Message& response,
                                          Protocol over = Protocol::Udp);

  Dialog(Dialog&&) noexcept = default;
  Dialog& operator=(Dialog&&) noexcept = default;

  const DialogId& id() const { return id_; }
  DialogRole role() const { return role_; }
  DialogState state() const { return state_; }
  bool secure() const { return secure_; }
  std::string_view call_id() const { return id_.call_id; }
  std::string_view local_tag() const { return id_.local_tag; }
  std::string_view remote_tag() const { return id_.remote_tag; }
  std::string_view local_uri() const { return local_uri_; }
  std::string_view local_display_name() const { return local_display_; }  // as written, quotes kept
  std::string_view remote_uri() const { return remote_uri_; }
  std::string_view remote_display_name() const { return remote_display_; }
  std::optional<std::uint32_t> local_cseq() const { return local_cseq_; }  // unset until we send
  std::optional<std::uint32_t> remote_cseq() const { return remote_cseq_; }
  std::string_view remote_target() const { return remote_target_; }  // Contact URI
  // Route values as written ("<sip:p1.example.com;lr>"), in sending order.
  const std::vector<std::string>& route_set() const { return route_set_; }
  std::string_view local_contact() const { return local_contact_; }
  // CSeq number of the request that created the dialog.
  std::uint32_t creating_cseq() const { return creating_cseq_; }
  // §14.2 glare state: a re-INVITE we sent awaits its final response /
  // one we received awaits ours.
  bool local_invite_pending() const { return local_invite_pending_; }
  bool remote_invite_pending() const { return remote_invite_pending_; }

  // --- UAS side ---------------------------------------------------------

  // §12.2.2 for a request received in this dialog (not ACK/CANCEL, which
  // match the INVITE): NoDialog when terminated, CSeqOutOfOrder when lower
  // than the remote CSeq (equal is a retransmission: the transaction layer's
  // business), RequestPending/InviteInProgress for an overlapping re-INVITE.
  // On success records the remote CSeq, takes the Contact of a target
  // refresh as remote target (route set unchanged), and a BYE ends the dialog.
  [[nodiscard]] Result<void> accept_remote_request(const Message& request);

  // A response to `request` (the dialog-creating one or one in this dialog)
  // with our To tag; 101-299 to the dialog-creating request also copy its
  // Record-Route (§12.1.1), and 101-299 to it or to a target refresh carry
  // our Contact. A 2xx to the creating request confirms the dialog, a final
  // >= 300 to it ends it; a final answer to a re-INVITE clears the pending mark.
  std::string make_response(const Message& request, int status, std::string_view reason = {},
                            const MessageParts& parts = {});

  // --- requests we send ---------------------------------------------------

  // §12.2.1.1: the next request in this dialog. Loose routing (first route
  // has ;lr): Request-URI = remote target, Route = route set. Strict routing:
  // Request-URI = first route, Route = the rest + remote target. CSeq = local
  // + 1, except ACK and CANCEL which reuse the last INVITE's. Target refreshes
  // carry our Contact; an INVITE marks a local re-INVITE pending. `branch`
  // goes into the Via with `via` as sent-by (and ;rport).
  std::string make_request(Method method, const LocalVia& via, std::string_view branch,
                           const MessageParts& parts = {});
  std::string make_request(std::string_view method, const LocalVia& via, std::string_view branch,
                           const MessageParts& parts = {});

  // UAC (§13.2.2.4): the ACK for the 2xx to our INVITE with CSeq
  // `invite_cseq`: same CSeq number, method ACK, the dialog's target and
  // route set, a fresh `branch`, a body when the offer was in the 2xx. The
  // bytes are kept for resending when that 2xx is retransmitted.
  std::shared_ptr<const std::string> make_ack(std::uint32_t invite_cseq, const LocalVia& via,
                                              std::string_view branch, const MessageParts& parts = {});
  // The kept ACK when `response` is a 2xx to the INVITE it acknowledged; null
  // otherwise (no ACK yet, another CSeq, not a 2xx to INVITE).
  std::shared_ptr<const std::string> ack_for(const Message& response) const;

  // UAC (§12.1.2, §12.2.1.2, §13.2.2.4): a response to a request we sent in
  // (or that created) this dialog. A 2xx to the INVITE confirms an early
  // dialog and recomputes its route set; a 2xx to a target refresh (and a
  // provisional in an early dialog) takes the new Contact; 481 and 408 end
  // the dialog, as does a final >= 300 to the creating INVITE; a final answer
  // to our re-INVITE clears the pending mark.
  void update_from_response(const Message& response);

  // Where requests of this dialog go: the first route, else the remote target.
  [[nodiscard]] Result<NextHop> next_hop() const;
  // next_hop() as a transport Route when its host is an IP literal.
  [[nodiscard]] Result<Route> route() const;

  void confirm() { state_ = DialogState::Confirmed; }
  void terminate() { state_ = DialogState::Terminated; }
  void clear_local_invite() { local_invite_pending_ = false; }

 private:
  Dialog() = default;
  std::uint32_t next_local_cseq();
  bool loose_routing() const;
  std::string write_request(std::string_view method, std::uint32_t cseq, const LocalVia& via,
                            std::string_view branch, const MessageParts& parts) const;

  DialogId id_;
  DialogRole role_ = DialogRole::Uas;
  DialogState state_ = DialogState::Early;
  bool secure_ = false;
  bool local_invite_pending_ = false;
  bool remote_invite_pending_ = false;
  std::string local_uri_, local_display_;
  std::string remote_uri_, remote_display_;
  std::optional<std::uint32_t> local_cseq_;
  std::optional<std::uint32_t> remote_cseq_;
  std::uint32_t creating_cseq_ = 0;    // CSeq of the request that created the dialog
  std::uint32_t last_invite_cseq_ = 0; // for ACK/CANCEL we build
  std::uint32_t remote_invite_cseq_ = 0;
  std::string remote_target_;
  std::vector<std::string> route_set_;
  std::string local_contact_;
  std::uint32_t ack_cseq_ = 0;
  std::shared_ptr<const std::string> ack_;
};

}  // namespace callwire::sip
