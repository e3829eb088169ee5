#include "net/endpoint.hpp"

#include <charconv>

#include "net/errc.hpp"

namespace callwire::net {

namespace {
std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}
}  // namespace

Result<Endpoint> parse_endpoint(std::string_view text, std::optional<std::uint16_t> default_port) {
  auto bad = [&](std::string_view why) {
    return fail(Errc::BadAddress, std::string(why) + ": \"" + std::string(text) + "\"");
  };
  std::string_view host = text;
  std::optional<std::string_view> port_text;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return bad("expected ':' after ']'");
      port_text = rest.substr(1);
    }
  } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') == colon) {  // one colon: IPv4 (or name) with port
      host = text.substr(0, colon);
      port_text = text.substr(colon + 1);
    }  // several colons and no brackets: a bare IPv6 address
  }
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return bad("not an IP address");
  if (address.is_v6() && !text.starts_with('[') && port_text) return bad("IPv6 needs brackets");
  Endpoint out{address, 0};
  if (port_text) {
    auto port = parse_port(*port_text);
    if (!port) return bad("bad port");
    out.port = *port;
  } else if (default_port) {
    out.port = *default_port;
  } else {
    return bad("missing port");
  }
  return out;
}

std::string address_text(const boost::asio::ip::address& address) {
  if (!address.is_v4()) return address.to_string();
  const auto bytes = address.to_v4().to_bytes();
  std::string text;
  text.reserve(15);
  for (unsigned b : bytes) {
    if (!text.empty()) text += '.';
    if (b >= 100) text += static_cast<char>('0' + b / 100);
    if (b >= 10) text += static_cast<char>('0' + b / 10 % 10);
    text += static_cast<char>('0' + b % 10);
  }
  return text;
}

std::string format_host(const boost::asio::ip::address& address) {
  if (!address.is_v6()) return address_text(address);
  std::string text = "[";
  text += address.to_string();
  text += ']';
  return text;
}

std::string format_endpoint(const boost::asio::ip::address& address, std::uint16_t port) {
  return format_host(address) + ":" + std::to_string(port);
}

}  // namespace callwire::net
