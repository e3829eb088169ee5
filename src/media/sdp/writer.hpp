#pragma once
// SDP writer: CRLF lines in RFC 4566 order (v o s i u e p c b t r z k a m;
// per media m i c b k a). Typed attributes come first, each rtpmap followed
// by its fmtp, then the kept attributes, then the direction.
#include <string>

#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp {

std::string to_string(const SessionDescription& sdp);

}  // namespace callwire::media::sdp
