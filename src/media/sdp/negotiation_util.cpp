#include "media/sdp/negotiation_util.hpp"

#include <openssl/rand.h>

#include "media/sdp/errc.hpp"

namespace callwire::media::sdp::detail {

Transport transport_of(std::string_view protocol) {
  if (protocol == "RTP/AVP" || protocol == "RTP/AVPF") return Transport::Plain;
  if (protocol == "RTP/SAVP" || protocol == "RTP/SAVPF") return Transport::Sdes;
  return Transport::Other;
}

Status check_local(const LocalMedia& local) {
  if (local.address.empty()) return fail(Errc::InvalidLocal, "no local RTP address");
  if (local.rtp_port == 0) return fail(Errc::InvalidLocal, "no local RTP port");
  bool audio = false;
  for (const auto& c : local.codecs) audio = audio || !is_telephone_event(c.name);
  if (!audio) return fail(Errc::InvalidLocal, "no audio codec configured");
  return {};
}

const std::string& pick_address(const LocalMedia& local, bool peer_ipv6) {
  return peer_ipv6 && !local.address_v6.empty() ? local.address_v6 : local.address;
}

SessionDescription skeleton(const LocalMedia& local, const std::string& address) {
  SessionDescription s;
  std::string type = address.find(':') != std::string::npos ? "IP6" : "IP4";
  s.origin = {local.username, local.session_id.empty() ? "0" : local.session_id, local.session_version, type,
              address};
  s.session_name = local.session_name;
  s.connection = Connection{type, address, ""};
  s.timing.push_back({0, 0});
  return s;
}

Result<std::vector<std::uint8_t>> random_key(const LocalMedia& local) {
  std::vector<std::uint8_t> key(kAesCm128KeySaltBytes);
  bool ok = local.random ? local.random(key)
                         : RAND_bytes(key.data(), static_cast<int>(key.size())) == 1;
  if (!ok) return fail(Errc::InvalidLocal, "no random bytes for an SRTP key");
  return key;
}

void add_format(MediaDescription& m, int pt, const std::string& name, std::uint32_t clock, std::uint32_t channels,
                const std::string& fmtp) {
  m.formats.push_back(std::to_string(pt));
  m.rtpmaps.push_back({pt, name, clock, channels > 1 ? channels : 0});
  if (!fmtp.empty()) m.fmtps.push_back({std::to_string(pt), fmtp});
}

std::optional<TelephoneEvent> find_telephone_event(const MediaDescription& m, std::uint32_t clock_rate) {
  for (const auto& f : m.formats) {
    auto c = resolve_format(m, f);
    if (c && is_telephone_event(c->name) && c->clock_rate == clock_rate) {
      return TelephoneEvent{c->payload_type, c->clock_rate, c->fmtp};
    }
  }
  return std::nullopt;
}

bool is_hold_address(const SessionDescription& peer, const MediaDescription& m) {
  const Connection* c = peer.connection_for(m);
  return c && (c->address == "0.0.0.0" || c->address == "::");
}

Direction peer_direction(const SessionDescription& peer, const MediaDescription& m) {
  Direction d = peer.direction_for(m);
  return is_hold_address(peer, m) ? intersect(d, Direction::SendOnly) : d;
}

void take_remote(const SessionDescription& peer, const MediaDescription& m, bool mux, Negotiated& n) {
  const Connection* c = peer.connection_for(m);
  n.remote_rtp = {c ? c->address : std::string(), m.port};
  n.remote_hold_address = is_hold_address(peer, m);
  n.rtcp_mux = mux;
  if (mux) {
    n.remote_rtcp = n.remote_rtp;
  } else if (m.rtcp) {
    n.remote_rtcp = {m.rtcp->connection ? m.rtcp->connection->address : n.remote_rtp.address, m.rtcp->port};
  } else {
    n.remote_rtcp = {n.remote_rtp.address, static_cast<std::uint16_t>(m.port == 65535 ? 0 : m.port + 1)};
  }
  n.ptime = m.ptime.value_or(20);
  n.maxptime = m.maxptime;
}

}  // namespace callwire::media::sdp::detail
