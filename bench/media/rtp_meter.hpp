#pragma once
// The receiving end of one call of the media load generator: an RTP/RTCP
// socket pair and what arrived on it. Arrival times are the kernel's
// (SO_TIMESTAMPNS), so they show when callwire's packets reached the socket,
// not when this process got round to reading them. Every packet is read on
// the meter's own io_context; only `first_ns`/`last_ns` are read from the
// signalling thread while the run goes on, the rest once every thread has
// been joined.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <vector>

namespace callwire::bench {

// |inter-arrival − 20 ms| in 10 µs buckets up to 1 s (the last bucket holds
// everything above), with the exact maximum beside it.
class DeviationHistogram {
 public:
  static constexpr std::int64_t kBucketNs = 10'000;
  static constexpr std::size_t kBuckets = 100'000;

  DeviationHistogram() : counts_(kBuckets + 1, 0) {}
  void add(std::int64_t deviation_ns);
  void merge(const DeviationHistogram& other);
  // Upper edge of the bucket holding quantile q, in ns (the maximum for q = 1).
  std::int64_t quantile(double q) const;
  std::uint64_t count() const { return total_; }
  std::int64_t max_ns() const { return max_ns_; }

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::int64_t max_ns_ = 0;
};

std::int64_t realtime_ns();

class RtpMeter {
 public:
  static constexpr std::int64_t kFrameNs = 20'000'000;  // ptime 20

  // `until_ns`: packets arriving later (realtime ns, 0 = no limit yet) are not measured.
  RtpMeter(boost::asio::io_context& io, DeviationHistogram& deviation, const std::atomic<std::int64_t>& until_ns);
  RtpMeter(const RtpMeter&) = delete;
  RtpMeter& operator=(const RtpMeter&) = delete;

  // Binds RTP on `port` and RTCP on port + 1 (127.0.0.1). False if either is taken.
  bool open(std::uint16_t port);
  std::uint16_t port() const { return port_; }
  // Starts reading; call once, from any thread (it posts to the meter's context).
  void start();
  // Where to send silence to (from the SDP answer); 0 = nowhere yet. Any thread.
  void set_remote(std::uint16_t port) { remote_port_.store(port, std::memory_order_relaxed); }
  // Sends one 20 ms PCMU silence frame to the remote port, if known. Meter's thread.
  void send_silence();

  // Live, any thread: first and latest arrival in realtime ns (0 = none yet).
  std::atomic<std::int64_t> first_ns{0};
  std::atomic<std::int64_t> last_ns{0};

  // After the threads are joined.
  std::uint64_t packets() const { return packets_; }
  std::uint64_t lost() const;
  std::uint64_t out_of_order() const { return out_of_order_; }
  std::uint64_t foreign() const { return foreign_; }
  std::int64_t max_gap_ns() const { return max_gap_ns_; }

 private:
  void wait_rtp();
  void wait_rtcp();
  void drain_rtp();
  void on_packet(const unsigned char* data, std::size_t size, std::int64_t at_ns);

  boost::asio::ip::udp::socket rtp_;
  boost::asio::ip::udp::socket rtcp_;
  DeviationHistogram& deviation_;
  const std::atomic<std::int64_t>& until_ns_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint16_t> remote_port_{0};

  std::uint64_t packets_ = 0;
  std::uint64_t out_of_order_ = 0;
  std::uint64_t foreign_ = 0;  // packets with another SSRC than the first one
  std::uint32_t ssrc_ = 0;
  std::uint32_t base_seq_ = 0;
  std::uint32_t max_seq_ = 0;  // extended (cycles in the high bits)
  std::int64_t prev_ns_ = 0;
  std::int64_t max_gap_ns_ = 0;
  std::uint16_t send_seq_ = 0;
  std::uint32_t send_ts_ = 0;
};

}  // namespace callwire::bench
