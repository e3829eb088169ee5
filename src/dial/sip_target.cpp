#include "dial/sip_target.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/text.hpp"
#include "dial/errc.hpp"
#include "sip/message/uri.hpp"

namespace callwire::dial {

namespace {

std::string shown(std::string_view text) { return std::string(text.substr(0, 80)); }

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '!' || c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' || c == '~';
}

Result<SipHeader> decode_header(const sip::Param& p) {
  SipHeader h{sip::unescape(p.name), sip::unescape(p.value)};
  if (h.name.empty() || !std::all_of(h.name.begin(), h.name.end(), token_char)) {
    return fail(Errc::InvalidSipUri, fmt::format("'{}' is not a SIP header name", shown(h.name)));
  }
  if (!sip_header_allowed(h.name)) {
    return fail(Errc::HeaderNotAllowed,
                fmt::format("header {} may not be set from a SIP URI (allowed: X-*, User-to-User, Remote-Party-ID, "
                            "P-Preferred-Identity, P-Called-Party-ID)",
                            shown(h.name)));
  }
  for (char c : h.value) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return fail(Errc::InvalidSipUri, fmt::format("header {} has a line break or NUL in its value", h.name));
    }
  }
  return h;
}

}  // namespace

bool sip_header_allowed(std::string_view name) {
  if (name.size() > 2 && iequals(name.substr(0, 2), "x-")) return true;
  return iequals(name, "User-to-User") || iequals(name, "Remote-Party-ID") || iequals(name, "P-Preferred-Identity") ||
         iequals(name, "P-Called-Party-ID");
}

Result<SipTarget> parse_sip_target(std::string_view body) {
  const std::string_view text = trim(body);
  if (text.size() > kMaxSipUriLength + 1 + kMaxSipHeadersLength) {
    return fail(Errc::UriTooLong, fmt::format("SIP URI of {} characters is too long", text.size()));
  }
  if (text.size() >= 5 && iequals(text.substr(0, 5), "sips:")) {
    return fail(Errc::SipsNotSupported, "sips: URIs are not supported: write sip:…;transport=tls");
  }
  auto parsed = sip::parse_uri(text);
  if (!parsed) return fail(Errc::InvalidSipUri, fmt::format("'{}' is not a SIP URI: {}", shown(text),
                                                            parsed.error().what()));
  const sip::Uri& u = *parsed;
  if (u.scheme != sip::Scheme::Sip) {
    return fail(Errc::InvalidSipUri, fmt::format("'{}' is not a sip: URI", shown(text)));
  }
  if (u.has_password) {
    return fail(Errc::InvalidSipUri, "a password in the SIP URI is not accepted: use the password attribute");
  }
  // The request part ends where the headers begin.
  std::size_t request_length = text.size();
  if (!u.headers.empty()) {
    request_length = static_cast<std::size_t>(u.headers.front().name.data() - text.data()) - 1;
    const std::size_t headers_length = text.size() - request_length - 1;
    if (headers_length > kMaxSipHeadersLength) {
      return fail(Errc::HeadersTooLong, fmt::format("the headers of the SIP URI are {} characters, at most {}",
                                                    headers_length, kMaxSipHeadersLength));
    }
  }
  if (request_length > kMaxSipUriLength) {
    return fail(Errc::UriTooLong,
                fmt::format("SIP URI of {} characters is too long (at most {})", request_length, kMaxSipUriLength));
  }

  SipTarget t;
  t.user = std::string(u.user);
  t.host = std::string(u.host);
  t.host_is_ipv6 = u.host_is_ipv6;
  t.port = u.port;
  t.request_uri = "sip:";
  if (!u.user.empty()) t.request_uri += std::string(u.user) + "@";
  t.request_uri += u.host_port();
  for (const auto& p : u.params) {
    if (iequals(p.name, "secure")) {
      if (iequals(p.value, "true")) t.secure = true;
      else if (iequals(p.value, "false")) t.secure = false;
      else return fail(Errc::InvalidSipUri, fmt::format("secure={} must be true or false", shown(p.value)));
      continue;
    }
    if (iequals(p.name, "edge") || iequals(p.name, "region")) {
      if (p.value.empty()) return fail(Errc::InvalidSipUri, fmt::format("{} needs a value", p.name));
      t.edge = std::string(p.value);
      continue;
    }
    if (iequals(p.name, "transport")) {
      auto transport = parse_sip_transport(p.value);
      if (!transport) {
        return fail(Errc::InvalidSipUri, fmt::format("transport={} must be udp, tcp or tls", shown(p.value)));
      }
      t.transport = *transport;
      t.transport_given = true;
    }
    t.request_uri += ';';
    t.request_uri += p.name;
    if (p.has_value) {
      t.request_uri += '=';
      t.request_uri += p.value;
    }
  }
  for (const auto& p : u.headers) {
    auto h = decode_header(p);
    if (!h) return std::unexpected(h.error());
    t.headers.push_back(std::move(*h));
  }
  return t;
}

}  // namespace callwire::dial
