// Fuzzes the RTP and compound RTCP parsers with write-back round trips, and
// drives the per-stream state (receiver statistics, DTMF receiver, latch,
// pacer) with packet sequences cut from the input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "media/rtp/dtmf_receiver.hpp"
#include "media/rtp/pacer.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtcp_writer.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "media/rtp/rtp_receiver.hpp"
#include "media/rtp/symmetric_latch.hpp"
#include "media/rtp/telephone_event.hpp"

using namespace callwire::media::rtp;
using callwire::Clock;

namespace {

void check_rtp(std::span<const std::uint8_t> in) {
  auto v = parse_rtp(in);
  (void)looks_like_rtcp(in);
  if (!v) return;
  if (v->header_size() + v->payload.size() + v->padding != in.size()) __builtin_trap();
  if (v->has_extension || v->padding) return;
  // Without extension or padding, writing the view back gives the input.
  std::array<std::uint32_t, kMaxCsrcs> csrcs{};
  for (std::size_t i = 0; i < v->csrc_count; ++i) csrcs[i] = v->csrc(i);
  RtpHeader h{v->marker, v->payload_type, v->seq, v->timestamp, v->ssrc, std::span(csrcs).first(v->csrc_count)};
  static std::array<std::uint8_t, 70000> out;
  auto n = write_rtp(h, v->payload, out);
  if (!n || *n != in.size() || std::memcmp(out.data(), in.data(), in.size()) != 0) __builtin_trap();
}

void check_rtcp(std::span<const std::uint8_t> in) {
  auto info = parse_rtcp(in);
  if (!info) return;
  std::array<std::uint8_t, 2048> out{};
  auto blocks = info->report_blocks();
  auto n = info->has_sender_info ? write_sr(info->sender, blocks, out) : write_rr(info->reporter_ssrc, blocks, out);
  if (!n) __builtin_trap();
  auto back = parse_rtcp(std::span(out).first(*n));
  if (!back || back->block_count != info->block_count) __builtin_trap();
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    // Cumulative loss is 24-bit on the wire, so it survives exactly.
    if (!(back->blocks[i] == blocks[i])) __builtin_trap();
  }
  if (info->has_sender_info && !(back->sender.ntp == info->sender.ntp)) __builtin_trap();
  if (info->has_cname) {
    auto s = write_sdes_cname(info->cname_ssrc, info->cname, std::span(out).subspan(*n));
    if (!s) __builtin_trap();
  }
}

// 12-byte records: seq(2) ts(4) ssrc(1) source/acceptable(1) event payload(4);
// the event's first two bytes double as the arrival step (× 16 µs).
void drive_state(std::span<const std::uint8_t> in) {
  RtpReceiver rx(8000);
  DtmfReceiver dtmf;
  SymmetricLatch latch({}, PeerAddress::v4(10, 0, 0, 1, 4000));
  Clock::time_point start = Clock::time_point{} + std::chrono::seconds(1);
  Pacer pacer(start, std::chrono::milliseconds(20), 3);
  Clock::time_point now = start;
  std::uint64_t handed = 0;
  for (std::size_t off = 0; off + 12 <= in.size(); off += 12) {
    const std::uint8_t* p = in.data() + off;
    RtpView v;
    v.seq = static_cast<std::uint16_t>((p[0] << 8) | p[1]);
    v.timestamp = (std::uint32_t{p[2]} << 24) | (std::uint32_t{p[3]} << 16) | (std::uint32_t{p[4]} << 8) | p[5];
    v.ssrc = p[6] & 3;
    now += std::chrono::microseconds((p[8] << 8) | p[9]) * 16;
    bool ok = rx.on_packet(v, now);
    if (ok && !rx.valid()) __builtin_trap();
    (void)rx.report_block(now);
    auto from = PeerAddress::v4(10, 0, 0, static_cast<std::uint8_t>(p[7] & 3), 4000);
    (void)latch.on_packet(from, v.ssrc, (p[7] & 4) != 0, now);
    if (auto e = parse_telephone_event(std::span(p + 8, 4))) (void)dtmf.on_event(v.ssrc, v.timestamp, *e);
    auto tick = pacer.due(now);
    handed += tick.send + tick.skipped;
    if (handed != static_cast<std::uint64_t>((now - start) / std::chrono::milliseconds(20)) + 1) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  check_rtp(in);
  check_rtcp(in);
  if (auto e = parse_telephone_event(in)) {
    if (encode_telephone_event(*e)[0] != in[0]) __builtin_trap();
  }
  drive_state(in);
  return 0;
}
