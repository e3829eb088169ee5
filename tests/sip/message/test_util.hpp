#pragma once
// Helpers for the SIP message tests: readable vectors written with "\n"
// that become CRLF on the wire.
#include <string>
#include <string_view>
#include <vector>

namespace callwire::sip::test {

// Replaces every "\n" with "\r\n".
std::string crlf(std::string_view text);

// A request with the five mandatory headers; `extra` lines go after them,
// `body` after the blank line with a correct Content-Length unless `extra`
// already has one. All line ends CRLF.
std::string request(std::string_view method = "INVITE", std::string_view extra = {}, std::string_view body = {});

// A typical ~900-byte INVITE with SDP, and a ~400-byte 200 OK to it (the
// benchmarks parse the same bytes).
std::string typical_invite();
std::string typical_ok();

std::string read_file(const std::string& path);

}  // namespace callwire::sip::test
