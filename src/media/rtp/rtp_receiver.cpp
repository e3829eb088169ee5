#include "media/rtp/rtp_receiver.hpp"

#include <algorithm>

namespace callwire::media::rtp {

namespace {
constexpr std::uint32_t kSeqMod = 1u << 16;
constexpr std::uint32_t kMaxTransitStep = 1u << 27;
}

RtpReceiver::RtpReceiver(std::uint32_t clock_rate) : clock_rate_(clock_rate) {}

// A.1, as printed in the RFC.
void RtpReceiver::init_seq(std::uint16_t seq) {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;  // so seq == bad_seq is false
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
}

bool RtpReceiver::update_seq(std::uint16_t seq) {
  std::uint16_t udelta = static_cast<std::uint16_t>(seq - max_seq_);
  if (probation_ > 0) {
    if (seq == static_cast<std::uint16_t>(max_seq_ + 1)) {
      --probation_;
      max_seq_ = seq;
      if (probation_ == 0) {
        init_seq(seq);
        ++received_;
        return true;
      }
    } else {
      probation_ = kMinSequential - 1;
      max_seq_ = seq;
    }
    return false;
  }
  if (udelta < kMaxDropout) {
    if (seq < max_seq_) cycles_ += kSeqMod;  // wrapped
    max_seq_ = seq;
  } else if (udelta <= kSeqMod - kMaxMisorder) {
    // A very large jump: accept only if the next packet follows it (the
    // sender restarted without telling us), then re-sync.
    if (seq == bad_seq_) {
      init_seq(seq);
    } else {
      bad_seq_ = (seq + 1u) & (kSeqMod - 1);
      return false;
    }
  }
  // else: duplicate or reordered packet, counted but not a new maximum.
  ++received_;
  return true;
}

std::uint32_t RtpReceiver::to_rtp_units(Clock::time_point t) const {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t - epoch_).count();
  if (ns < 0) ns = 0;
  auto n = static_cast<std::uint64_t>(ns);
  std::uint64_t secs = n / 1'000'000'000, rem = n % 1'000'000'000;
  return static_cast<std::uint32_t>(secs * clock_rate_ + rem * clock_rate_ / 1'000'000'000);
}

bool RtpReceiver::on_packet(const RtpView& p, Clock::time_point arrival) {
  if (!has_source_ || p.ssrc != ssrc_) {
    has_source_ = true;
    ssrc_ = p.ssrc;
    init_seq(p.seq);
    max_seq_ = static_cast<std::uint16_t>(p.seq - 1);
    probation_ = kMinSequential;
    jitter_ = 0;
    have_transit_ = false;
    have_sr_ = false;
    epoch_ = arrival;
  }
  if (!update_seq(p.seq)) return false;

  // A.8: transit = arrival - timestamp (both in timestamp units); the
  // difference of consecutive transits drives J += (|D| - J) / 16.
  if (have_transit_ && p.timestamp == last_timestamp_) return true;
  // Modulo 2^32 throughout: timestamps wrap and start anywhere.
  std::uint32_t transit = to_rtp_units(arrival) - p.timestamp;
  if (have_transit_) {
    auto d = static_cast<std::int32_t>(transit - transit_);
    auto ad = static_cast<std::uint32_t>(d < 0 ? -static_cast<std::int64_t>(d) : d);
    // A timestamp jump (source restarted under the same SSRC) is one big
    // sample, bounded so J·16 stays within 32 bits.
    if (ad > kMaxTransitStep) ad = kMaxTransitStep;
    jitter_ += ad - ((jitter_ + 8) >> 4);
  }
  transit_ = transit;
  have_transit_ = true;
  last_timestamp_ = p.timestamp;
  return true;
}

void RtpReceiver::on_sender_report(const NtpTime& ntp, Clock::time_point arrival) {
  have_sr_ = true;
  lsr_ = ntp.middle32();
  sr_arrival_ = arrival;
}

std::uint32_t RtpReceiver::expected() const {
  if (!valid()) return 0;
  return extended_highest_seq() - base_seq_ + 1;
}

std::int32_t RtpReceiver::cumulative_lost() const {
  auto lost = static_cast<std::int64_t>(expected()) - received_;
  if (lost > 0x7fffff) lost = 0x7fffff;
  if (lost < -0x800000) lost = -0x800000;
  return static_cast<std::int32_t>(lost);
}

ReportBlock RtpReceiver::report_block(Clock::time_point now) {
  ReportBlock b;
  b.ssrc = ssrc_;
  if (!valid()) return b;
  b.highest_seq = extended_highest_seq();
  b.cumulative_lost = cumulative_lost();
  // A.3: loss over the interval since the last report.
  std::uint32_t exp = expected();
  std::uint32_t expected_interval = exp - expected_prior_;
  std::uint32_t received_interval = received_ - received_prior_;
  expected_prior_ = exp;
  received_prior_ = received_;
  auto lost_interval = static_cast<std::int64_t>(expected_interval) - received_interval;
  if (expected_interval != 0 && lost_interval > 0)
    b.fraction_lost = static_cast<std::uint8_t>(std::min<std::int64_t>((lost_interval << 8) / expected_interval, 255));
  b.jitter = jitter();
  if (have_sr_) {
    b.lsr = lsr_;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - sr_arrival_).count();
    if (us > 0) b.dlsr = static_cast<std::uint32_t>(static_cast<std::uint64_t>(us) * 65536 / 1'000'000);
  }
  return b;
}

}  // namespace callwire::media::rtp
