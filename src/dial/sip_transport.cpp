#include "dial/sip_transport.hpp"

#include "core/text.hpp"

namespace callwire::dial {

std::optional<SipTransport> parse_sip_transport(std::string_view text) {
  if (iequals(text, "udp")) return SipTransport::Udp;
  if (iequals(text, "tcp")) return SipTransport::Tcp;
  if (iequals(text, "tls")) return SipTransport::Tls;
  return std::nullopt;
}

std::string_view to_string(SipTransport transport) {
  switch (transport) {
    case SipTransport::Udp: return "udp";
    case SipTransport::Tcp: return "tcp";
    case SipTransport::Tls: return "tls";
  }
  return "udp";
}

}  // namespace callwire::dial
