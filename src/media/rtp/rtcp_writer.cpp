#include "media/rtp/rtcp_writer.hpp"

#include <cstring>

#include "media/rtp/bytes.hpp"

namespace callwire::media::rtp {

namespace {

void write_common(std::uint8_t* p, unsigned count, RtcpType type, std::size_t size) {
  p[0] = static_cast<std::uint8_t>(0x80 | count);
  p[1] = static_cast<std::uint8_t>(type);
  bytes::store16(p + 2, static_cast<std::uint16_t>(size / 4 - 1));
}

void write_block(std::uint8_t* p, const ReportBlock& b) {
  bytes::store32(p, b.ssrc);
  // Clamp to the 24-bit signed field.
  std::int32_t lost = b.cumulative_lost > 0x7fffff ? 0x7fffff : b.cumulative_lost < -0x800000 ? -0x800000 : b.cumulative_lost;
  std::uint32_t lost24 = static_cast<std::uint32_t>(lost) & 0xffffff;
  bytes::store32(p + 4, (std::uint32_t{b.fraction_lost} << 24) | lost24);
  bytes::store32(p + 8, b.highest_seq);
  bytes::store32(p + 12, b.jitter);
  bytes::store32(p + 16, b.lsr);
  bytes::store32(p + 20, b.dlsr);
}

}  // namespace

Result<std::size_t> write_sr(const SenderInfo& s, std::span<const ReportBlock> blocks, std::span<std::uint8_t> out) {
  if (blocks.size() > kMaxReportBlocks) return fail(Errc::BadArgument);
  std::size_t size = 28 + 24 * blocks.size();
  if (out.size() < size) return fail(Errc::BufferTooSmall);
  std::uint8_t* p = out.data();
  write_common(p, static_cast<unsigned>(blocks.size()), RtcpType::Sr, size);
  bytes::store32(p + 4, s.ssrc);
  bytes::store32(p + 8, s.ntp.seconds);
  bytes::store32(p + 12, s.ntp.fraction);
  bytes::store32(p + 16, s.rtp_timestamp);
  bytes::store32(p + 20, s.packet_count);
  bytes::store32(p + 24, s.octet_count);
  for (std::size_t i = 0; i < blocks.size(); ++i) write_block(p + 28 + 24 * i, blocks[i]);
  return size;
}

Result<std::size_t> write_rr(std::uint32_t ssrc, std::span<const ReportBlock> blocks, std::span<std::uint8_t> out) {
  if (blocks.size() > kMaxReportBlocks) return fail(Errc::BadArgument);
  std::size_t size = 8 + 24 * blocks.size();
  if (out.size() < size) return fail(Errc::BufferTooSmall);
  std::uint8_t* p = out.data();
  write_common(p, static_cast<unsigned>(blocks.size()), RtcpType::Rr, size);
  bytes::store32(p + 4, ssrc);
  for (std::size_t i = 0; i < blocks.size(); ++i) write_block(p + 8 + 24 * i, blocks[i]);
  return size;
}

Result<std::size_t> write_sdes_cname(std::uint32_t ssrc, std::string_view cname, std::span<std::uint8_t> out) {
  if (cname.size() > 255) return fail(Errc::BadArgument);
  // header + SSRC + type/len + text + null item, padded to a word.
  std::size_t size = (4 + 4 + 2 + cname.size() + 1 + 3) & ~std::size_t{3};
  if (out.size() < size) return fail(Errc::BufferTooSmall);
  std::uint8_t* p = out.data();
  std::memset(p, 0, size);
  write_common(p, 1, RtcpType::Sdes, size);
  bytes::store32(p + 4, ssrc);
  p[8] = 1;  // CNAME
  p[9] = static_cast<std::uint8_t>(cname.size());
  if (!cname.empty()) std::memcpy(p + 10, cname.data(), cname.size());
  return size;
}

Result<std::size_t> write_bye(std::uint32_t ssrc, std::string_view reason, std::span<std::uint8_t> out) {
  if (reason.size() > 255) return fail(Errc::BadArgument);
  std::size_t size = 8 + (reason.empty() ? 0 : (1 + reason.size() + 3) & ~std::size_t{3});
  if (out.size() < size) return fail(Errc::BufferTooSmall);
  std::uint8_t* p = out.data();
  std::memset(p, 0, size);
  write_common(p, 1, RtcpType::Bye, size);
  bytes::store32(p + 4, ssrc);
  if (!reason.empty()) {
    p[8] = static_cast<std::uint8_t>(reason.size());
    std::memcpy(p + 9, reason.data(), reason.size());
  }
  return size;
}

Result<std::size_t> write_report_compound(const SenderInfo* sender, std::uint32_t ssrc,
                                          std::span<const ReportBlock> blocks, std::string_view cname, bool bye,
                                          std::span<std::uint8_t> out) {
  auto n = sender ? write_sr(*sender, blocks, out) : write_rr(ssrc, blocks, out);
  if (!n) return n;
  std::size_t used = *n;
  auto s = write_sdes_cname(sender ? sender->ssrc : ssrc, cname, out.subspan(used));
  if (!s) return s;
  used += *s;
  if (bye) {
    auto b = write_bye(sender ? sender->ssrc : ssrc, {}, out.subspan(used));
    if (!b) return b;
    used += *b;
  }
  return used;
}

}  // namespace callwire::media::rtp
