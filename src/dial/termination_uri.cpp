#include "dial/termination_uri.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "dial/errc.hpp"
#include "dial/sip_target.hpp"
#include "sip/message/uri.hpp"

namespace callwire::dial {

Result<TerminationUri> parse_termination_uri(std::string_view text) {
  if (text.size() > kMaxSipUriLength) {
    return fail(Errc::UriTooLong, fmt::format("termination URI of {} characters is too long (at most {})", text.size(),
                                              kMaxSipUriLength));
  }
  if (text.size() >= 5 && iequals(text.substr(0, 5), "sips:")) {
    return fail(Errc::SipsNotSupported, "sips: is not supported: write sip:host;transport=tls");
  }
  auto parsed = sip::parse_uri(text);
  if (!parsed || parsed->scheme != sip::Scheme::Sip) {
    return fail(Errc::InvalidSipUri,
                fmt::format("'{}' is not a termination URI of the form sip:host[:port][;transport=udp|tcp|tls]",
                            text.substr(0, 80)));
  }
  const sip::Uri& u = *parsed;
  if (!u.user.empty() || u.has_password) {
    return fail(Errc::InvalidSipUri, "the termination URI has no user part: the dialed number is put there per call; "
                                     "give carrier credentials as Username and Password");
  }
  if (!u.headers.empty()) return fail(Errc::InvalidSipUri, "the termination URI cannot carry headers ('?…')");
  TerminationUri t;
  t.host = std::string(u.host);
  t.host_is_ipv6 = u.host_is_ipv6;
  t.port = u.port;
  if (t.port && *t.port == 0) return fail(Errc::InvalidSipUri, "port 0 is not a valid termination port");
  for (const auto& p : u.params) {
    if (!iequals(p.name, "transport")) {
      return fail(Errc::InvalidSipUri,
                  fmt::format("unsupported termination URI parameter '{}' (only transport is allowed)",
                              std::string(p.name.substr(0, 40))));
    }
    auto transport = parse_sip_transport(p.value);
    if (!transport) {
      return fail(Errc::InvalidSipUri,
                  fmt::format("transport={} must be udp, tcp or tls", std::string(p.value.substr(0, 40))));
    }
    t.transport = *transport;
    t.transport_given = true;
  }
  return t;
}

std::string request_uri_for(const TerminationUri& trunk, std::string_view number) {
  std::string out = "sip:";
  out += number;
  out += '@';
  if (trunk.host_is_ipv6) out += '[';
  out += trunk.host;
  if (trunk.host_is_ipv6) out += ']';
  if (trunk.port) out += ":" + std::to_string(*trunk.port);
  if (trunk.transport_given) {
    out += ";transport=";
    out += to_string(trunk.transport);
  }
  return out;
}

}  // namespace callwire::dial
