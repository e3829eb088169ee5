#include "calls/media_update.hpp"

namespace callwire::calls {

namespace {

bool we_send(const media::sdp::Negotiated& n) { return media::sdp::sends(n.direction) && !n.remote_hold_address; }

}  // namespace

bool settle_version(const media::sdp::SessionDescription& previous, media::sdp::SessionDescription& next) {
  auto same = next;
  same.origin.session_version = previous.origin.session_version;
  if (same == previous) {
    next.origin.session_version = previous.origin.session_version;
    return false;
  }
  return true;
}

MediaChange media_change(const media::sdp::Negotiated& before, const media::sdp::Negotiated& after) {
  MediaChange c;
  const auto& a = before.codec;
  const auto& b = after.codec;
  c.codec = a.name != b.name || a.clock_rate != b.clock_rate || a.channels != b.channels || a.fmtp != b.fmtp ||
            a.payload_type != b.payload_type || before.ptime != after.ptime;
  c.address = before.remote_rtp != after.remote_rtp || before.remote_rtcp != after.remote_rtcp ||
              before.rtcp_mux != after.rtcp_mux;
  c.hold = we_send(before) && !we_send(after);
  c.resume = !we_send(before) && we_send(after);
  c.receive = media::sdp::receives(before.direction) != media::sdp::receives(after.direction);
  c.telephone_event = before.telephone_event != after.telephone_event;
  c.keys = before.srtp != after.srtp;
  return c;
}

std::string describe(const MediaChange& c, const media::sdp::Negotiated& before, const media::sdp::Negotiated& after) {
  std::string out;
  auto add = [&](std::string what) {
    if (!out.empty()) out += ", ";
    out += what;
  };
  if (c.hold) add(after.remote_hold_address ? "hold (c=0.0.0.0)" : "hold");
  if (c.resume) add("resume");
  if (c.receive) add(media::sdp::receives(after.direction) ? "receive on" : "receive off");
  if (c.address) add("remote " + after.remote_rtp.address + ":" + std::to_string(after.remote_rtp.port));
  if (c.codec) {
    add("codec " + before.codec.name + "/" + std::to_string(before.ptime) + "ms → " + after.codec.name + "/" +
        std::to_string(after.ptime) + "ms");
  }
  if (c.telephone_event) add(after.telephone_event ? "telephone-event on" : "telephone-event off");
  if (c.keys) add(after.srtp ? "SRTP key" : "SRTP off");
  return out.empty() ? "none" : out;
}

}  // namespace callwire::calls
