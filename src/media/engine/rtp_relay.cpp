#include "media/engine/rtp_relay.hpp"

#include <algorithm>

#include "media/rtp/rtp_packet.hpp"

namespace callwire::media::engine {

namespace {

std::int64_t micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

RtpRelay::RtpRelay(const RelayConfig& cfg, const RelayStart& start) : cfg_(cfg), start_(start), next_seq_(start.seq) {
  if (cfg_.in_clock == 0) cfg_.in_clock = 8000;
  if (cfg_.out_clock == 0) cfg_.out_clock = 8000;
}

std::uint32_t RtpRelay::to_out_units(Clock::duration d) const {
  auto us = std::max<std::int64_t>(0, micros(d));
  return static_cast<std::uint32_t>(us * cfg_.out_clock / 1'000'000);
}

void RtpRelay::anchor(std::uint32_t in_ssrc, std::uint32_t in_ts, Clock::time_point now) {
  if (sent_ > 0)
    anchor_out_ = last_out_ts_ + std::max(cfg_.frame_units, to_out_units(now - last_out_at_));
  else
    anchor_out_ = start_.timestamp + (start_.at == Clock::time_point{} ? 0 : to_out_units(now - start_.at));
  anchor_in_ = in_ts;
  in_ssrc_ = in_ssrc;
  ref_in_ts_ = in_ts;
  ref_at_ = now;
  anchored_ = true;
}

RtpRelay::Mapped RtpRelay::map(std::uint32_t in_ssrc, std::uint32_t in_ts, Clock::time_point now, bool event) {
  if (!anchored_ || in_ssrc != in_ssrc_) {
    anchor(in_ssrc, in_ts, now);
    return {anchor_out_, true};
  }
  if (!event) {
    // A jump: the timestamp ran ahead of the arrival time, or went back, by
    // more than max_skew. A network stall (late arrival, small timestamp
    // step) is not one: the sender's timing is still right.
    auto ts_us = std::int64_t{static_cast<std::int32_t>(in_ts - ref_in_ts_)} * 1'000'000 / cfg_.in_clock;
    auto at_us = micros(now - ref_at_);
    auto max_us = micros(cfg_.max_skew);
    if (ts_us - at_us > max_us || ts_us < -max_us) {
      anchor(in_ssrc, in_ts, now);
      return {anchor_out_, true};
    }
  }
  auto d_in = static_cast<std::int32_t>(in_ts - anchor_in_);
  std::uint32_t out = anchor_out_;
  if (cfg_.in_clock == cfg_.out_clock)
    out += static_cast<std::uint32_t>(d_in);
  else
    out += static_cast<std::uint32_t>(std::int64_t{d_in} * cfg_.out_clock / cfg_.in_clock);
  if (!event && d_in > 0) {
    anchor_in_ = in_ts;
    anchor_out_ = out;
  }
  if (!event && static_cast<std::int32_t>(in_ts - ref_in_ts_) > 0) {
    ref_in_ts_ = in_ts;
    ref_at_ = now;
  }
  return {out, false};
}

std::uint16_t RtpRelay::take_seq(std::uint32_t out_ts, Clock::time_point now) {
  // Only newer timestamps move the resume point (event packets repeat their start).
  if (sent_ == 0 || static_cast<std::int32_t>(out_ts - last_out_ts_) > 0) {
    last_out_ts_ = out_ts;
    last_out_at_ = now;
  }
  ++sent_;
  return next_seq_++;
}

RelayStart RtpRelay::resume(Clock::time_point now) const {
  if (sent_ == 0) {
    auto r = start_;
    if (r.at != Clock::time_point{}) r.timestamp += to_out_units(now - r.at);
    r.at = {};
    return r;
  }
  return {start_.ssrc, next_seq_, last_out_ts_ + std::max(cfg_.frame_units, to_out_units(now - last_out_at_))};
}

std::size_t RtpRelay::write(std::uint8_t payload_type, bool marker, std::uint32_t out_ts,
                            std::span<const std::uint8_t> payload, std::span<std::uint8_t> out,
                            Clock::time_point now) {
  if (out.size() < rtp::kRtpHeaderSize + payload.size()) return 0;
  rtp::RtpHeader h{marker, static_cast<std::uint8_t>(payload_type & 0x7F), next_seq_, out_ts, start_.ssrc, {}};
  auto n = rtp::write_rtp(h, payload, out);
  if (!n) return 0;
  (void)take_seq(out_ts, now);
  return *n;
}

}  // namespace callwire::media::engine
