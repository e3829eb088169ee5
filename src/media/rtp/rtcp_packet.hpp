#pragma once
// Compound RTCP (RFC 3550 §6): validation per Appendix A.2 and a fixed-size
// summary of what callwire uses from it: the sender info of an SR, report
// blocks of SR/RR, the first CNAME and BYE. Unknown packet types (APP, XR,
// feedback) are skipped. Nothing allocates; string views point into the buffer.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "media/rtp/errc.hpp"
#include "media/rtp/ntp_time.hpp"

namespace callwire::media::rtp {

enum class RtcpType : std::uint8_t { Sr = 200, Rr = 201, Sdes = 202, Bye = 203, App = 204 };

inline constexpr std::size_t kMaxReportBlocks = 31;  // the 5-bit count field

struct SenderInfo {
  std::uint32_t ssrc = 0;
  NtpTime ntp;
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packet_count = 0;
  std::uint32_t octet_count = 0;  // payload octets only (§6.4.1)
};

struct ReportBlock {
  std::uint32_t ssrc = 0;             // source this block reports on
  std::uint8_t fraction_lost = 0;     // lost/expected since the last report, × 256
  std::int32_t cumulative_lost = 0;   // 24-bit signed on the wire
  std::uint32_t highest_seq = 0;      // extended highest sequence number received
  std::uint32_t jitter = 0;           // interarrival jitter, timestamp units
  std::uint32_t lsr = 0;              // middle 32 bits of the last SR's NTP time
  std::uint32_t dlsr = 0;             // delay since that SR, 1/65536 s
  friend bool operator==(const ReportBlock&, const ReportBlock&) = default;
};

struct RtcpInfo {
  std::uint32_t reporter_ssrc = 0;  // SSRC of the leading SR/RR
  bool has_sender_info = false;
  SenderInfo sender;                // first SR of the compound
  std::array<ReportBlock, kMaxReportBlocks> blocks{};
  std::uint8_t block_count = 0;
  std::uint8_t blocks_dropped = 0;  // beyond kMaxReportBlocks in one compound
  bool has_cname = false;
  std::uint32_t cname_ssrc = 0;
  std::string_view cname;
  bool has_bye = false;
  std::array<std::uint32_t, kMaxReportBlocks> bye_ssrcs{};
  std::uint8_t bye_count = 0;
  std::string_view bye_reason;
  std::uint8_t packet_count = 0;    // packets in the compound
  std::uint8_t unknown_count = 0;   // skipped packets of other types

  std::span<const ReportBlock> report_blocks() const { return {blocks.data(), block_count}; }
  std::span<const std::uint32_t> bye_sources() const { return {bye_ssrcs.data(), bye_count}; }
};

// Validates the whole compound before using any of it.
[[nodiscard]] Result<RtcpInfo> parse_rtcp(std::span<const std::uint8_t> compound);

}  // namespace callwire::media::rtp
