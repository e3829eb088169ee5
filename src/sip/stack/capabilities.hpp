#pragma once
// What callwire tells peers it can do: Allow (OPTIONS, 405), Accept and
// Supported (OPTIONS), the Server header value.
#include <string_view>

namespace callwire::sip {

inline constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";
inline constexpr std::string_view kAccept = "application/sdp";
// No option tags yet (100rel, timer, replaces are not implemented); an empty
// Supported header is valid (RFC 3261 §20.37) and says so explicitly.
inline constexpr std::string_view kSupported = "";
inline constexpr std::string_view kAcceptLanguage = "en";

}  // namespace callwire::sip
