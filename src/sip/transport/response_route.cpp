// Protocol helpers and the RFC 3261 §18.2.2 / RFC 3581 response rules.
#include <algorithm>
#include <cctype>
#include <optional>

#include "net/endpoint.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

std::string_view protocol_name(Protocol p) {
  switch (p) {
    case Protocol::Udp: return "UDP";
    case Protocol::Tcp: return "TCP";
    case Protocol::Tls: return "TLS";
  }
  return "UDP";
}

bool is_reliable(Protocol p) { return p != Protocol::Udp; }

std::optional<Protocol> protocol_from_via(std::string_view transport) {
  auto equals = [&](std::string_view name) {
    return std::ranges::equal(transport, name, [](char a, char b) {
      return std::toupper(static_cast<unsigned char>(a)) == b;
    });
  };
  if (equals("UDP")) return Protocol::Udp;
  if (equals("TCP")) return Protocol::Tcp;
  if (equals("TLS")) return Protocol::Tls;
  return std::nullopt;
}

bool must_use_stream(std::size_t request_size, Protocol p) {
  return p == Protocol::Udp && request_size > kUdpRequestLimit;
}

namespace {
std::uint16_t default_port(Protocol p) { return p == Protocol::Tls ? 5061 : 5060; }

std::optional<boost::asio::ip::address> ip_literal(std::string_view host) {
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return address;
}

// Where `view` starts inside `text`, when it points into it.
std::optional<std::size_t> offset_in(std::string_view text, std::string_view view) {
  if (view.data() < text.data() || view.data() + view.size() > text.data() + text.size()) return std::nullopt;
  return static_cast<std::size_t>(view.data() - text.data());
}
}  // namespace

Route response_route(const Source& src, const Via& via) {
  Route route;
  route.protocol = src.protocol;
  route.listener = src.listener;
  // The address is the packet's source in every case but maddr: "received"
  // is only ever the source address, and when the sent-by host equals the
  // source the two agree anyway.
  route.address = src.remote_address;
  route.port = via.port.value_or(default_port(src.protocol));
  if (is_reliable(src.protocol)) {
    // §18.2.2: the request's connection while it is open; if it closed, a
    // new connection to received (the source) at the sent-by port.
    route.connection = src.connection;
    return route;
  }
  if (auto maddr = via.maddr(); !maddr.empty()) {
    if (auto address = ip_literal(maddr)) {  // a name would need DNS: fall back to the source
      route.address = *address;
      return route;
    }
  }
  // RFC 3581 §4: with rport, the response goes back to the source port, so
  // it passes the NAT binding the request opened.
  if (via.has_rport()) route.port = src.remote_port;
  return route;
}

std::string received_via(const Via& top, const Source& src) {
  std::string_view text = top.text;
  bool add_received = top.has_rport();
  if (!add_received) {
    auto sent_by = ip_literal(top.host);
    add_received = !sent_by || *sent_by != src.remote_address;
  }
  const Param* received = find_param(top.params, "received");
  const Param* rport = find_param(top.params, "rport");

  struct Edit {
    std::size_t at, erase;
    std::string insert;
  };
  std::vector<Edit> edits;
  std::string tail;  // appended at the end
  std::string address = net::address_text(src.remote_address);  // IPv6 without brackets (RFC 5118 §4.5)
  if (add_received) {
    auto at = received ? offset_in(text, received->name) : std::nullopt;
    if (at) {
      // Replace whatever follows the name ("=value", with any LWS) by ours.
      std::size_t begin = *at + received->name.size();
      std::size_t end = begin;
      if (received->has_value) {
        if (auto v = offset_in(text, received->value)) end = *v + received->value.size();
      }
      edits.push_back({begin, end - begin, std::string(1, '=').append(address)});
    } else {
      tail.append(";received=").append(address);
    }
  }
  if (rport && !rport->has_value) {
    if (auto at = offset_in(text, rport->name)) {
      edits.push_back({*at + rport->name.size(), 0, std::string(1, '=').append(std::to_string(src.remote_port))});
    }
  }
  std::string out(text);
  std::ranges::sort(edits, [](const Edit& a, const Edit& b) { return a.at > b.at; });
  for (const auto& e : edits) out.replace(e.at, e.erase, e.insert);
  out.append(tail);
  return out;
}

}  // namespace callwire::sip
