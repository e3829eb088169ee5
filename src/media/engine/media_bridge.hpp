#pragma once
// The media of a bridged call: two started MediaSessions of one engine (so
// one worker) joined so that RTP received on one goes out of the other at
// once, with no pacing and no jitter buffer.
//
// - Same codec (name and clock rate; payload types may differ): the payload
//   is relayed untouched; only the header is rewritten (RtpRelay): the
//   outgoing session's SSRC, its own sequence numbers continuing from what its
//   Player sent, timestamps mapped by a per-direction offset (re-anchored,
//   with the marker bit, on a new incoming SSRC or a timestamp jump). No
//   decode, no allocation per packet.
// - Different codecs: decode, resample, encode (Transcoder); one packet per
//   received packet when the ptimes match, else PCM is buffered and sent per
//   outgoing ptime.
// - RFC 4733 events go out with the outgoing side's telephone-event payload
//   type (timestamp mapped, duration and end bit untouched). When the
//   outgoing side did not negotiate telephone-event the event is dropped and
//   counted (BridgeStats::events_dropped). The receiving session's digit
//   sinks still see every key.
// - While bridged a session's Player sends nothing (connect() interrupts what
//   was queued; items queued later wait for disconnect()). RTCP goes on and
//   its SR counts the relayed packets. A session whose config().send is false
//   (peer on hold) receives nothing from the bridge. SRTP: each leg
//   unprotects and protects with its own keys. Recording on a bridged
//   session records what that session receives.
// - close() of either session disconnects the bridge; so does destroying
//   the MediaBridge. After disconnect() each session's Player resumes with
//   its sequence numbers and timestamps continuing.
// Everything runs on the engine's worker.
#include <cstdint>
#include <memory>

#include "core/result.hpp"
#include "core/timers.hpp"
#include "media/engine/errc.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace callwire::media::engine {

class MediaSession;

struct BridgeStats {
  std::uint64_t relayed_a_to_b = 0;  // packets sent (audio and events), a → b
  std::uint64_t relayed_b_to_a = 0;
  std::uint64_t transcoded = 0;      // of those, audio packets that went through a codec
  std::uint64_t events_relayed = 0;  // RFC 4733 packets relayed
  std::uint64_t events_dropped = 0;  // RFC 4733 packets for a side without telephone-event
  std::uint64_t held = 0;            // not sent: the outgoing side is on hold (send off)
  std::uint64_t dropped = 0;         // not sent for any other reason (late, undecodable, too big, send error)
};

class MediaBridge {
 public:
  // Fails (engine Errc) when either session is closed (Closed) or not started
  // (NotStarted), both are the same session or belong to different engines
  // (BadArgument), or either is already bridged (Busy). Queued playback on
  // both sessions ends with Interrupted.
  [[nodiscard]] static Result<std::shared_ptr<MediaBridge>> connect(std::shared_ptr<MediaSession> a,
                                                                    std::shared_ptr<MediaSession> b);
  ~MediaBridge();
  MediaBridge(const MediaBridge&) = delete;
  MediaBridge& operator=(const MediaBridge&) = delete;

  // Each session resumes its own sending; idempotent.
  void disconnect();
  bool connected() const { return a_ != nullptr; }
  BridgeStats stats() const { return stats_; }

 private:
  friend class MediaSession;
  struct Direction;
  MediaBridge() = default;
  [[nodiscard]] Status build();
  // From MediaSession::on_rtp: an accepted packet of `from` (audio or event).
  void relay(MediaSession& from, const rtp::RtpView& v, bool event, Clock::time_point now);
  // From MediaSession::reconfigure: a leg's codec, payload types or ptime changed.
  void on_reconfigured();

  std::shared_ptr<MediaSession> a_;
  std::shared_ptr<MediaSession> b_;
  std::unique_ptr<Direction> a_to_b_;
  std::unique_ptr<Direction> b_to_a_;
  BridgeStats stats_;
};

}  // namespace callwire::media::engine
