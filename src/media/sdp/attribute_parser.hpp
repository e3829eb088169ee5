#pragma once
// a= lines: the typed attributes go to their fields, the rest is kept.
#include <string>
#include <string_view>

#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp::detail {

// Applies "a=<text>" to the media description; "" on success, else why not.
std::string apply_media_attribute(std::string_view text, MediaDescription& m);
// Same at session level (only directions are typed there).
std::string apply_session_attribute(std::string_view text, SessionDescription& s);

}  // namespace callwire::media::sdp::detail
