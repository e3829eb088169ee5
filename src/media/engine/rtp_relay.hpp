#pragma once
// The header side of relaying one direction of a bridged call: received RTP
// (SSRC, timestamp) in, the outgoing session's header out. Pure: the caller
// passes each packet's arrival time, so tests drive it without sockets.
//
// - SSRC: always the outgoing session's.
// - Sequence numbers: the outgoing session's own, continuing from the last
//   one its Player sent and advancing by one per packet actually sent (as a
//   B2BUA's media stack does), so the far end sees one unbroken stream
//   whatever happens upstream and SRTP's rollover counter stays in step.
// - Timestamps: incoming timestamp mapped onto the outgoing timeline (scaled
//   by out_clock / in_clock), so the sender's relative timing (gaps, jitter,
//   reordering) is kept. The first packet, a new incoming SSRC, or a
//   timestamp that moved more than `max_skew` away from what the arrival
//   time predicts re-anchors the mapping: the outgoing timestamp continues
//   from the last one sent plus the time elapsed since (at least one frame),
//   and the packet carries the marker bit.
#include <chrono>
#include <cstdint>
#include <span>

#include "core/timers.hpp"

namespace callwire::media::engine {

struct RelayStart {
  std::uint32_t ssrc = 0;
  std::uint16_t seq = 0;        // of the next packet
  std::uint32_t timestamp = 0;  // of the next frame
  // When `timestamp` is due: the first packet's timestamp adds the time
  // elapsed since. Default (epoch): the first packet takes `timestamp` itself.
  Clock::time_point at{};
};

struct RelayConfig {
  std::uint32_t in_clock = 8000;   // RTP clock of the received stream
  std::uint32_t out_clock = 8000;  // RTP clock of the sent stream
  std::uint32_t frame_units = 160; // outgoing timestamp units of one frame (minimum step on re-anchor)
  std::chrono::milliseconds max_skew{1000};
};

class RtpRelay {
 public:
  RtpRelay(const RelayConfig& cfg, const RelayStart& start);

  struct Mapped {
    std::uint32_t timestamp = 0;  // on the outgoing timeline
    bool reanchored = false;      // starts a new run: set the marker bit
  };
  // Maps a received packet's timestamp. Events (RFC 4733: every packet of a
  // key press carries its start timestamp) use the current mapping and never
  // move the skew reference; only a new SSRC or a first packet re-anchors them.
  Mapped map(std::uint32_t in_ssrc, std::uint32_t in_ts, Clock::time_point now, bool event = false);

  // The next outgoing sequence number; call once per packet sent, with its
  // outgoing timestamp (kept for resume()).
  std::uint16_t take_seq(std::uint32_t out_ts, Clock::time_point now);

  // Where the outgoing session's own stream continues after the bridge:
  // the next sequence number and the last timestamp sent plus the time
  // elapsed since (at least one frame). When nothing was sent: the start
  // values, the timestamp moved on by the time since start.at.
  RelayStart resume(Clock::time_point now) const;

  // Writes the 12-byte header (no CSRC, no extension: those belong to the
  // other leg) and copies `payload` after it; returns the size, 0 if `out`
  // is too small. Takes the next sequence number.
  std::size_t write(std::uint8_t payload_type, bool marker, std::uint32_t out_ts,
                    std::span<const std::uint8_t> payload, std::span<std::uint8_t> out, Clock::time_point now);

  std::uint32_t ssrc() const { return start_.ssrc; }
  std::uint64_t sent() const { return sent_; }
  bool anchored() const { return anchored_; }

 private:
  std::uint32_t to_out_units(Clock::duration d) const;
  void anchor(std::uint32_t in_ssrc, std::uint32_t in_ts, Clock::time_point now);

  RelayConfig cfg_;
  RelayStart start_;
  std::uint16_t next_seq_;
  std::uint64_t sent_ = 0;
  std::uint32_t last_out_ts_ = 0;
  Clock::time_point last_out_at_{};
  // Mapping: out = anchor_out_ + (in - anchor_in_) · out_clock / in_clock,
  // rebased on every newer packet so the scaled difference stays small.
  bool anchored_ = false;
  std::uint32_t in_ssrc_ = 0;
  std::uint32_t anchor_in_ = 0;
  std::uint32_t anchor_out_ = 0;
  // Skew reference: the newest audio packet's timestamp and arrival time.
  std::uint32_t ref_in_ts_ = 0;
  Clock::time_point ref_at_{};
};

}  // namespace callwire::media::engine
