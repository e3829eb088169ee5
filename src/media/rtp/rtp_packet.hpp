#pragma once
// RTP fixed header (RFC 3550 §5.1): a zero-copy view of a received packet and
// a writer that puts a header into the caller's buffer. Nothing allocates.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.hpp"
#include "media/rtp/errc.hpp"

namespace callwire::media::rtp {

inline constexpr std::size_t kRtpHeaderSize = 12;
inline constexpr std::size_t kMaxCsrcs = 15;

// Spans point into the parsed buffer; the view lives no longer than it.
struct RtpView {
  bool marker = false;
  std::uint8_t payload_type = 0;
  std::uint16_t seq = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::uint8_t csrc_count = 0;
  std::span<const std::uint8_t> csrc_bytes;  // 4 * csrc_count bytes
  bool has_extension = false;
  std::uint16_t extension_profile = 0;       // "defined by profile" field
  std::span<const std::uint8_t> extension;   // extension data, without its 4-byte header
  std::uint8_t padding = 0;                  // padding octets stripped from the end (0 if none)
  std::span<const std::uint8_t> payload;

  std::uint32_t csrc(std::size_t i) const;   // i < csrc_count
  std::size_t header_size() const;           // fixed + CSRCs + extension
};

// Validates version 2, padding, CSRC list and extension lengths.
[[nodiscard]] Result<RtpView> parse_rtp(std::span<const std::uint8_t> packet);

// RTP and RTCP sharing one port (RFC 5761 §4): RTCP packet types 192-223
// sit where RTP's marker + payload type would be 64-95.
bool looks_like_rtcp(std::span<const std::uint8_t> packet);

struct RtpHeader {
  bool marker = false;
  std::uint8_t payload_type = 0;  // 0..127
  std::uint16_t seq = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::span<const std::uint32_t> csrcs;  // at most 15
};

// Writes the header (12 + 4·CSRCs bytes, no padding or extension) at the start
// of `out` and returns its size.
[[nodiscard]] Result<std::size_t> write_rtp_header(const RtpHeader& h, std::span<std::uint8_t> out);
// Header followed by `payload`; returns the packet size.
[[nodiscard]] Result<std::size_t> write_rtp(const RtpHeader& h, std::span<const std::uint8_t> payload,
                                            std::span<std::uint8_t> out);

}  // namespace callwire::media::rtp
