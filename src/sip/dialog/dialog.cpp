// Dialog creation (§12.1), the UAS checks on received requests (§12.2.2,
// §14.2), responses we write and responses we receive.
#include "sip/dialog/dialog.hpp"

#include <algorithm>

#include "sip/dialog/dialog_errc.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"

namespace callwire::sip {

namespace {

// The URI of the first Contact; nullopt when there is no Contact at all.
std::optional<Result<std::string>> first_contact(const Message& m) {
  auto values = m.values(HeaderId::Contact);
  if (values.empty()) return std::nullopt;
  auto na = parse_name_addr(values.front());
  if (!na) return Result<std::string>(fail(DialogErrc::BadContact, "Bad Contact: " + na.error().what()));
  if (na->uri.scheme != Scheme::Sip && na->uri.scheme != Scheme::Sips)
    return Result<std::string>(fail(DialogErrc::BadContact, "Contact is not a sip/sips URI"));
  return Result<std::string>(std::string(na->uri_text));
}

bool is_sips(std::string_view uri_text) {
  auto uri = parse_uri(uri_text);
  return uri && uri->scheme == Scheme::Sips;
}

std::vector<std::string> record_route(const Message& m) {
  std::vector<std::string> out;
  for (auto v : m.values(HeaderId::RecordRoute)) out.emplace_back(v);
  return out;
}

}  // namespace

bool is_target_refresh(Method m) {
  // RFC 3261 §12.2 (re-INVITE), RFC 3311 (UPDATE), RFC 6665 (SUBSCRIBE,
  // NOTIFY) and RFC 3515 (REFER).
  return m == Method::Invite || m == Method::Update || m == Method::Subscribe ||
         m == Method::Notify || m == Method::Refer;
}

Result<Dialog> Dialog::uas(const Message& request, std::string local_tag, std::string local_contact,
                           Protocol over) {
  if (!request.is_request() || request.method() == Method::Ack || request.method() == Method::Cancel)
    return fail(DialogErrc::NotDialogCreating, "not a dialog-creating request");
  auto from = parse_name_addr(request.header(HeaderId::From));
  if (!from) return std::unexpected(from.error());
  auto to = parse_name_addr(request.header(HeaderId::To));
  if (!to) return std::unexpected(to.error());
  auto contact = first_contact(request);
  if (!contact) return fail(DialogErrc::MissingContact, "Missing Contact");
  if (!*contact) return std::unexpected(contact->error());

  Dialog d;
  d.role_ = DialogRole::Uas;
  d.state_ = DialogState::Early;
  d.id_ = {std::string(request.call_id()), std::move(local_tag), std::string(request.from_tag())};
  d.local_uri_ = std::string(to->uri_text);
  d.local_display_ = std::string(to->display_name);
  d.remote_uri_ = std::string(from->uri_text);
  d.remote_display_ = std::string(from->display_name);
  d.remote_cseq_ = request.cseq().number;
  d.creating_cseq_ = request.cseq().number;
  d.remote_target_ = std::move(**contact);
  d.route_set_ = record_route(request);  // §12.1.1: in the order of the request
  d.local_contact_ = std::move(local_contact);
  d.secure_ = over == Protocol::Tls && is_sips(request.request_uri());
  if (request.method() == Method::Invite) {
    // Until we answer it, a second INVITE overlaps it (§14.2).
    d.remote_invite_pending_ = true;
    d.remote_invite_cseq_ = request.cseq().number;
  }
  return d;
}

Result<Dialog> Dialog::uac(const Message& request, const Message& response, Protocol over) {
  if (!request.is_request() || !response.is_response())
    return fail(DialogErrc::NotDialogCreating, "needs the request and its response");
  int status = response.status();
  if (status <= 100 || status >= 300 || response.to_tag().empty())
    return fail(DialogErrc::NotDialogCreating, "response does not create a dialog");
  auto from = parse_name_addr(request.header(HeaderId::From));
  if (!from) return std::unexpected(from.error());
  auto to = parse_name_addr(request.header(HeaderId::To));
  if (!to) return std::unexpected(to.error());

  Dialog d;
  d.role_ = DialogRole::Uac;
  d.state_ = status >= 200 ? DialogState::Confirmed : DialogState::Early;
  d.id_ = {std::string(request.call_id()), std::string(request.from_tag()),
           std::string(response.to_tag())};
  d.local_uri_ = std::string(from->uri_text);
  d.local_display_ = std::string(from->display_name);
  d.remote_uri_ = std::string(to->uri_text);
  d.remote_display_ = std::string(to->display_name);
  d.local_cseq_ = request.cseq().number;
  d.creating_cseq_ = request.cseq().number;
  if (request.method() == Method::Invite) {
    d.last_invite_cseq_ = request.cseq().number;
    d.local_invite_pending_ = status < 200;
  }
  // A 2xx without Contact breaks §12.1.2, but the INVITE still needs its
  // ACK: fall back to where the INVITE itself went.
  auto contact = first_contact(response);
  d.remote_target_ = contact && *contact ? std::move(**contact) : std::string(request.request_uri());
  d.route_set_ = record_route(response);
  std::reverse(d.route_set_.begin(), d.route_set_.end());  // §12.1.2: reversed
  auto own = request.values(HeaderId::Contact);
  if (!own.empty()) d.local_contact_ = std::string(own.front());
  d.secure_ = over == Protocol::Tls && is_sips(request.request_uri());
  return d;
}

Result<void> Dialog::accept_remote_request(const Message& request) {
  if (state_ == DialogState::Terminated) return fail(DialogErrc::NoDialog);
  Method m = request.method();
  // ACK and CANCEL carry the CSeq of the INVITE they belong to.
  if (m == Method::Ack || m == Method::Cancel) return {};

  std::optional<std::string> new_target;
  if (is_target_refresh(m)) {
    auto contact = first_contact(request);
    if (contact && !*contact) return std::unexpected(contact->error());
    if (contact) new_target = std::move(**contact);  // without Contact the target stays
  }

  std::uint32_t n = request.cseq().number;
  if (remote_cseq_ && n < *remote_cseq_)
    return fail(DialogErrc::CSeqOutOfOrder,
                "CSeq " + std::to_string(n) + " lower than " + std::to_string(*remote_cseq_));
  remote_cseq_ = n;

  if (m == Method::Invite) {
    if (local_invite_pending_) return fail(DialogErrc::RequestPending);
    if (remote_invite_pending_ && n > remote_invite_cseq_) return fail(DialogErrc::InviteInProgress);
    remote_invite_pending_ = true;
    remote_invite_cseq_ = n;
  }
  if (new_target) remote_target_ = std::move(*new_target);  // the route set never changes (§12.2)
  if (m == Method::Bye) state_ = DialogState::Terminated;
  return {};
}

std::string Dialog::make_response(const Message& request, int status, std::string_view reason,
                                  const MessageParts& parts) {
  auto b = Builder::response_to(request, status, reason, status > 100 ? id_.local_tag : std::string_view{});
  bool creating = request.to_tag().empty();
  bool success = status > 100 && status < 300;
  if (creating && success) {
    // §12.1.1: every Record-Route value, in order, as written.
    for (const auto& h : request.headers())
      if (h.id == HeaderId::RecordRoute) b.header(HeaderId::RecordRoute, h.value);
  }
  if (success && (creating || is_target_refresh(request.method())) && !local_contact_.empty())
    b.header(HeaderId::Contact, local_contact_);
  for (const auto& [name, value] : parts.headers) b.header(name, value);
  if (!parts.body.empty() || !parts.content_type.empty()) b.body(parts.content_type, parts.body);

  if (request.method() == Method::Invite && status >= 200) {
    if (creating && state_ == DialogState::Early)
      state_ = status < 300 ? DialogState::Confirmed : DialogState::Terminated;
    if (request.cseq().number == remote_invite_cseq_) remote_invite_pending_ = false;
  }
  return b.build();
}

void Dialog::update_from_response(const Message& response) {
  if (state_ == DialogState::Terminated || !response.is_response()) return;
  int status = response.status();
  const CSeq& cseq = response.cseq();
  if (cseq.method == Method::Invite && status >= 200 && cseq.number == last_invite_cseq_)
    local_invite_pending_ = false;
  if (status == 481 || status == 408) {  // §12.2.1.2
    state_ = DialogState::Terminated;
    return;
  }
  auto take_contact = [&] {
    if (auto contact = first_contact(response); contact && *contact) remote_target_ = std::move(**contact);
  };
  bool to_creating = role_ == DialogRole::Uac && cseq.number == creating_cseq_;
  if (to_creating && state_ == DialogState::Early) {
    if (status >= 300) {
      state_ = DialogState::Terminated;
    } else if (status >= 200) {
      // §13.2.2.4: confirmed, with the route set recomputed from the 2xx.
      state_ = DialogState::Confirmed;
      route_set_ = record_route(response);
      std::reverse(route_set_.begin(), route_set_.end());
      take_contact();
    } else if (status > 100) {
      take_contact();
    }
    return;
  }
  if (status >= 200 && status < 300 && is_target_refresh(cseq.method)) take_contact();
}

}  // namespace callwire::sip
