#pragma once
// Keys a phone sends as SIP INFO instead of RFC 4733 events. The body is
// the caller's (untrusted): application/dtmf-relay ("Signal=5\r\nDuration=160",
// with 10 and 11 meaning * and #, as some phones send) or application/dtmf
// ("5"). Content-Type parameters and blanks around values are ignored.
#include <optional>
#include <string_view>

namespace callwire::calls {

// The key (0-9, *, #, A-D), or nullopt for another content type or an
// unusable body.
std::optional<char> info_dtmf_key(std::string_view content_type, std::string_view body);

}  // namespace callwire::calls
