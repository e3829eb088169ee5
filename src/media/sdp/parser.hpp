#pragma once
// SDP parser for untrusted input (RFC 4566). Tolerant of what real PBXs send
// (LF-only line ends, trailing whitespace, blank lines, a missing s= or t=,
// unknown line types), strict on what negotiation relies on (v=, o=, c=, m=
// and the typed attributes), bounded by Limits. Never throws.
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp {

struct Limits {
  std::size_t max_size = 16 * 1024;   // bytes of the whole body
  std::size_t max_lines = 512;
  std::size_t max_line_length = 1024;
  std::size_t max_media = 16;          // m= lines
  std::size_t max_formats = 64;        // formats on one m= line
};

// Errors are Errc::Malformed (detail names the line number and what is
// wrong) or Errc::LimitExceeded (detail names the limit).
[[nodiscard]] Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});

}  // namespace callwire::media::sdp
