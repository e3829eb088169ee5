#pragma once
// Pure decisions of a re-INVITE or UPDATE on an answered call, kept apart
// from InboundCall so they are tested without a network:
// - the o= version rule of RFC 3264 §8 (the version moves only when our
//   SDP changes, so a session refresh is answered with the same version);
// - what a new negotiation changes in the running media (hold, resume, new
//   address, codec change, new SRTP key).
#include <string>

#include "media/sdp/negotiation.hpp"
#include "media/sdp/session_description.hpp"

namespace callwire::calls {

// `next` was made from `previous` with version + 1 (answer_reoffer,
// reoffer). When it says the same thing as `previous` apart from the o=
// version, it takes previous's version back (RFC 3264 §8: a repeated SDP
// keeps its version). Returns true when the SDP changed.
bool settle_version(const media::sdp::SessionDescription& previous, media::sdp::SessionDescription& next);

struct MediaChange {
  bool codec = false;        // encoding, clock, payload type or ptime
  bool address = false;      // where RTP or RTCP goes
  bool hold = false;         // we stop sending (peer sendonly/inactive, c=0.0.0.0)
  bool resume = false;       // we send again
  bool receive = false;      // whether we expect RTP changed
  bool telephone_event = false;
  bool keys = false;         // SRTP on/off or a new key
  bool any() const { return codec || address || hold || resume || receive || telephone_event || keys; }
};

// What moving from `before` to `after` changes in the media session.
MediaChange media_change(const media::sdp::Negotiated& before, const media::sdp::Negotiated& after);
// "hold, codec PCMU→PCMA" for logs; "none" when nothing changes.
std::string describe(const MediaChange& c, const media::sdp::Negotiated& before, const media::sdp::Negotiated& after);

}  // namespace callwire::calls
