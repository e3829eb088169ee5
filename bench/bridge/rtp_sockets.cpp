#include "rtp_sockets.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstring>

namespace callwire::bench {

int bind_loopback_udp(std::uint16_t port, int buffer_bytes) {
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
  int bytes = buffer_bytes;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  }
  return fd;
}

RtpSockets::~RtpSockets() {
  for (const Pair& p : pairs_) {
    ::close(p.rtp);
    ::close(p.rtcp);
  }
}

bool RtpSockets::open(std::uint16_t first, std::uint16_t last, std::size_t count) {
  std::uint32_t port = first & ~1u;
  while (pairs_.size() < count && port + 1 <= last) {
    Pair p;
    p.rtp = bind_loopback_udp(static_cast<std::uint16_t>(port), kBufferBytes);
    p.rtcp = p.rtp < 0 ? -1 : bind_loopback_udp(static_cast<std::uint16_t>(port + 1), kBufferBytes);
    if (p.rtp >= 0 && p.rtcp >= 0) {
      int on = 1;
      ::setsockopt(p.rtp, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
      p.port = static_cast<std::uint16_t>(port);
      pairs_.push_back(p);
    } else if (p.rtp >= 0) {
      ::close(p.rtp);
    }
    port += 2;
  }
  batches_.resize(pairs_.size());
  for (Batch& b : batches_) {
    for (unsigned i = 0; i < kBatch; ++i) {
      b.iov[i] = {b.data[i].data(), kFrameBytes};
      b.msgs[i].msg_hdr.msg_iov = &b.iov[i];
      b.msgs[i].msg_hdr.msg_iovlen = 1;
      b.msgs[i].msg_hdr.msg_name = &b.to[i];
      b.msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    }
  }
  for (std::size_t i = 0; i < rx_.size(); ++i) {
    rx_msgs_[i].msg_hdr.msg_iov = &rx_[i].iov;
    rx_msgs_[i].msg_hdr.msg_iovlen = 1;
  }
  return pairs_.size() == count;
}

void RtpSockets::send(std::size_t k, StreamLeg& leg) {
  Batch& b = batches_[k];
  const unsigned i = b.n++;
  auto* to = reinterpret_cast<sockaddr_in*>(&b.to[i]);
  to->sin_family = AF_INET;
  to->sin_port = htons(leg.remote());
  to->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  leg.write_frame(b.data[i].data(), monotonic_ns());
  b.legs[i] = &leg;
  if (b.n == kBatch) flush(k);
}

void RtpSockets::flush() {
  for (std::size_t k = 0; k < batches_.size(); ++k) {
    if (batches_[k].n) flush(k);
  }
}

void RtpSockets::flush(std::size_t k) {
  Batch& b = batches_[k];
  unsigned off = 0;
  while (off < b.n) {
    const int r = ::sendmmsg(pairs_[k].rtp, b.msgs.data() + off, b.n - off, MSG_DONTWAIT);
    if (r <= 0) {
      send_errors_ += b.n - off;  // a full buffer: these frames were not sent, their numbers are reused
      break;
    }
    for (int j = 0; j < r; ++j) b.legs[off + j]->frame_sent();
    off += static_cast<unsigned>(r);
  }
  b.n = 0;
}

unsigned RtpSockets::read_batch(int fd) {
  for (std::size_t i = 0; i < rx_.size(); ++i) {
    rx_[i].iov = {rx_[i].data.data(), rx_[i].data.size()};
    auto& h = rx_msgs_[i].msg_hdr;
    h.msg_name = &rx_[i].from;
    h.msg_namelen = sizeof rx_[i].from;
    h.msg_control = rx_[i].control.data();
    h.msg_controllen = rx_[i].control.size();
    h.msg_flags = 0;
  }
  const int n = ::recvmmsg(fd, rx_msgs_.data(), static_cast<unsigned>(rx_msgs_.size()), MSG_DONTWAIT, nullptr);
  return n > 0 ? static_cast<unsigned>(n) : 0;
}

std::int64_t RtpSockets::stamp(const mmsghdr& m, std::int64_t offset_ns) {
  auto& h = const_cast<msghdr&>(m.msg_hdr);
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec - offset_ns;
    }
  }
  return monotonic_ns();
}

std::uint16_t RtpSockets::source_port(const RxSlot& s) {
  return ntohs(reinterpret_cast<const sockaddr_in*>(&s.from)->sin_port);
}

}  // namespace callwire::bench
