#include "sip/transaction/client_requests.hpp"

#include <string>

#include "sip/message/builder.hpp"

namespace callwire::sip {

namespace {

std::string_view via_transport(Protocol p) {
  // Not protocol_name(): that lives in the transport library, which this
  // layer does not link.
  switch (p) {
    case Protocol::Udp: return "UDP";
    case Protocol::Tcp: return "TCP";
    case Protocol::Tls: return "TLS";
  }
  return "UDP";
}

// The headers ACK and CANCEL copy from the INVITE, in order; `to` differs.
std::string build_from_invite(const Message& invite, std::string_view method, std::string_view to) {
  Builder b = Builder::request(method, invite.request_uri());
  b.header(HeaderId::Via, invite.top_via().text);
  for (const Header& h : invite.headers()) {
    if (h.id == HeaderId::Route) b.header(HeaderId::Route, h.value);
  }
  b.header(HeaderId::MaxForwards, "70");
  b.header(HeaderId::From, invite.header(HeaderId::From));
  b.header(HeaderId::To, to);
  b.header(HeaderId::CallId, invite.call_id());
  b.header(HeaderId::CSeq, std::to_string(invite.cseq().number) + " " + std::string(method));
  return b.build();
}

}  // namespace

std::string make_via(Protocol protocol, std::string_view host, std::uint16_t port,
                     std::string_view branch) {
  std::string via = "SIP/2.0/";
  via.append(via_transport(protocol)).push_back(' ');
  via.append(host);
  if (port != 0) via.append(":").append(std::to_string(port));
  via.append(";branch=").append(branch).append(";rport");
  return via;
}

Result<std::string> build_ack_for_non2xx(const Message& invite, const Message& response) {
  if (!invite.is_request() || invite.method() != Method::Invite) {
    return fail(std::make_error_code(std::errc::invalid_argument), "ACK needs the INVITE");
  }
  if (!response.is_response() || response.status() < 300) {
    return fail(std::make_error_code(std::errc::invalid_argument),
                "the transaction ACKs only 300-699 responses");
  }
  return build_from_invite(invite, "ACK", response.header(HeaderId::To));
}

Result<std::string> build_cancel(const Message& invite) {
  if (!invite.is_request() || invite.method() != Method::Invite) {
    return fail(std::make_error_code(std::errc::invalid_argument), "only an INVITE is cancelled");
  }
  return build_from_invite(invite, "CANCEL", invite.header(HeaderId::To));
}

}  // namespace callwire::sip
