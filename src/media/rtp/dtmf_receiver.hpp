#pragma once
// Turns received RFC 4733 event packets into digits, each exactly once.
//
// An event is identified by its RTP timestamp (§2.5.2.1): every packet of
// one key press carries the same timestamp. The digit is reported on the
// first packet of a new event that arrives, whichever it is, so a lost start
// packet (or lost updates) still yields the digit, and the retransmitted
// end packets and late updates of an event already reported are ignored.
// Packets older than the last event (timestamp behind it) are ignored too.
// A long event split into segments (§2.5.1.3: new timestamp = previous
// timestamp + previous duration, same code, previous not ended) continues
// the same key press. A new SSRC starts afresh.
#include <cstdint>
#include <optional>

#include "media/rtp/telephone_event.hpp"

namespace callwire::media::rtp {

struct DtmfDigit {
  char digit = 0;
  std::uint8_t event = 0;
  std::uint32_t timestamp = 0;  // RTP timestamp of the event start
};

class DtmfReceiver {
 public:
  // `ssrc` and `timestamp` from the RTP header, `e` from its payload.
  std::optional<DtmfDigit> on_event(std::uint32_t ssrc, std::uint32_t timestamp, const TelephoneEvent& e);

  bool in_event() const { return active_ && !ended_; }  // a key is held down

 private:
  bool active_ = false;        // an event has been seen from ssrc_
  std::uint32_t ssrc_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint8_t event_ = 0;
  std::uint16_t duration_ = 0;
  bool ended_ = false;
};

}  // namespace callwire::media::rtp
