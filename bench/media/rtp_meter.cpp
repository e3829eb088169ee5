#include "rtp_meter.hpp"

#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>

namespace callwire::bench {

namespace asio = boost::asio;
using asio::ip::udp;

void DeviationHistogram::add(std::int64_t deviation_ns) {
  auto bucket = static_cast<std::size_t>(deviation_ns / kBucketNs);
  ++counts_[std::min(bucket, kBuckets)];
  ++total_;
  max_ns_ = std::max(max_ns_, deviation_ns);
}

void DeviationHistogram::merge(const DeviationHistogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  max_ns_ = std::max(max_ns_, other.max_ns_);
}

std::int64_t DeviationHistogram::quantile(double q) const {
  if (total_ == 0) return 0;
  if (q >= 1.0) return max_ns_;
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min<std::int64_t>(static_cast<std::int64_t>(i + 1) * kBucketNs, max_ns_);
  }
  return max_ns_;
}

std::int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

RtpMeter::RtpMeter(asio::io_context& io, DeviationHistogram& deviation, const std::atomic<std::int64_t>& until_ns)
    : rtp_(io), rtcp_(io), deviation_(deviation), until_ns_(until_ns) {}

bool RtpMeter::open(std::uint16_t port) {
  boost::system::error_code ec;
  const auto loopback = asio::ip::make_address_v4("127.0.0.1");
  rtp_.open(udp::v4(), ec);
  if (!ec) rtp_.bind(udp::endpoint(loopback, port), ec);
  if (ec) {
    rtp_.close(ec);
    return false;
  }
  rtcp_.open(udp::v4(), ec);
  if (!ec) rtcp_.bind(udp::endpoint(loopback, static_cast<std::uint16_t>(port + 1)), ec);
  if (ec) {
    rtp_.close(ec);
    rtcp_.close(ec);
    return false;
  }
  int on = 1;
  ::setsockopt(rtp_.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  rtp_.non_blocking(true, ec);
  port_ = port;
  return true;
}

void RtpMeter::start() {
  asio::post(rtp_.get_executor(), [this] {
    wait_rtp();
    wait_rtcp();
  });
}

void RtpMeter::wait_rtp() {
  rtp_.async_wait(udp::socket::wait_read, [this](boost::system::error_code ec) {
    if (ec) return;
    drain_rtp();
    wait_rtp();
  });
}

void RtpMeter::wait_rtcp() {
  // Reports are read only so the socket buffer never fills; their content is not measured.
  static thread_local std::array<unsigned char, 1500> sink;
  static thread_local udp::endpoint from;
  rtcp_.async_receive_from(asio::buffer(sink), from, [this](boost::system::error_code ec, std::size_t) {
    if (ec == asio::error::operation_aborted || !rtcp_.is_open()) return;
    wait_rtcp();
  });
}

void RtpMeter::drain_rtp() {
  // One recvmmsg takes every queued datagram (it stops at EAGAIN once it has one).
  constexpr unsigned kBatch = 8;
  struct Slot {
    std::array<unsigned char, 2048> data;
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control;
    iovec iov;
  };
  static thread_local std::array<Slot, kBatch> slots;
  static thread_local std::array<mmsghdr, kBatch> msgs;
  for (;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      slots[i].iov = {slots[i].data.data(), slots[i].data.size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &slots[i].iov;
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = slots[i].control.data();
      msgs[i].msg_hdr.msg_controllen = slots[i].control.size();
    }
    int n = ::recvmmsg(rtp_.native_handle(), msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    const std::int64_t fallback = realtime_ns();
    for (int i = 0; i < n; ++i) {
      std::int64_t at = fallback;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts{};
          std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
          at = std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
        }
      }
      on_packet(slots[i].data.data(), msgs[i].msg_len, at);
    }
    if (static_cast<unsigned>(n) < kBatch) return;
  }
}

void RtpMeter::on_packet(const unsigned char* p, std::size_t size, std::int64_t at_ns) {
  if (size < 12 || (p[0] >> 6) != 2) return;
  const std::int64_t until = until_ns_.load(std::memory_order_relaxed);
  if (until != 0 && at_ns > until) return;
  const std::uint16_t seq = static_cast<std::uint16_t>((p[2] << 8) | p[3]);
  const std::uint32_t ssrc = (std::uint32_t{p[8]} << 24) | (std::uint32_t{p[9]} << 16) | (p[10] << 8) | p[11];
  if (packets_ != 0 && ssrc != ssrc_) {
    ++foreign_;  // another stream on a shared machine reusing this port: not callwire's audio for this call
    return;
  }
  if (packets_ == 0) {
    ssrc_ = ssrc;
    base_seq_ = max_seq_ = seq;
    first_ns.store(at_ns, std::memory_order_relaxed);
  } else {
    // RFC 3550 A.1, without the probation: a forward step under 3000 advances.
    const auto step = static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(max_seq_));
    if (step == 0 || step >= 3000) {
      ++out_of_order_;  // duplicate or late: neither a gap nor a timing sample
    } else {
      if (step == 1) {
        const std::int64_t delta = at_ns - prev_ns_;
        deviation_.add(delta > kFrameNs ? delta - kFrameNs : kFrameNs - delta);
      }
      max_seq_ += step;
    }
    max_gap_ns_ = std::max(max_gap_ns_, at_ns - prev_ns_);
  }
  prev_ns_ = at_ns;
  last_ns.store(at_ns, std::memory_order_relaxed);
  ++packets_;
}

std::uint64_t RtpMeter::lost() const {
  if (packets_ == 0) return 0;
  const std::uint64_t expected = std::uint64_t{max_seq_} - base_seq_ + 1;
  const std::uint64_t in_order = packets_ - out_of_order_;
  return expected > in_order ? expected - in_order : 0;
}

void RtpMeter::send_silence() {
  const std::uint16_t remote = remote_port_.load(std::memory_order_relaxed);
  if (remote == 0) return;
  std::array<unsigned char, 12 + 160> pkt;
  pkt.fill(0xFF);  // µ-law silence
  pkt[0] = 0x80;
  pkt[1] = send_seq_ == 0 ? 0x80 : 0x00;  // PT 0, marker on the first packet
  pkt[2] = static_cast<unsigned char>(send_seq_ >> 8);
  pkt[3] = static_cast<unsigned char>(send_seq_);
  for (int i = 0; i < 4; ++i) pkt[4 + i] = static_cast<unsigned char>(send_ts_ >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) pkt[8 + i] = static_cast<unsigned char>(port_ >> (24 - 8 * i));  // SSRC
  ++send_seq_;
  send_ts_ += 160;
  boost::system::error_code ec;
  rtp_.send_to(asio::buffer(pkt), udp::endpoint(asio::ip::make_address_v4("127.0.0.1"), remote), 0, ec);
}

}  // namespace callwire::bench
