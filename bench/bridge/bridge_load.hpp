#pragma once
// The bridge load generator plays both ends of N calls that callwire bridges
// with <Dial>:
// - the caller PBX: INVITE (PCMU offer) to `callwire serve` at a bounded
//   rate, ACK, hold, BYE;
// - the carrier behind the outbound trunk: a UAS on its own UDP port that
//   answers callwire's INVITEs 200 with a PCMU SDP, takes the ACK, and
//   answers callwire's BYE.
// Every leg (2 per call) sends a PCMU frame every 20 ms on a fixed 1 ms grid
// (absolute deadlines: late wake-ups never drift); the legs are spread over
// the 20 phases of the grid and share a few sockets (rtp_sockets.hpp). What
// each leg receives is the other leg's stream relayed by callwire: one-way
// latency per packet (stream_leg.hpp), loss, gaps.
//
// With --rtpengine-ng PORT the same calls go through rtpengine instead (the
// peer `make bench` compares callwire with): no SIP; each call is an ng
// offer with the caller leg's SDP, an answer with the carrier leg's, and a
// delete at the end (ng_control.hpp); the streams, pacing and measurement
// are the same.
//
// One thread, one epoll set, no Asio: at 2,000 calls the generator sends
// and receives 200,000 packets a second, so its own cost matters.
//
// Stdout: `event hold-start <answered> <failed>`, `event hold-end`, and at
// the end `result {json}` (see summary()).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "../media/sip_text.hpp"
#include "rtp_sockets.hpp"
#include "stream_leg.hpp"

namespace callwire::bench {

struct BridgeConfig {
  std::uint16_t server_port = 5060;   // callwire on 127.0.0.1
  std::uint16_t carrier_port = 0;     // our UAS (the trunk's TerminationUri)
  std::string domain;                 // sip:test@<domain>
  std::size_t calls = 100;
  double rate = 100;      // new calls per second
  double bye_rate = 500;  // BYEs per second at the end
  int hold_seconds = 60;
  std::uint16_t rtp_first = 2000;  // local RTP/RTCP pairs; below the ephemeral range
  std::uint16_t rtp_last = 16383;
  bool fail_fast = true;
  int max_seconds = 300;
  std::uint16_t ng_port = 0;     // rtpengine's ng control port on 127.0.0.1; 0: callwire over SIP
  std::size_t rtp_sockets = 16;  // shared RTP/RTCP socket pairs
};

enum class LegFailure : std::uint8_t { None, Status, Timeout, NoMedia, Gap, ServerBye };

inline constexpr std::int64_t kMaxGapNs = 1'000'000'000;  // a gap over 1 s: the call failed

class BridgeLoad {
 public:
  explicit BridgeLoad(BridgeConfig cfg);
  ~BridgeLoad();
  bool open();         // false (message on stderr) when a socket cannot be bound
  std::string run();   // runs to the end; returns the result JSON

 private:
  enum class Phase : std::uint8_t { Idle, Inviting, Proceeding, Answered, Ending, Ended };
  enum class Stage : std::uint8_t { Ramp, Settle, Hold, Teardown, Done };
  struct Caller {  // legs_[i]
    Phase phase = Phase::Idle;
    LegFailure failure = LegFailure::None;
    std::uint8_t tries = 0;
    int status = 0;
    std::int64_t first_sent = 0, sent = 0, answered = 0;
    std::string to, target;
    std::uint32_t carrier = 0;  // ng mode: the carrier leg (carriers_ index) of this call
  };
  struct Carrier {  // legs_[calls + k]
    Phase phase = Phase::Idle;  // Answered = 200 sent, Ended = BYE received
    LegFailure failure = LegFailure::None;
    bool acked = false;
    std::uint8_t tries = 0;
    std::int64_t answered = 0, sent = 0;
    std::string call_id, response;
  };

  void loop_once(int timeout_ms);
  void drain_media();
  void read_sip(int fd, bool carrier_side);
  void set_remote(std::size_t leg, std::uint16_t port);
  // bridge_load_ng.cpp: the calls through rtpengine.
  void ng_send(std::size_t i, char command);
  void read_ng();
  void on_ng_reply(std::string_view datagram);
  void on_caller_message(std::string_view text);
  void on_carrier_message(std::string_view text, const void* from, unsigned from_len);
  void send_sip(int fd, std::string_view text, const void* to, unsigned to_len);
  void send_to_server(std::string_view text);
  void on_tick(std::uint64_t expirations);
  void housekeeping(std::int64_t now);
  void check_media(std::int64_t now);
  void fail(LegFailure& slot, LegFailure why);
  void enter_hold(std::int64_t now);
  void enter_teardown(std::int64_t now);
  bool bridged(std::size_t i) const;
  std::string branch(std::size_t i, char kind) const;
  std::string summary() const;

  BridgeConfig cfg_;
  Local local_;
  // Two epoll sets: the thread sleeps only on the 1 ms timer and SIP, then
  // takes every RTP socket that became readable meanwhile without sleeping
  // on them. Arrival times are the kernel's, so reading up to 1 ms later
  // changes no figure, and neither side pays a wake-up per packet.
  int epoll_ = -1, timer_ = -1, caller_sip_ = -1, carrier_sip_ = -1, ng_ = -1;
  RtpSockets rtp_;
  std::vector<std::unique_ptr<StreamLeg>> legs_;  // callers, then carriers
  std::vector<StreamLeg*> leg_by_port_;           // the relay's port → the leg it answers
  std::vector<Caller> callers_;
  std::vector<Carrier> carriers_;
  std::unordered_map<std::string, std::size_t> carrier_by_call_id_;
  std::vector<std::vector<std::uint32_t>> phase_groups_;  // 20 groups of leg indices
  LatencyHistogram up_, down_;     // caller → carrier, carrier → caller
  LatencyHistogram send_late_;     // frame sent − its grid time (the generator's own lateness)

  Stage stage_ = Stage::Ramp;
  std::int64_t started_ = 0, stage_at_ = 0, hold_end_ = 0, last_house_ = 0, last_progress_ = 0, last_check_ = 0;
  std::int64_t grid_start_ = 0, offset_ns_ = 0;
  std::int64_t window_from_ = INT64_MAX, window_to_ = INT64_MAX;
  std::uint64_t ticks_ = 0;
  std::size_t placed_ = 0, answered_ = 0, next_carrier_ = 0, bye_cursor_ = 0;
  std::size_t send_errors_ = 0, sip_send_errors_ = 0, bye_timeouts_ = 0, carrier_extra_invites_ = 0;
  std::size_t carrier_from_mismatch_ = 0, carrier_offer_not_pcmu_ = 0, carrier_no_ack_ = 0;
  std::size_t failures_ = 0, unrouted_ = 0, ng_errors_ = 0;
  double hold_seconds_ = 0, ramp_seconds_ = 0;
  bool held_ = false;
};

}  // namespace callwire::bench
