#include "media/sdp/attribute_parser.hpp"

#include <arpa/inet.h>

#include <optional>

#include "media/sdp/parse_util.hpp"
#include "core/text.hpp"

namespace callwire::media::sdp::detail {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.' || c == '+' || c == '!' || c == '%' || c == '*' || c == '~' || c == '\'' ||
              c == '`';
    if (!ok) return false;
  }
  return true;
}

std::optional<Direction> direction_named(std::string_view name) {
  if (iequals(name, "sendrecv")) return Direction::SendRecv;
  if (iequals(name, "sendonly")) return Direction::SendOnly;
  if (iequals(name, "recvonly")) return Direction::RecvOnly;
  if (iequals(name, "inactive")) return Direction::Inactive;
  return std::nullopt;
}

// Milliseconds; a fractional part ("20.0", seen in the wild) is dropped.
std::optional<std::uint32_t> parse_ms(std::string_view v) {
  v = trim(v);
  auto dot = v.find('.');
  if (dot != std::string_view::npos) {
    for (char c : v.substr(dot + 1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    v = v.substr(0, dot);
  }
  auto ms = parse_uint<std::uint32_t>(v, 10000);
  if (!ms || *ms == 0) return std::nullopt;
  return ms;
}

std::string parse_rtpmap(std::string_view v, MediaDescription& m) {
  RtpMap r;
  auto pt = parse_uint<int>(next_field(v), 127);
  if (!pt) return "rtpmap payload type must be 0-127";
  r.payload_type = *pt;
  std::string_view enc = trim(v);
  auto slash = enc.find('/');
  if (slash == std::string_view::npos || slash == 0) return "rtpmap needs <encoding>/<clock rate>";
  r.encoding = enc.substr(0, slash);
  enc.remove_prefix(slash + 1);
  slash = enc.find('/');
  auto clock = parse_uint<std::uint32_t>(enc.substr(0, slash), 10'000'000);
  if (!clock || *clock == 0) return "rtpmap clock rate must be a positive number";
  r.clock_rate = *clock;
  if (slash != std::string_view::npos) {
    auto ch = parse_uint<std::uint32_t>(enc.substr(slash + 1), 255);
    if (!ch || *ch == 0) return "rtpmap channels must be 1-255";
    r.channels = *ch;
  }
  if (m.rtpmap(r.payload_type)) return "second rtpmap for payload type " + std::to_string(r.payload_type);
  m.rtpmaps.push_back(std::move(r));
  return {};
}

std::string parse_rtcp(std::string_view v, MediaDescription& m) {
  Rtcp r;
  auto port = parse_uint<std::uint16_t>(next_field(v), 65535);
  if (!port) return "rtcp port must be 0-65535";
  r.port = *port;
  if (!trim(v).empty()) {
    r.connection = parse_connection(v);
    if (!r.connection) return "rtcp address must be IN IP4|IP6 <address>";
  }
  m.rtcp = std::move(r);
  return {};
}

}  // namespace

std::optional<Connection> parse_connection(std::string_view s) {
  Connection c;
  if (!iequals(next_field(s), "IN")) return std::nullopt;
  std::string_view type = next_field(s);
  std::string_view addr = next_field(s);
  if (!next_field(s).empty() || addr.empty() || addr.size() > 255) return std::nullopt;
  bool v6 = iequals(type, "IP6");
  if (!v6 && !iequals(type, "IP4")) return std::nullopt;
  c.addr_type = v6 ? "IP6" : "IP4";
  auto slash = addr.find('/');
  if (slash != std::string_view::npos) {
    c.multicast_suffix = addr.substr(slash);
    addr = addr.substr(0, slash);
  }
  c.address = addr;
  unsigned char buf[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, c.address.c_str(), buf) == 1) return c;
  // RFC 4566 also allows a fully qualified domain name.
  bool has_alpha = false;
  for (char ch : addr) {
    bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    has_alpha = has_alpha || alpha;
    if (!alpha && !(ch >= '0' && ch <= '9') && ch != '-' && ch != '.') return std::nullopt;
  }
  if (!has_alpha) return std::nullopt;  // "1.2.3" or "999.1.1.1" is a broken IPv4, not a name
  return c;
}

std::string apply_media_attribute(std::string_view text, MediaDescription& m) {
  auto colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  std::optional<std::string_view> value;
  if (colon != std::string_view::npos) value = text.substr(colon + 1);
  if (!valid_name(name)) return "bad attribute name";
  std::string_view v = value.value_or("");
  if (auto d = direction_named(name)) {
    m.direction = *d;
  } else if (iequals(name, "rtpmap")) {
    return parse_rtpmap(v, m);
  } else if (iequals(name, "fmtp")) {
    Fmtp f;
    f.format = next_field(v);
    if (f.format.empty()) return "fmtp needs a format";
    auto pt = parse_uint<int>(f.format, 127);
    if (pt && m.protocol.find("RTP/") != std::string::npos) f.format = std::to_string(*pt);  // as m= formats
    f.parameters = trim(v);
    m.fmtps.push_back(std::move(f));
  } else if (iequals(name, "ptime") || iequals(name, "maxptime")) {
    auto ms = parse_ms(v);
    if (!ms) return std::string(name) + " must be a positive number of milliseconds";
    (iequals(name, "ptime") ? m.ptime : m.maxptime) = *ms;
  } else if (iequals(name, "rtcp")) {
    return parse_rtcp(v, m);
  } else if (iequals(name, "rtcp-mux")) {
    m.rtcp_mux = true;
  } else if (iequals(name, "crypto")) {
    auto c = parse_crypto(v);
    if (!c) return c.error().detail;
    m.crypto.push_back(std::move(*c));
  } else {
    m.attributes.push_back({std::string(name), value ? std::optional<std::string>(*value) : std::nullopt});
  }
  return {};
}

std::string apply_session_attribute(std::string_view text, SessionDescription& s) {
  auto colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  if (!valid_name(name)) return "bad attribute name";
  if (auto d = direction_named(name)) {
    s.direction = *d;
    return {};
  }
  std::optional<std::string> value;
  if (colon != std::string_view::npos) value = std::string(text.substr(colon + 1));
  s.attributes.push_back({std::string(name), std::move(value)});
  return {};
}

}  // namespace callwire::media::sdp::detail
