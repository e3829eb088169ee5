#pragma once
// Pieces shared by answer.cpp and offer.cpp.
#include <optional>
#include <string>
#include <vector>

#include "media/sdp/negotiation.hpp"

namespace callwire::media::sdp::detail {

enum class Transport { Plain, Sdes, Other };
// RTP/AVP(F) is plain, RTP/SAVP(F) is SDES-keyed; DTLS (UDP/TLS/...) and the rest are not ours.
Transport transport_of(std::string_view protocol);

// Checks address/port/codecs; the error is InvalidLocal.
Status check_local(const LocalMedia& local);
// Our address, IPv6 when the peer uses IP6 and we have one.
const std::string& pick_address(const LocalMedia& local, bool peer_ipv6);
// v= o= s= c= t= of our SDP.
SessionDescription skeleton(const LocalMedia& local, const std::string& address);

// 30 random bytes for an AES_CM_128 key||salt.
Result<std::vector<std::uint8_t>> random_key(const LocalMedia& local);

// Adds rtpmap (and fmtp when non-empty) for one format to m.
void add_format(MediaDescription& m, int pt, const std::string& name, std::uint32_t clock, std::uint32_t channels,
                const std::string& fmtp);

// The telephone-event format of m with this clock rate.
std::optional<TelephoneEvent> find_telephone_event(const MediaDescription& m, std::uint32_t clock_rate);

// The peer's direction for m, with c=0.0.0.0 (RFC 2543 hold) meaning "do not send to me".
Direction peer_direction(const SessionDescription& peer, const MediaDescription& m);
bool is_hold_address(const SessionDescription& peer, const MediaDescription& m);

// remote_rtp / remote_rtcp / remote_hold_address / ptime / maxptime from the peer's m.
void take_remote(const SessionDescription& peer, const MediaDescription& m, bool mux, Negotiated& n);

}  // namespace callwire::media::sdp::detail
