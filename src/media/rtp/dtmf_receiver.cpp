#include "media/rtp/dtmf_receiver.hpp"

namespace callwire::media::rtp {

std::optional<DtmfDigit> DtmfReceiver::on_event(std::uint32_t ssrc, std::uint32_t timestamp,
                                                const TelephoneEvent& e) {
  if (active_ && ssrc == ssrc_) {
    if (timestamp == timestamp_) {
      // Same event: an update or a retransmitted end.
      if (e.duration > duration_) duration_ = e.duration;
      if (e.end) ended_ = true;
      return std::nullopt;
    }
    // Serial-number compare: a packet of an earlier event arriving late.
    if (static_cast<std::int32_t>(timestamp - timestamp_) < 0) return std::nullopt;
    bool segment = !ended_ && e.event == event_ && timestamp == timestamp_ + duration_;
    timestamp_ = timestamp;
    duration_ = e.duration;
    ended_ = e.end;
    if (segment) return std::nullopt;
  } else {
    active_ = true;
    ssrc_ = ssrc;
    timestamp_ = timestamp;
    duration_ = e.duration;
    ended_ = e.end;
  }
  event_ = e.event;
  auto d = dtmf_digit(e.event);
  if (!d) return std::nullopt;  // non-DTMF events (tones, line events) are not digits
  return DtmfDigit{*d, e.event, timestamp};
}

}  // namespace callwire::media::rtp
