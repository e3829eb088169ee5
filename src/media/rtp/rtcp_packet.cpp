#include "media/rtp/rtcp_packet.hpp"

#include "media/rtp/bytes.hpp"

namespace callwire::media::rtp {

namespace {

constexpr std::size_t kBlockSize = 24;

ReportBlock read_block(const std::uint8_t* p) {
  ReportBlock b;
  b.ssrc = bytes::load32(p);
  b.fraction_lost = p[4];
  // Sign-extend the 24-bit cumulative loss.
  std::uint32_t lost = (std::uint32_t{p[5]} << 16) | (std::uint32_t{p[6]} << 8) | p[7];
  b.cumulative_lost = (lost & 0x800000) ? static_cast<std::int32_t>(lost | 0xff000000u)
                                        : static_cast<std::int32_t>(lost);
  b.highest_seq = bytes::load32(p + 8);
  b.jitter = bytes::load32(p + 12);
  b.lsr = bytes::load32(p + 16);
  b.dlsr = bytes::load32(p + 20);
  return b;
}

// `body` is the packet after its 4-byte common header, padding removed.
Status read_reports(RtcpInfo& info, std::span<const std::uint8_t> body, unsigned count) {
  if (body.size() < count * kBlockSize) return fail(Errc::RtcpBadReportCount);
  for (unsigned i = 0; i < count; ++i) {
    if (info.block_count == kMaxReportBlocks) {
      ++info.blocks_dropped;
      continue;
    }
    info.blocks[info.block_count++] = read_block(body.data() + i * kBlockSize);
  }
  return {};
}

Status read_sr(RtcpInfo& info, std::span<const std::uint8_t> body, unsigned count) {
  if (body.size() < 24) return fail(Errc::RtcpBadLength);
  const std::uint8_t* p = body.data();
  if (!info.has_sender_info) {
    info.has_sender_info = true;
    info.sender.ssrc = bytes::load32(p);
    info.sender.ntp = {bytes::load32(p + 4), bytes::load32(p + 8)};
    info.sender.rtp_timestamp = bytes::load32(p + 12);
    info.sender.packet_count = bytes::load32(p + 16);
    info.sender.octet_count = bytes::load32(p + 20);
  }
  return read_reports(info, body.subspan(24), count);
}

Status read_rr(RtcpInfo& info, std::span<const std::uint8_t> body, unsigned count) {
  if (body.size() < 4) return fail(Errc::RtcpBadLength);
  return read_reports(info, body.subspan(4), count);
}

// Chunks of SSRC + items, each chunk ended by a null item and padded to 32 bits.
Status read_sdes(RtcpInfo& info, std::span<const std::uint8_t> body, unsigned count) {
  std::size_t pos = 0;
  for (unsigned c = 0; c < count; ++c) {
    if (body.size() - pos < 4) return fail(Errc::RtcpBadSdes);
    std::uint32_t ssrc = bytes::load32(body.data() + pos);
    pos += 4;
    for (;;) {
      if (pos >= body.size()) return fail(Errc::RtcpBadSdes);
      std::uint8_t type = body[pos];
      if (type == 0) {
        pos = (pos + 4) & ~std::size_t{3};  // null item, then pad to the next word
        break;
      }
      if (body.size() - pos < 2) return fail(Errc::RtcpBadSdes);
      std::size_t len = body[pos + 1];
      if (body.size() - pos - 2 < len) return fail(Errc::RtcpBadSdes);
      if (type == 1 && !info.has_cname) {
        info.has_cname = true;
        info.cname_ssrc = ssrc;
        info.cname = {reinterpret_cast<const char*>(body.data() + pos + 2), len};
      }
      pos += 2 + len;
    }
    if (pos > body.size()) return fail(Errc::RtcpBadSdes);
  }
  return {};
}

Status read_bye(RtcpInfo& info, std::span<const std::uint8_t> body, unsigned count) {
  if (body.size() < 4u * count) return fail(Errc::RtcpBadBye);
  info.has_bye = true;
  for (unsigned i = 0; i < count; ++i) {
    if (info.bye_count < kMaxReportBlocks) info.bye_ssrcs[info.bye_count++] = bytes::load32(body.data() + 4 * i);
  }
  std::size_t pos = 4u * count;
  if (pos < body.size()) {
    std::size_t len = body[pos];
    if (body.size() - pos - 1 < len) return fail(Errc::RtcpBadBye);
    info.bye_reason = {reinterpret_cast<const char*>(body.data() + pos + 1), len};
  }
  return {};
}

}  // namespace

Result<RtcpInfo> parse_rtcp(std::span<const std::uint8_t> compound) {
  // A.2: the first packet is SR or RR, version 2, without padding.
  if (compound.size() < 8) return fail(Errc::Truncated);
  if ((compound[0] >> 6) != 2) return fail(Errc::BadVersion);
  if ((compound[0] & 0x20) != 0) return fail(Errc::RtcpBadPadding);
  if (compound[1] != static_cast<std::uint8_t>(RtcpType::Sr) && compound[1] != static_cast<std::uint8_t>(RtcpType::Rr))
    return fail(Errc::RtcpNotReportFirst);

  RtcpInfo info;
  info.reporter_ssrc = bytes::load32(compound.data() + 4);
  std::size_t pos = 0;
  while (pos < compound.size()) {
    if (compound.size() - pos < 4) return fail(Errc::RtcpBadLength);
    const std::uint8_t* p = compound.data() + pos;
    if ((p[0] >> 6) != 2) return fail(Errc::BadVersion);
    std::size_t len = 4 * (std::size_t{bytes::load16(p + 2)} + 1);
    if (compound.size() - pos < len) return fail(Errc::RtcpBadLength);
    bool last = pos + len == compound.size();
    auto body = compound.subspan(pos + 4, len - 4);
    if (p[0] & 0x20) {
      // Only the last packet may be padded; its last octet counts the padding.
      if (!last) return fail(Errc::RtcpBadPadding);
      std::size_t pad = compound[compound.size() - 1];
      if (pad == 0 || pad > body.size()) return fail(Errc::RtcpBadPadding);
      body = body.first(body.size() - pad);
    }
    unsigned count = p[0] & 0x1f;
    Status st;
    switch (p[1]) {
      case static_cast<std::uint8_t>(RtcpType::Sr): st = read_sr(info, body, count); break;
      case static_cast<std::uint8_t>(RtcpType::Rr): st = read_rr(info, body, count); break;
      case static_cast<std::uint8_t>(RtcpType::Sdes): st = read_sdes(info, body, count); break;
      case static_cast<std::uint8_t>(RtcpType::Bye): st = read_bye(info, body, count); break;
      default:
        if (info.unknown_count < 255) ++info.unknown_count;
        break;
    }
    if (!st) return std::unexpected(std::move(st.error()));
    if (info.packet_count < 255) ++info.packet_count;
    pos += len;
  }
  return info;
}

}  // namespace callwire::media::rtp
