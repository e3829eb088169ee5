#pragma once
// SDP errors. Parse and limit errors mean the body itself is bad (400);
// negotiation errors mean the offer is fine but unacceptable to us (488).
#include <system_error>

namespace callwire::media::sdp {

enum class Errc {
  Malformed = 1,       // syntax error; the detail names the line
  LimitExceeded,       // size, line, m-line or format count over the parser's limits
  NoAudioStream,       // no usable audio m= line in the offer
  NoCommonCodec,       // no audio codec in common
  SrtpRequired,        // we need RTP/SAVP with a usable a=crypto, the offer has none
  SrtpNotAllowed,      // SRTP-only offer while our policy refuses SRTP
  NoCommonCrypto,      // RTP/SAVP offer without an a=crypto we can use
  BadAnswer,           // an answer that does not fit the offer we sent
  InvalidLocal,        // our own LocalMedia is unusable (no address, no codecs)
};

const std::error_category& sdp_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), sdp_category()}; }

// The SIP status a UAS sends for an SDP error in a request: 400 for a
// malformed body, 488 Not Acceptable Here for a negotiation failure,
// 500 for InvalidLocal, 0 for a code of another category.
int sip_status(std::error_code code);

}  // namespace callwire::media::sdp

template <>
struct std::is_error_code_enum<callwire::media::sdp::Errc> : std::true_type {};
