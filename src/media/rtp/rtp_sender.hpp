#pragma once
// Per-stream sending state (RFC 3550 §5.1, §6.4.1): SSRC, sequence number
// and timestamp (random starts), the timestamp step per frame, the marker
// bit at the start of each talkspurt, and the counts an SR reports.
//
// One frame = ptime of media. The engine calls write_frame for each frame it
// sends and skip_frames for frames it does not (silence suppression, a
// stall): the timestamp keeps advancing at the media clock, and the next
// packet sent carries the marker bit (RFC 3551 §4.1).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.hpp"
#include "core/timers.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "media/rtp/telephone_event.hpp"

namespace callwire::media::rtp {

struct RtpSenderConfig {
  std::uint8_t payload_type = 0;       // PCMU
  std::uint32_t clock_rate = 8000;     // RTP clock of that payload type
  std::chrono::milliseconds ptime{20};
};

struct RtpSenderStart {
  std::uint32_t ssrc = 0;
  std::uint16_t seq = 0;
  std::uint32_t timestamp = 0;
};

class RtpSender {
 public:
  // Random SSRC, first sequence number and timestamp.
  explicit RtpSender(const RtpSenderConfig& cfg);
  // Fixed starting values, for tests and for keeping an SSRC across a re-INVITE.
  RtpSender(const RtpSenderConfig& cfg, const RtpSenderStart& start);

  // Header + payload of the next frame into `out`; advances seq and timestamp.
  [[nodiscard]] Result<std::size_t> write_frame(std::span<const std::uint8_t> payload, std::span<std::uint8_t> out,
                                                Clock::time_point now);
  // `n` frames not sent: the timestamp moves on, the next frame is marked.
  void skip_frames(std::uint32_t n);
  // The next frame starts a talkspurt (marker bit), e.g. after a source change.
  void mark_talkspurt() { marker_next_ = true; }

  // One RFC 4733 packet with the telephone-event payload type. All packets of
  // an event use `event_timestamp` (take next_timestamp() when it starts);
  // only the sequence number advances.
  [[nodiscard]] Result<std::size_t> write_event(std::uint8_t payload_type, std::uint32_t event_timestamp,
                                                const DtmfPacket& packet, std::span<std::uint8_t> out,
                                                Clock::time_point now);

  // SR sender info: the RTP timestamp matching `wall`, extrapolated from
  // the last frame sent at monotonic `now` (§6.4.1).
  SenderInfo sender_info(std::chrono::system_clock::time_point wall, Clock::time_point now) const;

  std::uint32_t ssrc() const { return ssrc_; }
  std::uint16_t next_seq() const { return seq_; }
  std::uint32_t next_timestamp() const { return timestamp_; }
  std::uint32_t samples_per_frame() const { return samples_per_frame_; }
  std::uint32_t packet_count() const { return packets_; }
  std::uint32_t octet_count() const { return octets_; }
  // True once a packet went out since the last call (decides SR vs RR).
  bool take_sent_since_report();
  const RtpSenderConfig& config() const { return cfg_; }

 private:
  void count(std::size_t payload, Clock::time_point now, std::uint32_t ts);

  RtpSenderConfig cfg_;
  std::uint32_t samples_per_frame_ = 0;
  std::uint32_t ssrc_ = 0;
  std::uint16_t seq_ = 0;
  std::uint32_t timestamp_ = 0;  // of the next frame
  bool marker_next_ = true;      // the first packet starts a talkspurt
  std::uint32_t packets_ = 0;
  std::uint32_t octets_ = 0;
  bool sent_since_report_ = false;
  bool have_last_ = false;
  std::uint32_t last_ts_ = 0;          // timestamp of the last media frame sent
  Clock::time_point last_sent_{};      // when it was sent
};

}  // namespace callwire::media::rtp
