// The SIP side of the bridge load generator: the caller PBX's UAC and the
// carrier's UAS behind callwire's outbound trunk.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>

#include "bridge_load.hpp"
#include "carrier_sip.hpp"

namespace callwire::bench {

namespace {

constexpr std::string_view kCallerId = "+15005550006";  // the trunk's CallerId (bench_bridge.py)

}  // namespace

void BridgeLoad::send_sip(int fd, std::string_view text, const void* to, unsigned to_len) {
  if (::sendto(fd, text.data(), text.size(), MSG_DONTWAIT, static_cast<const sockaddr*>(to), to_len) < 0) {
    ++sip_send_errors_;  // a full buffer: retransmissions cover it
  }
}

void BridgeLoad::set_remote(std::size_t leg, std::uint16_t port) {
  legs_[leg]->set_remote(port);
  if (port != 0) leg_by_port_[port] = legs_[leg].get();
}

void BridgeLoad::send_to_server(std::string_view text) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(cfg_.server_port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  send_sip(caller_sip_, text, &to, sizeof to);
}

void BridgeLoad::read_sip(int fd, bool carrier_side) {
  static std::array<char, 65536> buf;
  for (;;) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    auto n = ::recvfrom(fd, buf.data(), buf.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0) return;
    std::string_view text(buf.data(), static_cast<std::size_t>(n));
    if (carrier_side) on_carrier_message(text, &from, len);
    else on_caller_message(text);
  }
}

void BridgeLoad::on_caller_message(std::string_view text) {
  auto in = parse_incoming(text);
  if (!in) return;
  auto index = call_index(in->call_id, local_.run_id);
  if (!in->is_response) {
    if (in->method != "ACK") send_to_server(ok_response(text));
    if (in->method != "BYE" || !index || *index >= callers_.size()) return;
    Caller& c = callers_[*index];
    if (c.phase == Phase::Answered && stage_ < Stage::Teardown) fail(c.failure, LegFailure::ServerBye);
    c.phase = Phase::Ended;
    set_remote(*index, 0);
    return;
  }
  if (!index || *index >= callers_.size()) return;
  Caller& c = callers_[*index];
  const std::string ruri = "sip:test@" + local_.domain;
  if (in->method == "BYE") {
    if (in->status >= 200 && c.phase == Phase::Ending) c.phase = Phase::Ended;
    return;
  }
  if (in->method != "INVITE") return;
  const bool pending = c.phase == Phase::Inviting || c.phase == Phase::Proceeding;
  if (in->status < 200) {
    if (c.phase == Phase::Inviting) c.phase = Phase::Proceeding;
  } else if (in->status < 300) {
    if (pending) {
      c.to = std::string(in->to);
      c.target = in->contact.empty() ? ruri : std::string(in->contact);
      c.answered = monotonic_ns();
      c.status = in->status;
      c.phase = Phase::Answered;
      set_remote(*index, in->sdp_audio_port);
      ++answered_;
    }
    if (!c.to.empty()) send_to_server(ack(local_, *index, c.target, branch(*index, 'a'), c.to));
  } else {
    if (pending) {
      c.status = in->status;
      c.phase = Phase::Ended;
      fail(c.failure, LegFailure::Status);
    }
    send_to_server(ack(local_, *index, ruri, branch(*index, 'i'), in->to));
  }
}

void BridgeLoad::on_carrier_message(std::string_view text, const void* from, unsigned from_len) {
  auto in = parse_incoming(text);
  if (!in || in->is_response) return;  // we send no requests on this side
  auto it = carrier_by_call_id_.find(std::string(in->call_id));
  if (in->method == "INVITE") {
    if (it != carrier_by_call_id_.end()) {
      Carrier& c = carriers_[it->second];
      if (in->to.find(";tag=") == std::string_view::npos) {
        send_sip(carrier_sip_, c.response, from, from_len);  // a retransmission
      } else {  // a re-INVITE: same SDP again
        const std::size_t leg = cfg_.calls + it->second;
        const std::string contact = "Contact: <sip:carrier@127.0.0.1:" + std::to_string(cfg_.carrier_port) + ">\r\n";
        send_sip(carrier_sip_,
                 carrier_response(text, 200, "OK", {}, contact, carrier_sdp(static_cast<std::uint32_t>(leg), legs_[leg]->port())),
                 from, from_len);
      }
      return;
    }
    if (next_carrier_ >= carriers_.size() || stage_ >= Stage::Teardown) {
      ++carrier_extra_invites_;
      send_sip(carrier_sip_, carrier_response(text, 503, "Service Unavailable", "busy"), from, from_len);
      return;
    }
    const std::size_t k = next_carrier_++;
    const std::size_t leg = cfg_.calls + k;
    Carrier& c = carriers_[k];
    c.call_id = std::string(in->call_id);
    carrier_by_call_id_.emplace(c.call_id, k);
    if (header(text, "From", "f").find(kCallerId) == std::string_view::npos) ++carrier_from_mismatch_;
    if (first_offered_payload(text) != 0) ++carrier_offer_not_pcmu_;
    const std::string contact = "Contact: <sip:carrier@127.0.0.1:" + std::to_string(cfg_.carrier_port) + ">\r\n";
    c.response = carrier_response(text, 200, "OK", "cr" + std::to_string(k), contact,
                                  carrier_sdp(static_cast<std::uint32_t>(leg), legs_[leg]->port()));
    c.phase = Phase::Answered;
    c.answered = c.sent = monotonic_ns();
    set_remote(leg, in->sdp_audio_port);
    send_sip(carrier_sip_, c.response, from, from_len);
    return;
  }
  if (in->method == "ACK") {
    if (it != carrier_by_call_id_.end()) carriers_[it->second].acked = true;
    return;
  }
  send_sip(carrier_sip_, carrier_response(text, 200, "OK", {}), from, from_len);
  if (in->method != "BYE" || it == carrier_by_call_id_.end()) return;
  Carrier& c = carriers_[it->second];
  if (c.phase == Phase::Answered && stage_ < Stage::Teardown) fail(c.failure, LegFailure::ServerBye);
  c.phase = Phase::Ended;
  set_remote(cfg_.calls + it->second, 0);
}

}  // namespace callwire::bench
