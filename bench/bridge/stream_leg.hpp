#pragma once
// One call leg of the bridge load generator on the RTP side: its own RTP/RTCP
// socket pair on 127.0.0.1, the PCMU stream it sends every 20 ms and what it
// receives through callwire from the other leg of the same call.
//
// Every packet we send carries, at the start of its 160-byte payload, a
// magic word, the sending stream's id, its own sequence number and the send
// time (CLOCK_MONOTONIC ns, read just before sendto). callwire relays
// same-codec payloads untouched, so the receiving leg reads them back and
// gets the one-way latency through callwire against the kernel's arrival
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

class StreamLeg {
 public:
  StreamLeg() = default;
  StreamLeg(const StreamLeg&) = delete;
  StreamLeg& operator=(const StreamLeg&) = delete;
  ~StreamLeg();

  // Binds RTP on `port`, RTCP on port + 1 (127.0.0.1), non-blocking, with
  // kernel receive timestamps. False when either port is taken.
  bool open(std::uint16_t port, std::uint32_t stream_id);
  int rtp_fd() const { return rtp_fd_; }
  int rtcp_fd() const { return rtcp_fd_; }
  std::uint16_t port() const { return port_; }
  std::uint32_t id() const { return id_; }

  // Where to send (the peer's SDP port; 0 = stop sending).
  void set_remote(std::uint16_t port) { remote_port_ = port; }
  bool sending() const { return remote_port_ != 0; }
  // Sends one 20 ms frame. False on a send error (nothing counted as sent).
  bool send_frame();

  // Reads every queued packet. `offset_ns` = realtime − monotonic now, to
  // bring kernel (realtime) stamps onto the monotonic clock; packets arriving
  // inside [window_from, window_to) are measured into `latency`.
  void drain_rtp(std::int64_t offset_ns, std::int64_t window_from, std::int64_t window_to,
                 LatencyHistogram& latency);
  void drain_rtcp();

  // Live figures (monotonic ns, 0 = none yet).
  std::int64_t first_ns() const { return first_ns_; }
  std::int64_t last_ns() const { return last_ns_; }
  std::int64_t max_gap_ns() const { return max_gap_ns_; }
  std::uint32_t peer() const { return peer_; }  // stream id heard, kNoStream before
  std::uint64_t sent() const { return sent_; }
  LegStats stats() const;

 private:
  void on_packet(const unsigned char* p, std::size_t size, std::int64_t at_ns, std::int64_t window_from,
                 std::int64_t window_to, LatencyHistogram& latency);

  int rtp_fd_ = -1;
  int rtcp_fd_ = -1;
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
