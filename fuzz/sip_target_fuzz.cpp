// Fuzzes the <Dial><Sip> body parser and the trunk termination URI parser
// (dial/), with invariants: a parsed target's Request-URI parses again to
// the same host, port and transport, keeps no callwire-only parameter, and
// every header it kept is allowed and free of line breaks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dial/sip_target.hpp"
#include "dial/termination_uri.hpp"

using namespace callwire::dial;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto t = parse_sip_target(text)) {
    auto again = parse_sip_target(t->request_uri);
    if (!again || again->host != t->host || again->port != t->port || again->transport != t->transport ||
        again->request_uri != t->request_uri || !again->headers.empty() || again->secure || !again->edge.empty()) {
      __builtin_trap();
    }
    for (const auto& h : t->headers) {
      if (!sip_header_allowed(h.name) || h.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        __builtin_trap();
      }
    }
    (void)t->effective_port();
  }
  if (auto u = parse_termination_uri(text)) {
    auto request = request_uri_for(*u, "+14155551234");
    auto target = parse_sip_target(request);
    if (request.size() <= kMaxSipUriLength && (!target || target->host != u->host || target->user != "+14155551234" ||
        target->effective_port() != u->effective_port())) {
      __builtin_trap();
    }
  }
  return 0;
}
