#include "media/rtp/rtp_sender.hpp"

#include <charconv>
#include <string>

#include "core/random.hpp"

namespace callwire::media::rtp {

namespace {

std::uint32_t random_u32() {
  std::string hex = random_hex(8);
  std::uint32_t v = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), v, 16);
  return v;
}

RtpSenderStart random_start() {
  RtpSenderStart s;
  s.ssrc = random_u32();
  s.seq = static_cast<std::uint16_t>(random_u32());
  s.timestamp = random_u32();
  return s;
}

}  // namespace

RtpSender::RtpSender(const RtpSenderConfig& cfg) : RtpSender(cfg, random_start()) {}

RtpSender::RtpSender(const RtpSenderConfig& cfg, const RtpSenderStart& start)
    : cfg_(cfg),
      samples_per_frame_(static_cast<std::uint32_t>(std::uint64_t{cfg.clock_rate} * cfg.ptime.count() / 1000)),
      ssrc_(start.ssrc),
      seq_(start.seq),
      timestamp_(start.timestamp) {}

void RtpSender::count(std::size_t payload, Clock::time_point now, std::uint32_t ts) {
  ++packets_;
  octets_ += static_cast<std::uint32_t>(payload);
  sent_since_report_ = true;
  have_last_ = true;
  last_ts_ = ts;
  last_sent_ = now;
}

Result<std::size_t> RtpSender::write_frame(std::span<const std::uint8_t> payload, std::span<std::uint8_t> out,
                                           Clock::time_point now) {
  RtpHeader h{marker_next_, cfg_.payload_type, seq_, timestamp_, ssrc_, {}};
  auto n = write_rtp(h, payload, out);
  if (!n) return n;
  count(payload.size(), now, timestamp_);
  marker_next_ = false;
  ++seq_;
  timestamp_ += samples_per_frame_;
  return n;
}

void RtpSender::skip_frames(std::uint32_t n) {
  if (n == 0) return;
  timestamp_ += n * samples_per_frame_;
  marker_next_ = true;
}

Result<std::size_t> RtpSender::write_event(std::uint8_t payload_type, std::uint32_t event_timestamp,
                                           const DtmfPacket& packet, std::span<std::uint8_t> out,
                                           Clock::time_point now) {
  RtpHeader h{packet.marker, payload_type, seq_, event_timestamp, ssrc_, {}};
  auto n = write_rtp(h, packet.payload, out);
  if (!n) return n;
  // The event started at event_timestamp and has lasted `duration` so far.
  count(packet.payload.size(), now, event_timestamp + packet.event.duration);
  ++seq_;
  return n;
}

SenderInfo RtpSender::sender_info(std::chrono::system_clock::time_point wall, Clock::time_point now) const {
  SenderInfo s;
  s.ssrc = ssrc_;
  s.ntp = to_ntp(wall);
  s.packet_count = packets_;
  s.octet_count = octets_;
  if (have_last_) {
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - last_sent_).count();
    if (elapsed < 0) elapsed = 0;
    s.rtp_timestamp = last_ts_ + static_cast<std::uint32_t>(
                                     static_cast<std::uint64_t>(elapsed) * cfg_.clock_rate / 1'000'000);
  } else {
    s.rtp_timestamp = timestamp_;
  }
  return s;
}

bool RtpSender::take_sent_since_report() {
  bool sent = sent_since_report_;
  sent_since_report_ = false;
  return sent;
}

}  // namespace callwire::media::rtp
