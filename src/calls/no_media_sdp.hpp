#pragma once
// The SDP callwire answers with when it runs without a media engine (the
// signalling alone, in tests): every offered stream is declined with port 0
// (RFC 3264 §6), which is a valid answer that opens no RTP. With engines
// (callwire serve), InboundCall answers from its MediaSession instead.
#include <string>
#include <string_view>

namespace callwire::calls {

// An answer to `offer` declining each m= line; with no offer (an INVITE
// without SDP), an offer of one audio stream that is declined the same way.
std::string declining_sdp(std::string_view offer);

}  // namespace callwire::calls
