#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp {

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

Direction reverse(Direction d) {
  switch (d) {
    case Direction::SendOnly: return Direction::RecvOnly;
    case Direction::RecvOnly: return Direction::SendOnly;
    default: return d;
  }
}

Direction intersect(Direction a, Direction b) {
  bool s = sends(a) && sends(b);
  bool r = receives(a) && receives(b);
  if (s && r) return Direction::SendRecv;
  if (s) return Direction::SendOnly;
  if (r) return Direction::RecvOnly;
  return Direction::Inactive;
}

const RtpMap* MediaDescription::rtpmap(int payload_type) const {
  for (const auto& r : rtpmaps) {
    if (r.payload_type == payload_type) return &r;
  }
  return nullptr;
}

const Fmtp* MediaDescription::fmtp(std::string_view format) const {
  for (const auto& f : fmtps) {
    if (f.format == format) return &f;
  }
  return nullptr;
}

const Connection* SessionDescription::connection_for(const MediaDescription& m) const {
  if (m.connection) return &*m.connection;
  if (connection) return &*connection;
  return nullptr;
}

Direction SessionDescription::direction_for(const MediaDescription& m) const {
  if (m.direction) return *m.direction;
  if (direction) return *direction;
  return Direction::SendRecv;
}

}  // namespace callwire::media::sdp
