#include "stream_leg.hpp"

#include <time.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace callwire::bench {

namespace {

constexpr std::uint32_t kMagic = 0x43574252;  // "CWBR"
constexpr std::size_t kPayload = 160;         // 20 ms of PCMU
constexpr std::size_t kHeader = 12;

void put32(unsigned char* p, std::uint32_t v) {
  p[0] = static_cast<unsigned char>(v >> 24);
  p[1] = static_cast<unsigned char>(v >> 16);
  p[2] = static_cast<unsigned char>(v >> 8);
  p[3] = static_cast<unsigned char>(v);
}

std::uint32_t get32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

void LatencyHistogram::add(std::int64_t ns) {
  if (ns < 0) ns = 0;
  auto bucket = static_cast<std::size_t>(ns < kFineEndNs ? ns / kFineNs
                                                         : kFineEndNs / kFineNs + (ns - kFineEndNs) / kCoarseNs);
  ++counts_[std::min(bucket, kBuckets)];
  ++total_;
  max_ns_ = std::max(max_ns_, ns);
}

std::int64_t LatencyHistogram::quantile(double q) const {
  if (total_ == 0) return 0;
  if (q >= 1.0) return max_ns_;
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen < rank) continue;
    constexpr auto fine = static_cast<std::size_t>(kFineEndNs / kFineNs);
    const std::int64_t upper = i < fine ? static_cast<std::int64_t>(i + 1) * kFineNs
                                        : kFineEndNs + static_cast<std::int64_t>(i + 1 - fine) * kCoarseNs;
    return std::min(upper, max_ns_);
  }
  return max_ns_;
}

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

void StreamLeg::write_frame(unsigned char* pkt, std::int64_t now) {
  std::memset(pkt + kHeader + 20, 0xFF, kPayload - 20);  // µ-law silence after our 20 bytes
  pkt[0] = 0x80;
  pkt[1] = sent_ == 0 ? 0x80 : 0x00;  // PT 0 (PCMU), marker on the first packet
  pkt[2] = static_cast<unsigned char>(rtp_seq_ >> 8);
  pkt[3] = static_cast<unsigned char>(rtp_seq_);
  put32(&pkt[4], rtp_ts_);
  put32(&pkt[8], 0x10000000u + id_);  // SSRC
  unsigned char* body = &pkt[kHeader];
  put32(body, kMagic);
  put32(body + 4, id_);
  put32(body + 8, payload_seq_);
  put32(body + 12, static_cast<std::uint32_t>(static_cast<std::uint64_t>(now) >> 32));
  put32(body + 16, static_cast<std::uint32_t>(now));
}

void StreamLeg::frame_sent() {
  ++rtp_seq_;
  rtp_ts_ += kPayload;
  ++payload_seq_;
  ++sent_;
}

void StreamLeg::on_packet(const unsigned char* p, std::size_t size, std::int64_t at_ns, std::int64_t window_from,
                          std::int64_t window_to, LatencyHistogram& latency) {
  if (size < kHeader + 20 || (p[0] >> 6) != 2 || (p[1] & 0x7F) != 0) {
    ++stats_.foreign;  // RTCP (muxed), another payload type, or not RTP
    return;
  }
  const std::size_t csrc = (p[0] & 0x0F) * 4u;
  if (size < kHeader + csrc + 20) {
    ++stats_.foreign;
    return;
  }
  const unsigned char* body = p + kHeader + csrc;
  if (get32(body) != kMagic) {
    ++stats_.foreign;  // callwire's own audio (ringing) before the bridge
    return;
  }
  const std::uint32_t from = get32(body + 4);
  const std::uint32_t seq = get32(body + 8);
  const auto sent_at = static_cast<std::int64_t>((std::uint64_t{get32(body + 12)} << 32) | get32(body + 16));
  if (peer_ == kNoStream) {
    peer_ = from;
  } else if (from != peer_) {
    ++stats_.misrouted;  // another call's audio: the bridge crossed streams
    return;
  }
  if (first_ns_ == 0) first_ns_ = at_ns;
  else max_gap_ns_ = std::max(max_gap_ns_, at_ns - last_ns_);
  last_ns_ = at_ns;
  ++stats_.received;
  if (at_ns < window_from || at_ns >= window_to) return;
  latency.add(at_ns - sent_at);
  ++stats_.window_received;
  if (!window_started_) {
    window_started_ = true;
    window_first_ = window_max_ = seq;
  } else if (seq > window_max_) {
    window_max_ = seq;
  }
}

LegStats StreamLeg::stats() const {
  LegStats s = stats_;
  s.window_expected = window_started_ ? std::uint64_t{window_max_} - window_first_ + 1 : 0;
  return s;
}

}  // namespace callwire::bench
