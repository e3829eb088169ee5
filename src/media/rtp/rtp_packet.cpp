#include "media/rtp/rtp_packet.hpp"

#include <cstring>

#include "media/rtp/bytes.hpp"

namespace callwire::media::rtp {

std::uint32_t RtpView::csrc(std::size_t i) const { return bytes::load32(csrc_bytes.data() + 4 * i); }

std::size_t RtpView::header_size() const {
  return kRtpHeaderSize + csrc_bytes.size() + (has_extension ? 4 + extension.size() : 0);
}

Result<RtpView> parse_rtp(std::span<const std::uint8_t> packet) {
  if (packet.size() < kRtpHeaderSize) return fail(Errc::Truncated);
  const std::uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) return fail(Errc::BadVersion);

  RtpView v;
  std::size_t end = packet.size();
  if (p[0] & 0x20) {
    // The last octet counts the padding, itself included (§5.1).
    std::uint8_t pad = p[end - 1];
    if (pad == 0 || pad > end - kRtpHeaderSize) return fail(Errc::BadPadding);
    v.padding = pad;
    end -= pad;
  }
  v.has_extension = (p[0] & 0x10) != 0;
  v.csrc_count = p[0] & 0x0f;
  v.marker = (p[1] & 0x80) != 0;
  v.payload_type = p[1] & 0x7f;
  v.seq = bytes::load16(p + 2);
  v.timestamp = bytes::load32(p + 4);
  v.ssrc = bytes::load32(p + 8);

  std::size_t pos = kRtpHeaderSize;
  std::size_t csrc_len = 4u * v.csrc_count;
  if (end - pos < csrc_len) return fail(Errc::Truncated);
  v.csrc_bytes = packet.subspan(pos, csrc_len);
  pos += csrc_len;

  if (v.has_extension) {
    if (end - pos < 4) return fail(Errc::BadExtension);
    v.extension_profile = bytes::load16(p + pos);
    std::size_t ext_len = 4u * bytes::load16(p + pos + 2);
    pos += 4;
    if (end - pos < ext_len) return fail(Errc::BadExtension);
    v.extension = packet.subspan(pos, ext_len);
    pos += ext_len;
  }
  v.payload = packet.subspan(pos, end - pos);
  return v;
}

bool looks_like_rtcp(std::span<const std::uint8_t> packet) {
  return packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

Result<std::size_t> write_rtp_header(const RtpHeader& h, std::span<std::uint8_t> out) {
  if (h.payload_type > 127 || h.csrcs.size() > kMaxCsrcs) return fail(Errc::BadArgument);
  std::size_t size = kRtpHeaderSize + 4 * h.csrcs.size();
  if (out.size() < size) return fail(Errc::BufferTooSmall);
  std::uint8_t* p = out.data();
  p[0] = static_cast<std::uint8_t>(0x80 | h.csrcs.size());
  p[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0) | h.payload_type);
  bytes::store16(p + 2, h.seq);
  bytes::store32(p + 4, h.timestamp);
  bytes::store32(p + 8, h.ssrc);
  for (std::size_t i = 0; i < h.csrcs.size(); ++i) bytes::store32(p + 12 + 4 * i, h.csrcs[i]);
  return size;
}

Result<std::size_t> write_rtp(const RtpHeader& h, std::span<const std::uint8_t> payload,
                              std::span<std::uint8_t> out) {
  auto n = write_rtp_header(h, out);
  if (!n) return n;
  if (out.size() - *n < payload.size()) return fail(Errc::BufferTooSmall);
  if (!payload.empty()) std::memcpy(out.data() + *n, payload.data(), payload.size());
  return *n + payload.size();
}

}  // namespace callwire::media::rtp
