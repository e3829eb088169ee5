#pragma once
// The bridge load generator's RTP side: a few RTP/RTCP socket pairs on
// 127.0.0.1 shared by every leg, so its cost per packet stays small next to
// the relay it measures (both run on the same cores). Frames go out in
// sendmmsg batches, one per socket, each message with its own destination;
// the sockets are read with recvmmsg, without epoll (the loop's 1 ms tick
// reads them: arrival times come from the kernel, so reading later changes
// no figure, and no socket has a waiter to wake per packet). The relay's
// symmetric RTP answers each leg from the port that leg sends to, so the
// source port names the receiving leg (leg_by_port).
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <vector>

#include "stream_leg.hpp"

namespace callwire::bench {

// A non-blocking UDP socket bound to 127.0.0.1:port (0 = any) with `buffer_bytes`
// of receive and send buffer (forced past the sysctl limits when root); -1 on failure.
int bind_loopback_udp(std::uint16_t port, int buffer_bytes);

class RtpSockets {
 public:
  // Room for a few hundred ms of a share of 4,000 streams if the loop is late.
  static constexpr int kBufferBytes = 8 * 1024 * 1024;
  static constexpr unsigned kBatch = 16;  // frames per sendmmsg: the send stamp is at most one batch early

  RtpSockets() = default;
  RtpSockets(const RtpSockets&) = delete;
  RtpSockets& operator=(const RtpSockets&) = delete;
  ~RtpSockets();

  // Binds `count` RTP/RTCP pairs from the even ports of [first, last].
  bool open(std::uint16_t first, std::uint16_t last, std::size_t count);
  std::size_t size() const { return pairs_.size(); }
  std::uint16_t port(std::size_t k) const { return pairs_[k].port; }

  // Queues `leg`'s next frame on socket k (stamped now); a full batch is sent.
  void send(std::size_t k, StreamLeg& leg);
  // Sends every queued frame.
  void flush();
  std::size_t send_errors() const { return send_errors_; }

  // Reads everything queued on every socket: on_rtp(leg, data, size, at_ns)
  // for RTP from a known relay port, on_foreign(leg or nullptr) for the rest.
  // `offset_ns` = realtime − monotonic (kernel stamps are realtime).
  template <class OnRtp, class OnForeign>
  void receive(std::int64_t offset_ns, const std::vector<StreamLeg*>& leg_by_port, OnRtp&& on_rtp,
               OnForeign&& on_foreign);

 private:
  struct Pair {
    int rtp = -1, rtcp = -1;
    std::uint16_t port = 0;
  };
  struct Batch {
    std::array<mmsghdr, kBatch> msgs{};
    std::array<iovec, kBatch> iov{};
    std::array<sockaddr_storage, kBatch> to{};
    std::array<std::array<unsigned char, kFrameBytes>, kBatch> data{};
    std::array<StreamLeg*, kBatch> legs{};
    unsigned n = 0;
  };
  struct RxSlot {
    std::array<unsigned char, 1500> data;
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control;
    iovec iov;
    sockaddr_storage from;
  };
  void flush(std::size_t k);
  unsigned read_batch(int fd);  // recvmmsg into rx_; count read
  static std::int64_t stamp(const mmsghdr& m, std::int64_t offset_ns);
  static std::uint16_t source_port(const RxSlot& s);

  std::vector<Pair> pairs_;
  std::vector<Batch> batches_;
  std::array<RxSlot, 32> rx_{};
  std::array<mmsghdr, 32> rx_msgs_{};
  std::size_t send_errors_ = 0;
};

template <class OnRtp, class OnForeign>
void RtpSockets::receive(std::int64_t offset_ns, const std::vector<StreamLeg*>& leg_by_port, OnRtp&& on_rtp,
                         OnForeign&& on_foreign) {
  for (const Pair& p : pairs_) {
    for (;;) {
      const unsigned n = read_batch(p.rtp);
      for (unsigned i = 0; i < n; ++i) {
        StreamLeg* leg = leg_by_port[source_port(rx_[i])];
        if (leg) on_rtp(*leg, rx_[i].data.data(), rx_msgs_[i].msg_len, stamp(rx_msgs_[i], offset_ns));
        else on_foreign(nullptr);
      }
      if (n < rx_.size()) break;
    }
    for (;;) {  // RTCP comes from the relay's RTP port + 1
      const unsigned n = read_batch(p.rtcp);
      for (unsigned i = 0; i < n; ++i) on_foreign(leg_by_port[(source_port(rx_[i]) - 1) & 0xFFFF]);
      if (n < rx_.size()) break;
    }
  }
}

}  // namespace callwire::bench
