#include "sip/transport/transport_config.hpp"

namespace callwire::sip {

Result<ListenConfig> parse_listen(std::string_view text, bool secure) {
  auto endpoint = net::parse_endpoint(text, secure ? 5061 : 5060);
  if (!endpoint) return std::unexpected(endpoint.error());
  ListenConfig out{*endpoint, {}};
  if (secure) {
    out.protocols = {Protocol::Tls};
  } else {
    out.protocols = {Protocol::Udp, Protocol::Tcp};
  }
  return out;
}

}  // namespace callwire::sip
