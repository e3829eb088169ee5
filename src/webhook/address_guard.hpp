#pragma once
// The SSRF guard's rule: which peer addresses a webhook may not connect to
// when ClientConfig::refuse_private_addresses is on. Checked on the address
// libcurl is about to connect to (not on a separate DNS lookup), so a host
// that resolves differently the second time cannot slip through.
#include <string>

struct sockaddr;

namespace callwire::webhook {

// True for loopback (127/8, ::1), unspecified/"this network" (0/8, ::),
// RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), link-local
// (169.254/16, fe80::/10), unique-local (fc00::/7), multicast and broadcast,
// and IPv4-mapped/compatible IPv6 forms of any of these. Unknown families too.
bool is_private_address(const sockaddr* address);

// "203.0.113.5" / "::1" for log lines and failure messages.
std::string address_text(const sockaddr* address);

}  // namespace callwire::webhook
