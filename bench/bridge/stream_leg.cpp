#include "stream_leg.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

int bind_udp(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
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

StreamLeg::~StreamLeg() {
  if (rtp_fd_ >= 0) ::close(rtp_fd_);
  if (rtcp_fd_ >= 0) ::close(rtcp_fd_);
}

bool StreamLeg::open(std::uint16_t port, std::uint32_t stream_id) {
  rtp_fd_ = bind_udp(port);
  if (rtp_fd_ < 0) return false;
  rtcp_fd_ = bind_udp(static_cast<std::uint16_t>(port + 1));
  if (rtcp_fd_ < 0) {
    ::close(rtp_fd_);
    rtp_fd_ = -1;
    return false;
  }
  int on = 1;
  ::setsockopt(rtp_fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  port_ = port;
  id_ = stream_id;
  return true;
}

bool StreamLeg::send_frame() {
  std::array<unsigned char, kHeader + kPayload> pkt;
  pkt.fill(0xFF);  // µ-law silence after our 20 bytes
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
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(remote_port_);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::int64_t now = monotonic_ns();
  put32(body + 12, static_cast<std::uint32_t>(static_cast<std::uint64_t>(now) >> 32));
  put32(body + 16, static_cast<std::uint32_t>(now));
  if (::sendto(rtp_fd_, pkt.data(), pkt.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
    return false;  // a full buffer: this frame was not sent, its sequence number is reused
  }
  ++rtp_seq_;
  rtp_ts_ += kPayload;
  ++payload_seq_;
  ++sent_;
  return true;
}

void StreamLeg::drain_rtp(std::int64_t offset_ns, std::int64_t window_from, std::int64_t window_to,
                          LatencyHistogram& latency) {
  constexpr unsigned kBatch = 8;
  struct Slot {
    std::array<unsigned char, 1500> data;
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control;
    iovec iov;
  };
  static std::array<Slot, kBatch> slots;
  static std::array<mmsghdr, kBatch> msgs;
  for (;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      slots[i].iov = {slots[i].data.data(), slots[i].data.size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &slots[i].iov;
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = slots[i].control.data();
      msgs[i].msg_hdr.msg_controllen = slots[i].control.size();
    }
    int n = ::recvmmsg(rtp_fd_, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    std::int64_t fallback = 0;
    for (int i = 0; i < n; ++i) {
      std::int64_t at = 0;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts{};
          std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
          at = std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec - offset_ns;
        }
      }
      if (at == 0) at = fallback != 0 ? fallback : (fallback = monotonic_ns());
      on_packet(slots[i].data.data(), msgs[i].msg_len, at, window_from, window_to, latency);
    }
    if (static_cast<unsigned>(n) < kBatch) return;
  }
}

void StreamLeg::drain_rtcp() {
  std::array<unsigned char, 1500> sink;
  while (::recv(rtcp_fd_, sink.data(), sink.size(), MSG_DONTWAIT) > 0) ++stats_.foreign;
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
