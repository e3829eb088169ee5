#pragma once
// Counters of one session and of one engine. All are plain integers read on
// the owning worker.
#include <array>
#include <chrono>
#include <cstdint>

namespace callwire::media::engine {

struct SessionStats {
  std::uint64_t packets_sent = 0;
  std::uint64_t bytes_sent = 0;        // whole datagrams (RTP header + payload)
  std::uint64_t packets_received = 0;  // accepted RTP from the latched peer
  std::uint64_t bytes_received = 0;
  std::int64_t lost = 0;               // RFC 3550 cumulative loss
  std::uint32_t jitter_units = 0;      // interarrival jitter, RTP timestamp units
  std::chrono::microseconds jitter{0};
  std::uint64_t frames_skipped = 0;    // overdue frames dropped by the pacer after a stall
  std::uint64_t ignored = 0;           // from another address than the latched one
  std::uint64_t malformed = 0;
  std::uint64_t srtp_failures = 0;     // SRTP/SRTCP that failed authentication or replay checks
  std::uint64_t send_errors = 0;
  std::uint64_t rtcp_sent = 0;
  std::uint64_t rtcp_received = 0;
  std::uint64_t digits = 0;
  // Deviation of each send interval from ptime (send-side pacing quality).
  std::chrono::microseconds send_deviation_max{0};
  std::chrono::microseconds send_deviation_mean{0};
};

// Histogram of send-interval deviations in 100 µs buckets (the last one is
// "20 ms or more"), for percentile figures across every session of an engine.
struct DeviationHistogram {
  static constexpr std::size_t kBuckets = 201;
  std::array<std::uint64_t, kBuckets> counts{};
  std::uint64_t total = 0;
  void add(std::chrono::microseconds d) {
    auto b = static_cast<std::size_t>(d.count() / 100);
    ++counts[b < kBuckets ? b : kBuckets - 1];
    ++total;
  }
  // Upper bound of the bucket holding the p-th percentile (p in 0..100).
  std::chrono::microseconds percentile(double p) const {
    if (total == 0) return std::chrono::microseconds(0);
    auto want = static_cast<std::uint64_t>(static_cast<double>(total) * p / 100.0);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts[i];
      if (seen > want || (seen == total)) return std::chrono::microseconds((i + 1) * 100);
    }
    return std::chrono::microseconds(kBuckets * 100);
  }
};

struct EngineStats {
  std::uint64_t sessions_created = 0;
  std::uint64_t sessions_active = 0;
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t ports_exhausted = 0;
  std::uint64_t ticks = 0;
  std::uint64_t late_ticks = 0;        // ticks that ran more than one tick period late
  std::chrono::microseconds max_tick_work{0};  // longest time spent in one tick
  DeviationHistogram send_deviation;
};

}  // namespace callwire::media::engine
