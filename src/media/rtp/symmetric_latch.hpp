#pragma once
// Symmetric RTP (RFC 4961 behaviour, "comedia" latching) for peers behind
// NAT: media is sent to the address packets really come from, not only to
// the one in the SDP. The rule:
//
// 1. Until latched, media goes to the SDP address. The first packet that is
//    acceptable (the caller checked it parses as RTP with a negotiated
//    payload type; if the SDP named an SSRC, it must match) latches its
//    source address and SSRC, and media goes there from then on.
// 2. While latched, packets from any other address are ignored (neither
//    played nor answered), so a stray or injected stream cannot take over a
//    live call.
// 3. Re-latch: if the latched address has sent nothing acceptable for
//    `silence` and another address sends `confirm` acceptable packets in a
//    row (NAT rebinding, a PBX failing over), that address is latched. A
//    packet from the latched address interrupts the candidate.
// Pure decision logic: the caller passes the time of each packet.
#include <chrono>
#include <cstdint>
#include <optional>

#include "core/timers.hpp"
#include "media/rtp/peer_address.hpp"

namespace callwire::media::rtp {

struct LatchConfig {
  std::chrono::milliseconds silence{1000};
  unsigned confirm = 2;
  std::optional<std::uint32_t> expected_ssrc;  // from a=ssrc, if the offer had one
};

class SymmetricLatch {
 public:
  enum class Decision { Accept, Latched, Relatched, Ignore };

  SymmetricLatch(const LatchConfig& cfg, const PeerAddress& signalled);

  // `acceptable`: valid RTP with a negotiated payload type.
  Decision on_packet(const PeerAddress& from, std::uint32_t ssrc, bool acceptable, Clock::time_point now);
  // The SDP address changed (re-INVITE): send there, latch again.
  void reset(const PeerAddress& signalled);

  const PeerAddress& target() const { return target_; }  // where to send media
  bool latched() const { return latched_; }
  std::uint32_t ssrc() const { return ssrc_; }

 private:
  LatchConfig cfg_;
  PeerAddress target_;
  bool latched_ = false;
  std::uint32_t ssrc_ = 0;
  Clock::time_point last_heard_{};
  PeerAddress candidate_;
  unsigned candidate_count_ = 0;
};

}  // namespace callwire::media::rtp
