#pragma once
// Builders for the RTCP packets callwire sends (RFC 3550 §6.4, §6.5, §6.6).
// Each writes one packet at the start of `out` and returns its size; a
// compound is several calls on successive subspans, or write_report_compound.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "media/rtp/rtcp_packet.hpp"

namespace callwire::media::rtp {

[[nodiscard]] Result<std::size_t> write_sr(const SenderInfo& sender, std::span<const ReportBlock> blocks,
                                           std::span<std::uint8_t> out);
[[nodiscard]] Result<std::size_t> write_rr(std::uint32_t ssrc, std::span<const ReportBlock> blocks,
                                           std::span<std::uint8_t> out);
// One chunk with a CNAME item (at most 255 bytes).
[[nodiscard]] Result<std::size_t> write_sdes_cname(std::uint32_t ssrc, std::string_view cname,
                                                   std::span<std::uint8_t> out);
[[nodiscard]] Result<std::size_t> write_bye(std::uint32_t ssrc, std::string_view reason,
                                            std::span<std::uint8_t> out);

// The regular report (§6.1): SR when `sender` is given (we sent media since
// the last report), else RR from `ssrc`; then SDES CNAME; then BYE if `bye`.
[[nodiscard]] Result<std::size_t> write_report_compound(const SenderInfo* sender, std::uint32_t ssrc,
                                                        std::span<const ReportBlock> blocks,
                                                        std::string_view cname, bool bye,
                                                        std::span<std::uint8_t> out);

}  // namespace callwire::media::rtp
