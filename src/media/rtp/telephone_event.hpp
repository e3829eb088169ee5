#pragma once
// RFC 4733 telephone-event payloads (§2.3) and the packet train a sender
// emits for one DTMF digit (§2.5.1): every packet carries the event's start
// timestamp, the first has the marker bit, updates report the growing
// duration, and the final packet (E bit) is sent three times.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/result.hpp"
#include "media/rtp/errc.hpp"

namespace callwire::media::rtp {

inline constexpr std::size_t kTelephoneEventSize = 4;

struct TelephoneEvent {
  std::uint8_t event = 0;      // 0-9, 10 '*', 11 '#', 12-15 'A'-'D' (DTMF range)
  bool end = false;
  std::uint8_t volume = 0;     // 0..63, in -dBm0
  std::uint16_t duration = 0;  // timestamp units since the event's start
  friend bool operator==(const TelephoneEvent&, const TelephoneEvent&) = default;
};

// Reads the first 4-octet event block; extra octets are ignored.
[[nodiscard]] Result<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload);
std::array<std::uint8_t, kTelephoneEventSize> encode_telephone_event(const TelephoneEvent& e);

// '0'-'9', '*', '#', 'A'-'D' (lower case accepted) ↔ event codes 0-15.
std::optional<std::uint8_t> dtmf_event_code(char digit);
std::optional<char> dtmf_digit(std::uint8_t event);

struct DtmfSendConfig {
  std::uint32_t clock_rate = 8000;             // of the telephone-event payload type
  std::chrono::milliseconds interval{50};      // between packets
  std::chrono::milliseconds duration{100};     // tone length
  std::uint8_t volume = 10;
  unsigned end_packets = 3;                    // copies of the final packet
};

struct DtmfPacket {
  std::array<std::uint8_t, kTelephoneEventSize> payload{};
  TelephoneEvent event;
  bool marker = false;              // first packet of the event only
  std::chrono::milliseconds offset{0};  // when to send, after the event start
};

// The whole packet train of one digit, computed on demand: packet i of
// size(). The RTP timestamp of every packet is the one at the event start;
// each packet takes the next sequence number. Durations above 65535
// timestamp units are clamped (long events are not segmented).
class DtmfSequence {
 public:
  [[nodiscard]] static Result<DtmfSequence> make(char digit, const DtmfSendConfig& cfg = {});

  std::size_t size() const { return updates_ + end_packets_; }
  DtmfPacket packet(std::size_t i) const;  // i < size()
  std::uint16_t total_duration() const { return total_; }  // timestamp units
  std::uint8_t event() const { return event_; }

 private:
  DtmfSequence() = default;
  std::uint8_t event_ = 0;
  std::uint8_t volume_ = 0;
  std::uint16_t total_ = 0;     // tone length in timestamp units
  std::uint32_t step_ = 0;      // packet interval in timestamp units
  std::chrono::milliseconds interval_{0};
  std::size_t updates_ = 0;     // packets before the first end packet
  std::size_t end_packets_ = 0;
};

}  // namespace callwire::media::rtp
