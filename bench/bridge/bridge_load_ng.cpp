// The calls of the bridge load generator through rtpengine (--rtpengine-ng):
// per call an ng offer with the caller leg's SDP (the reply names the port
// the carrier leg sends to), an answer with the carrier leg's SDP (the reply
// names the caller leg's), and a delete at the end. Retransmissions reuse
// the cookie, so rtpengine answers them from its cache.
#include <sys/socket.h>

#include <array>
#include <charconv>

#include "bridge_load.hpp"
#include "carrier_sip.hpp"
#include "ng_control.hpp"

namespace callwire::bench {

void BridgeLoad::ng_send(std::size_t i, char command) {
  const std::string cookie = local_.run_id + "_" + command + std::to_string(i);
  const std::string call_id = "cwb-" + local_.run_id + "-" + std::to_string(i);
  const std::string from_tag = "c" + std::to_string(i);
  std::string body;
  if (command == 'o') {
    const std::string sdp = carrier_sdp(static_cast<std::uint32_t>(i), legs_[i]->port());
    body = bencode_dict({{"command", "offer"}, {"call-id", call_id}, {"from-tag", from_tag}, {"sdp", sdp}});
  } else if (command == 'a') {
    const std::size_t leg = cfg_.calls + callers_[i].carrier;
    const std::string sdp = carrier_sdp(static_cast<std::uint32_t>(leg), legs_[leg]->port());
    const std::string to_tag = "k" + std::to_string(i);
    body = bencode_dict(
        {{"command", "answer"}, {"call-id", call_id}, {"from-tag", from_tag}, {"to-tag", to_tag}, {"sdp", sdp}});
  } else {
    body = bencode_dict({{"command", "delete"}, {"call-id", call_id}, {"from-tag", from_tag}});
  }
  const std::string datagram = cookie + " " + body;
  if (::send(ng_, datagram.data(), datagram.size(), MSG_DONTWAIT) < 0) ++sip_send_errors_;  // retransmitted
}

void BridgeLoad::read_ng() {
  static std::array<char, 65536> buf;
  for (;;) {
    auto n = ::recv(ng_, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n <= 0) return;
    on_ng_reply(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
}

void BridgeLoad::on_ng_reply(std::string_view datagram) {
  auto r = parse_ng_reply(datagram);
  if (!r || !r->cookie.starts_with(local_.run_id + "_") || r->cookie.size() < local_.run_id.size() + 3) return;
  const char command = r->cookie[local_.run_id.size() + 1];
  std::size_t i = 0;
  const auto digits = r->cookie.substr(local_.run_id.size() + 2);
  if (std::from_chars(digits.data(), digits.data() + digits.size(), i).ec != std::errc{} || i >= callers_.size()) {
    return;
  }
  Caller& c = callers_[i];
  const std::int64_t now = monotonic_ns();
  const bool ok = r->result == "ok" && (command == 'd' || r->sdp_audio_port != 0);
  if (!ok) {
    ++ng_errors_;
    std::fprintf(stderr, "bridge-load: ng %c for call %zu: %.*s %.*s\n", command, i, static_cast<int>(r->result.size()),
                 r->result.data(), static_cast<int>(r->error_reason.size()), r->error_reason.data());
    if (command != 'd' && (c.phase == Phase::Inviting || c.phase == Phase::Proceeding)) {
      c.phase = Phase::Ended;
      fail(c.failure, LegFailure::Status);
    }
    return;
  }
  if (command == 'o' && c.phase == Phase::Inviting) {
    // The carrier leg exists once rtpengine has a port for it, like the
    // carrier's INVITE in the SIP run; it sends from then on.
    const std::size_t k = next_carrier_++;
    Carrier& carrier = carriers_[k];
    carrier.phase = Phase::Answered;
    carrier.acked = true;
    carrier.answered = carrier.sent = now;
    c.carrier = static_cast<std::uint32_t>(k);
    set_remote(cfg_.calls + k, r->sdp_audio_port);
    c.phase = Phase::Proceeding;
    c.tries = 0;
    c.sent = now;
    ng_send(i, 'a');
  } else if (command == 'a' && c.phase == Phase::Proceeding) {
    c.phase = Phase::Answered;
    c.answered = now;
    c.status = 200;
    set_remote(i, r->sdp_audio_port);
    ++answered_;
  } else if (command == 'd' && c.phase == Phase::Ending) {
    c.phase = Phase::Ended;
    carriers_[c.carrier].phase = Phase::Ended;
  }
}

}  // namespace callwire::bench
