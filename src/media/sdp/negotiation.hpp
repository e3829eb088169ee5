#pragma once
// Offer/answer (RFC 3264) for one audio stream, as a B2BUA endpoint:
// - answer(): we are the UAS answering an INVITE/UPDATE offer;
// - offer() + accept_answer(): an INVITE without SDP (our offer in the 200,
//   the answer in the ACK), or a re-offer of ours;
// - answer_reoffer(): a re-INVITE offer (hold, resume, codec change) on an
//   established stream: same o= session id, version + 1.
// SRTP is SDES (RFC 4568) with AES_CM_128_HMAC_SHA1_80/32. The answer uses
// the offer's payload type numbers; every other m= line is refused (port 0).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "media/sdp/codec.hpp"
#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp {

// Refuse: plain RTP only, SRTP-only offers get 488 (a domain without
// Secure, strict contract). Optional: SRTP when the offer is RTP/SAVP.
// Required: RTP/SAVP with a usable key or 488 (a Secure domain).
enum class SrtpPolicy { Refuse, Optional, Required };

// Fills the span with unpredictable bytes; false on failure.
using RandomBytes = std::function<bool(std::span<std::uint8_t>)>;

struct LocalMedia {
  std::string address;             // our RTP address, IPv4 or IPv6
  std::string address_v6;          // optional IPv6 address, used when the peer's c= is IP6
  std::uint16_t rtp_port = 0;
  std::vector<CodecSpec> codecs = default_codecs();  // our preference order
  Direction direction = Direction::SendRecv;          // SendOnly: we put the peer on hold
  std::optional<std::uint32_t> ptime;                 // the a=ptime we ask for, if any
  bool rtcp_mux = true;                               // offer it, and accept it when offered
  SrtpPolicy srtp = SrtpPolicy::Optional;
  std::vector<CryptoAttribute> crypto;  // our keys; generated where needed when empty
  RandomBytes random;                   // key source; OpenSSL RAND_bytes when empty
  std::string username = "callwire";    // o= username
  std::string session_id;               // o= session id (digits); see new_session_id()
  std::uint64_t session_version = 0;    // o= version; increment on every new offer/answer
  std::string session_name = "callwire";
};

struct Endpoint {
  std::string address;
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

struct TelephoneEvent {  // RFC 4733, with the audio codec's clock rate
  int payload_type = 101;
  std::uint32_t clock_rate = 8000;
  std::string fmtp;
  bool operator==(const TelephoneEvent&) const = default;
};

struct SrtpKeys {
  std::string suite;                    // AES_CM_128_HMAC_SHA1_80 or _32
  std::uint32_t tag = 1;
  std::vector<std::uint8_t> local_key;  // key||salt (30 bytes) we encrypt with
  std::vector<std::uint8_t> remote_key; // key||salt the peer encrypts with
  bool operator==(const SrtpKeys&) const = default;
};

struct Negotiated {
  SessionDescription local;     // our SDP: the answer we send, or (accept_answer) our offer
  std::size_t media_index = 0;  // the m= line carrying the audio
  Codec codec;
  std::optional<TelephoneEvent> telephone_event;
  std::uint32_t ptime = 20;     // the peer's a=ptime, else 20
  std::optional<std::uint32_t> maxptime;
  Direction direction = Direction::SendRecv;  // ours: sends() → send RTP, receives() → expect it
  Endpoint remote_rtp;
  Endpoint remote_rtcp;
  bool rtcp_mux = false;
  bool remote_hold_address = false;  // c=0.0.0.0 / :: (RFC 2543 hold): send nothing
  std::optional<SrtpKeys> srtp;
};

// Answers an offer. Errors (all SIP 488 through sip_status): NoAudioStream,
// NoCommonCodec, SrtpRequired, SrtpNotAllowed, NoCommonCrypto; InvalidLocal (500).
[[nodiscard]] Result<Negotiated> answer(const SessionDescription& offer, const LocalMedia& local);

// Answers a new offer on an established stream: o= keeps the session id of
// previous.local with version + 1, the current codec is kept when still
// offered and our SRTP key is kept when the suite is unchanged.
[[nodiscard]] Result<Negotiated> answer_reoffer(const SessionDescription& offer, const LocalMedia& local,
                                                const Negotiated& previous);

// Our offer: one audio m= line with every codec of local.codecs (static
// payload types where they exist, dynamic from 96 otherwise, one
// telephone-event per clock rate), RTP/SAVP with two keys when SRTP is Required.
[[nodiscard]] Result<SessionDescription> offer(const LocalMedia& local);

// Our new offer on an established stream (hold, resume, refresh): the
// session id of previous.local with version + 1, the codec in use listed
// first, and our SRTP key and tag kept so the stream is not rekeyed.
[[nodiscard]] Result<SessionDescription> reoffer(const LocalMedia& local, const Negotiated& previous);

// The peer's answer to `our_offer` (made by offer() with the same `local`).
// Errors: BadAnswer (m= lines or crypto that do not fit the offer),
// NoCommonCodec (audio refused or nothing we offered).
[[nodiscard]] Result<Negotiated> accept_answer(const SessionDescription& our_offer,
                                               const SessionDescription& answer, const LocalMedia& local);

// A random o= session id (decimal digits).
std::string new_session_id();

}  // namespace callwire::media::sdp
