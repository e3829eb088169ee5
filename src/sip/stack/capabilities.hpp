#pragma once
// What callwire tells peers it can do: Allow (OPTIONS, 405), Accept and
// Supported (OPTIONS), the Server header value.
#include <string_view>

namespace callwire::sip {

inline constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";
inline constexpr std::string_view kAccept = "application/sdp";
// RFC 4028 session timers (calls/session_timer.hpp); 100rel and replaces
// are not implemented. Also what a request may Require without a 420.
inline constexpr std::string_view kSupported = "timer";
inline constexpr std::string_view kAcceptLanguage = "en";

}  // namespace callwire::sip
