#pragma once
// Per-source reception statistics for RR report blocks: RFC 3550 A.1
// sequence validation (probation of 2 sequential packets, 16-bit wrap
// counted in cycles, restart after a big jump seen twice in sequence),
// cumulative and fractional loss (A.3), interarrival jitter (A.8) from the
// arrival times given, and LSR/DLSR from the last SR received.
#include <chrono>
#include <cstdint>

#include "core/timers.hpp"
#include "media/rtp/ntp_time.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace callwire::media::rtp {

class RtpReceiver {
 public:
  static constexpr std::uint16_t kMaxDropout = 3000;
  static constexpr std::uint16_t kMaxMisorder = 100;
  static constexpr int kMinSequential = 2;

  // `clock_rate` of the stream's media, for jitter in timestamp units.
  explicit RtpReceiver(std::uint32_t clock_rate);

  // Returns true when the packet is valid for playout (source past
  // probation and the sequence number plausible). A new SSRC restarts the
  // statistics. Packets sharing the previous packet's timestamp (RFC 4733
  // updates) carry no timing and do not move the jitter.
  bool on_packet(const RtpView& p, Clock::time_point arrival);
  // An SR from this source arrived at `arrival`.
  void on_sender_report(const NtpTime& ntp, Clock::time_point arrival);

  // The report block about this source at `now`; fraction lost is counted
  // since the previous call.
  ReportBlock report_block(Clock::time_point now);

  bool has_source() const { return has_source_; }
  bool valid() const { return has_source_ && probation_ == 0; }
  std::uint32_t ssrc() const { return ssrc_; }
  std::uint32_t extended_highest_seq() const { return cycles_ + max_seq_; }
  std::uint32_t expected() const;
  std::uint32_t received() const { return received_; }
  std::int32_t cumulative_lost() const;  // clamped to 24-bit signed
  std::uint32_t jitter() const { return jitter_ >> 4; }  // timestamp units

 private:
  void init_seq(std::uint16_t seq);
  bool update_seq(std::uint16_t seq);
  std::uint32_t to_rtp_units(Clock::time_point t) const;

  std::uint32_t clock_rate_;
  bool has_source_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint16_t max_seq_ = 0;
  std::uint32_t cycles_ = 0;       // shifted count of wraps (× 65536)
  std::uint32_t base_seq_ = 0;
  std::uint32_t bad_seq_ = 0;
  int probation_ = 0;
  std::uint32_t received_ = 0;
  std::uint32_t expected_prior_ = 0;
  std::uint32_t received_prior_ = 0;
  std::uint32_t jitter_ = 0;       // × 16, as in A.8
  bool have_transit_ = false;
  std::uint32_t transit_ = 0;
  std::uint32_t last_timestamp_ = 0;
  Clock::time_point epoch_{};      // arrival clock origin for this source
  bool have_sr_ = false;
  std::uint32_t lsr_ = 0;
  Clock::time_point sr_arrival_{};
};

}  // namespace callwire::media::rtp
