#pragma once
// The SIP text of the carrier side of the bridge load generator: the UAS
// behind callwire's outbound trunk. Like bench/media's sip_text, not a SIP
// parser: callwire is the only peer.
#include <cstdint>
#include <string>
#include <string_view>

namespace callwire::bench {

// A response to `request` with its Via headers, From, Call-ID and CSeq
// copied, To copied with `to_tag` added when it has none, then `extra`
// headers (each ending in CRLF) and `body` (application/sdp when not empty).
std::string carrier_response(std::string_view request, int status, std::string_view reason, std::string_view to_tag,
                             std::string_view extra = {}, std::string_view body = {});

// The PCMU-only SDP answer of a carrier leg whose RTP port is `rtp_port`.
std::string carrier_sdp(std::uint32_t session, std::uint16_t rtp_port);

// The first payload type of the offer's m=audio line (-1 when none).
int first_offered_payload(std::string_view message);

}  // namespace callwire::bench
