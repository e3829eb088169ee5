#pragma once
// The Reason header (RFC 3326) callwire adds to every error it sends, so the
// peer and its logs say what was wrong: SIP;cause=400;text="...".
#include <string>
#include <string_view>

namespace callwire::sip {

std::string reason_header(int status, std::string_view text);

}  // namespace callwire::sip
