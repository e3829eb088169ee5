// Requests a dialog sends (§12.2.1.1), the ACK for a 2xx (§13.2.2.4) and
// where they go.
#include <cstdlib>

#include "core/random.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_errc.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/name_addr.hpp"

namespace callwire::sip {

namespace {

std::string_view via_transport(Protocol p) {
  switch (p) {
    case Protocol::Udp: return "UDP";
    case Protocol::Tcp: return "TCP";
    case Protocol::Tls: return "TLS";
  }
  return "UDP";
}

// From/To value: always with angle brackets, which any URI may wear.
std::string party(std::string_view display, std::string_view uri, std::string_view tag) {
  std::string out;
  if (!display.empty()) {
    out.append(display);
    out += ' ';
  }
  out += '<';
  out.append(uri);
  out += '>';
  if (!tag.empty()) {
    out += ";tag=";
    out.append(tag);
  }
  return out;
}

// The URI of a route value, without URI headers, which a Request-URI may not
// carry (§12.2.1.1 strict routing).
std::string route_uri(std::string_view route) {
  auto na = parse_name_addr(route);
  std::string_view uri = na ? na->uri_text : route;
  if (auto q = uri.find('?'); q != std::string_view::npos) uri = uri.substr(0, q);
  return std::string(uri);
}

}  // namespace

std::uint32_t Dialog::next_local_cseq() {
  // A UAS dialog starts with no local CSeq; any value below 2^31 will do.
  local_cseq_ = local_cseq_ ? *local_cseq_ + 1
                            : 1 + static_cast<std::uint32_t>(std::strtoul(random_hex(4).c_str(), nullptr, 16));
  return *local_cseq_;
}

bool Dialog::loose_routing() const {
  if (route_set_.empty()) return true;
  auto na = parse_name_addr(route_set_.front());
  // An unparseable route cannot be strict-routed to either; treat it as loose.
  return !na || na->uri.param("lr") != nullptr;
}

std::string Dialog::write_request(std::string_view method, std::uint32_t cseq, const LocalVia& via,
                                  std::string_view branch, const MessageParts& parts) const {
  std::string ruri;
  std::vector<std::string> routes;
  if (loose_routing()) {
    ruri = remote_target_;
    routes = route_set_;
  } else {
    ruri = route_uri(route_set_.front());
    routes.assign(route_set_.begin() + 1, route_set_.end());
    routes.push_back("<" + remote_target_ + ">");
  }

  auto b = Builder::request(method, ruri);
  std::string v = "SIP/2.0/";
  v.append(via_transport(via.protocol));
  v += ' ';
  v += via.host;
  if (via.port != 0) {
    v += ':';
    v += std::to_string(via.port);  // (not ":" + to_string: GCC 12 -Wrestrict false positive)
  }
  v += ";branch=";
  v.append(branch);
  v += ";rport";
  b.header(HeaderId::Via, v);
  b.header(HeaderId::MaxForwards, "70");
  b.header(HeaderId::From, party(local_display_, local_uri_, id_.local_tag));
  b.header(HeaderId::To, party(remote_display_, remote_uri_, id_.remote_tag));
  b.header(HeaderId::CallId, id_.call_id);
  std::string cs = std::to_string(cseq);
  cs += ' ';
  cs.append(method);
  b.header(HeaderId::CSeq, cs);
  for (const auto& r : routes) b.header(HeaderId::Route, r);
  if (is_target_refresh(parse_method(method)) && !local_contact_.empty())
    b.header(HeaderId::Contact, local_contact_);
  for (const auto& [name, value] : parts.headers) b.header(name, value);
  if (!parts.body.empty() || !parts.content_type.empty()) b.body(parts.content_type, parts.body);
  return b.build();
}

std::string Dialog::make_request(Method method, const LocalVia& via, std::string_view branch,
                                 const MessageParts& parts) {
  return make_request(method_name(method), via, branch, parts);
}

std::string Dialog::make_request(std::string_view method, const LocalVia& via, std::string_view branch,
                                 const MessageParts& parts) {
  Method m = parse_method(method);
  std::uint32_t cseq;
  if (m == Method::Ack || m == Method::Cancel) {
    cseq = last_invite_cseq_;
  } else {
    cseq = next_local_cseq();
  }
  if (m == Method::Invite) {
    last_invite_cseq_ = cseq;
    local_invite_pending_ = true;
  }
  return write_request(method, cseq, via, branch, parts);
}

std::shared_ptr<const std::string> Dialog::make_ack(std::uint32_t invite_cseq, const LocalVia& via,
                                                    std::string_view branch, const MessageParts& parts) {
  ack_cseq_ = invite_cseq;
  ack_ = std::make_shared<const std::string>(write_request("ACK", invite_cseq, via, branch, parts));
  return ack_;
}

std::shared_ptr<const std::string> Dialog::ack_for(const Message& response) const {
  if (!ack_ || !response.is_response()) return nullptr;
  if (response.status() < 200 || response.status() >= 300) return nullptr;
  if (response.cseq().method != Method::Invite || response.cseq().number != ack_cseq_) return nullptr;
  return ack_;
}

Result<NextHop> Dialog::next_hop() const {
  if (route_set_.empty()) return next_hop_for(remote_target_);
  auto na = parse_name_addr(route_set_.front());
  if (!na) return fail(DialogErrc::BadTarget, "unparseable route " + route_set_.front());
  return next_hop_for(na->uri_text);
}

Result<Route> Dialog::route() const {
  auto hop = next_hop();  // GCC 12's <expected> has no and_then yet
  if (!hop) return std::unexpected(hop.error());
  return literal_route(*hop);
}

}  // namespace callwire::sip
