#include "sip/dialog/next_hop.hpp"

#include <boost/asio/ip/address.hpp>

#include "sip/dialog/dialog_errc.hpp"
#include "sip/message/uri.hpp"
#include "core/text.hpp"

namespace callwire::sip {

namespace {

std::optional<Protocol> transport_param(std::string_view v) {
  if (iequals(v, "udp")) return Protocol::Udp;
  if (iequals(v, "tcp")) return Protocol::Tcp;
  if (iequals(v, "tls")) return Protocol::Tls;
  return std::nullopt;
}

}  // namespace

Result<NextHop> next_hop_for(std::string_view uri_text) {
  auto uri = parse_uri(uri_text);
  if (!uri) return fail(DialogErrc::BadTarget, "unparseable URI: " + uri.error().what());
  if (uri->scheme != Scheme::Sip && uri->scheme != Scheme::Sips)
    return fail(DialogErrc::BadTarget, "not a sip/sips URI");
  NextHop hop;
  hop.secure = uri->scheme == Scheme::Sips;
  hop.port = uri->port;
  hop.host = std::string(uri->host);
  if (auto* maddr = uri->param("maddr"); maddr && !maddr->value.empty()) {
    std::string_view m = maddr->value;
    if (m.size() > 2 && m.front() == '[' && m.back() == ']') m = m.substr(1, m.size() - 2);
    hop.host = std::string(m);
  }
  if (auto* t = uri->param("transport"); t && t->has_value) {
    auto p = transport_param(t->value);
    if (!p) return fail(DialogErrc::BadTarget, "unsupported transport " + std::string(t->value));
    // sips over TCP means TLS (RFC 3261 §26.2.2); sips over UDP is meaningless.
    if (hop.secure && *p != Protocol::Udp) p = Protocol::Tls;
    if (hop.secure && *p == Protocol::Udp) return fail(DialogErrc::BadTarget, "sips over UDP");
    hop.protocol = p;
  } else if (hop.secure) {
    hop.protocol = Protocol::Tls;
  }
  return hop;
}

Result<Route> literal_route(const NextHop& hop) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(hop.host, ec);
  if (ec) return fail(DialogErrc::NeedsDns, hop.host);
  Route route;
  route.protocol = hop.protocol.value_or(hop.secure ? Protocol::Tls : Protocol::Udp);
  route.address = address;
  route.port = hop.port.value_or(route.protocol == Protocol::Tls ? 5061 : 5060);
  return route;
}

}  // namespace callwire::sip
