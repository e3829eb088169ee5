#include "media/rtp/telephone_event.hpp"

#include <algorithm>

#include "media/rtp/bytes.hpp"

namespace callwire::media::rtp {

Result<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload) {
  if (payload.size() < kTelephoneEventSize) return fail(Errc::BadEvent);
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;
  e.volume = payload[1] & 0x3f;  // R bit ignored
  e.duration = bytes::load16(payload.data() + 2);
  return e;
}

std::array<std::uint8_t, kTelephoneEventSize> encode_telephone_event(const TelephoneEvent& e) {
  std::array<std::uint8_t, kTelephoneEventSize> out{};
  out[0] = e.event;
  out[1] = static_cast<std::uint8_t>((e.end ? 0x80 : 0) | (e.volume & 0x3f));
  bytes::store16(out.data() + 2, e.duration);
  return out;
}

std::optional<std::uint8_t> dtmf_event_code(char d) {
  if (d >= '0' && d <= '9') return static_cast<std::uint8_t>(d - '0');
  if (d == '*') return 10;
  if (d == '#') return 11;
  if (d >= 'A' && d <= 'D') return static_cast<std::uint8_t>(12 + d - 'A');
  if (d >= 'a' && d <= 'd') return static_cast<std::uint8_t>(12 + d - 'a');
  return std::nullopt;
}

std::optional<char> dtmf_digit(std::uint8_t e) {
  static constexpr char digits[] = "0123456789*#ABCD";
  if (e < 16) return digits[e];
  return std::nullopt;
}

Result<DtmfSequence> DtmfSequence::make(char digit, const DtmfSendConfig& cfg) {
  auto code = dtmf_event_code(digit);
  if (!code) return fail(Errc::BadEvent);
  if (cfg.clock_rate == 0 || cfg.interval.count() <= 0 || cfg.duration.count() <= 0 || cfg.end_packets == 0 ||
      cfg.volume > 63)
    return fail(Errc::BadArgument);
  DtmfSequence s;
  s.event_ = *code;
  s.volume_ = cfg.volume;
  s.interval_ = cfg.interval;
  auto units = [&](std::chrono::milliseconds ms) {
    return static_cast<std::uint64_t>(ms.count()) * cfg.clock_rate / 1000;
  };
  s.total_ = static_cast<std::uint16_t>(std::min<std::uint64_t>(units(cfg.duration), 0xffff));
  s.step_ = static_cast<std::uint32_t>(std::max<std::uint64_t>(units(cfg.interval), 1));
  // Packet k reports min((k+1)·step, total); the first reaching total is the
  // first end packet.
  s.updates_ = (s.total_ + s.step_ - 1) / s.step_ - 1;
  if (s.total_ == 0) s.updates_ = 0;
  s.end_packets_ = cfg.end_packets;
  return s;
}

DtmfPacket DtmfSequence::packet(std::size_t i) const {
  DtmfPacket p;
  p.event.event = event_;
  p.event.volume = volume_;
  if (i < updates_) {
    p.event.duration = static_cast<std::uint16_t>((i + 1) * step_);
  } else {
    p.event.end = true;
    p.event.duration = total_;
  }
  p.marker = i == 0;
  p.offset = interval_ * static_cast<std::int64_t>(i);
  p.payload = encode_telephone_event(p.event);
  return p;
}

}  // namespace callwire::media::rtp
