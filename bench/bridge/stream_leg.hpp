#pragma once
// One call leg of the bridge load generator on the RTP side: the PCMU stream
// it sends every 20 ms and what it receives through the relay from the other
// leg of the same call. Legs own no sockets: they share a few socket pairs
// (rtp_sockets.hpp), which the relay's symmetric RTP tells apart by its own
// source port (one relay port per leg).
//
// Every packet we send carries, at the start of its 160-byte payload, a
// magic word, the sending stream's id, its own sequence number and the send
// time (CLOCK_MONOTONIC ns, read just before the send). The relay forwards
// same-codec payloads untouched, so the receiving leg reads them back and
// gets the one-way latency through the relay against the kernel's arrival
// timestamp (SO_TIMESTAMPNS), and the loss from the payload sequence (callwire
// rewrites the RTP header's). Packets without the magic word (callwire's own
// ringing tone before the bridge) are counted, not measured.
#include <cstdint>
#include <vector>

namespace callwire::bench {

// One-way latency: 1 µs buckets up to 10 ms, then 100 µs buckets up to
// 2 s (the last bucket holds the rest), with the exact maximum beside it.
class LatencyHistogram {
 public:
  static constexpr std::int64_t kFineNs = 1'000;
  static constexpr std::int64_t kFineEndNs = 10'000'000;
  static constexpr std::int64_t kCoarseNs = 100'000;
  static constexpr std::size_t kBuckets = 10'000 + 19'900;

  LatencyHistogram() : counts_(kBuckets + 1, 0) {}
  void add(std::int64_t ns);
  std::int64_t quantile(double q) const;  // upper edge of the bucket, ns
  std::uint64_t count() const { return total_; }
  std::int64_t max_ns() const { return max_ns_; }

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::int64_t max_ns_ = 0;
};

std::int64_t monotonic_ns();
std::int64_t realtime_ns();

inline constexpr std::uint32_t kNoStream = 0xFFFFFFFFu;

struct LegStats {
  std::uint64_t received = 0;    // measured packets (ours), whole run
  std::uint64_t foreign = 0;     // RTP without our payload (ringing tone) or RTCP
  std::uint64_t misrouted = 0;   // ours, but from another stream than the first one seen
  std::uint64_t window_received = 0;  // inside the measuring window
  std::uint64_t window_expected = 0;
};

inline constexpr std::size_t kFrameBytes = 12 + 160;  // RTP header + 20 ms of PCMU

class StreamLeg {
 public:
  StreamLeg(std::uint16_t port, std::uint32_t stream_id) : port_(port), id_(stream_id) {}
  StreamLeg(const StreamLeg&) = delete;
  StreamLeg& operator=(const StreamLeg&) = delete;

  std::uint16_t port() const { return port_; }  // the shared socket's (what our SDP names)
  std::uint32_t id() const { return id_; }

  // Where to send (the relay's port; 0 = stop sending).
  void set_remote(std::uint16_t port) { remote_port_ = port; }
  std::uint16_t remote() const { return remote_port_; }
  bool sending() const { return remote_port_ != 0; }
  // Writes the next 20 ms frame stamped `now` into `out` (kFrameBytes).
  void write_frame(unsigned char* out, std::int64_t now);
  // The frame written last was sent (or not: its sequence number is reused).
  void frame_sent();

  // One received RTP datagram, arrived at `at_ns` (monotonic); packets
  // arriving inside [window_from, window_to) are measured into `latency`.
  void on_packet(const unsigned char* p, std::size_t size, std::int64_t at_ns, std::int64_t window_from,
                 std::int64_t window_to, LatencyHistogram& latency);
  void on_foreign() { ++stats_.foreign; }

  // Live figures (monotonic ns, 0 = none yet).
  std::int64_t first_ns() const { return first_ns_; }
  std::int64_t last_ns() const { return last_ns_; }
  std::int64_t max_gap_ns() const { return max_gap_ns_; }
  std::uint32_t peer() const { return peer_; }  // stream id heard, kNoStream before
  std::uint64_t sent() const { return sent_; }
  LegStats stats() const;

 private:
  std::uint16_t port_ = 0;
  std::uint16_t remote_port_ = 0;
  std::uint32_t id_ = 0;
  // sending
  std::uint16_t rtp_seq_ = 0;
  std::uint32_t rtp_ts_ = 0;
  std::uint32_t payload_seq_ = 0;
  std::uint64_t sent_ = 0;
  // receiving
  std::uint32_t peer_ = kNoStream;
  std::int64_t first_ns_ = 0, last_ns_ = 0, max_gap_ns_ = 0;
  LegStats stats_;
  bool window_started_ = false;
  std::uint32_t window_first_ = 0, window_max_ = 0;
};

}  // namespace callwire::bench
