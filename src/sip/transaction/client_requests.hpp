#pragma once
// Requests a UAC builds from its own INVITE: the top Via for a new client
// transaction, the ACK for a non-2xx final response (§17.1.1.3) and the
// CANCEL (§9.1). Pure functions of messages, so the rules are testable alone.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

// A Via value "SIP/2.0/UDP host:port;branch=<branch>;rport" for a request
// callwire sends. `host` as written in Via (IPv6 in brackets, as in
// Advertised::host); `branch` normally new_branch() from core/random.hpp.
std::string make_via(Protocol protocol, std::string_view host, std::uint16_t port,
                     std::string_view branch);

// The ACK for a 300-699 response to `invite` (§17.1.1.3): same Request-URI,
// Call-ID, From, CSeq number and top Via (so the same branch) as the INVITE,
// To from the response (with its tag), the INVITE's Route headers, CSeq
// method ACK, Max-Forwards 70, no body.
[[nodiscard]] Result<std::string> build_ack_for_non2xx(const Message& invite, const Message& response);

// The CANCEL for `invite` (§9.1): same Request-URI, Call-ID, From, To, CSeq
// number, top Via (only that one) and Route headers; CSeq method CANCEL,
// Max-Forwards 70, no body.
[[nodiscard]] Result<std::string> build_cancel(const Message& invite);

}  // namespace callwire::sip
