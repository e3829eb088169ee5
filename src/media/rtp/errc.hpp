#pragma once
// Errors of the RTP layer. Packets come from the network, so a malformed one
// is routine: the engine drops it and counts the code. No detail strings are
// attached on the packet path, so a failure never allocates.
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::rtp {

enum class Errc {
  Truncated = 1,        // shorter than its fixed header, CSRC list or extension
  BadVersion,           // version field is not 2
  BadPadding,           // padding count is 0 or larger than the packet
  BadExtension,         // header extension runs past the packet
  RtcpNotReportFirst,   // compound RTCP must start with SR or RR (RFC 3550 A.2)
  RtcpBadLength,        // a length field does not add up to the compound's size
  RtcpBadPadding,       // padding bit set on a packet other than the last
  RtcpBadReportCount,   // report count needs more bytes than the packet has
  RtcpBadSdes,          // SDES chunk or item runs past its packet
  RtcpBadBye,           // BYE source count or reason runs past its packet
  BufferTooSmall,       // output buffer cannot hold what is written
  BadArgument,          // value outside its field (payload type > 127, > 15 CSRCs, ...)
  BadEvent,             // telephone-event payload shorter than 4 bytes, or unknown digit
  BadPortRange,         // port range text or bounds unusable
  PortsExhausted,       // every RTP/RTCP pair of the range is in use
  PortNotAllocated,     // released a pair that is not allocated from this range
};

const std::error_category& rtp_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), rtp_category()}; }

}  // namespace callwire::media::rtp

template <>
struct std::is_error_code_enum<callwire::media::rtp::Errc> : std::true_type {};
