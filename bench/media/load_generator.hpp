#pragma once
// The media load generator: places N calls over UDP to `callwire serve`
// (INVITE with a PCMU offer, ACK of the 200), at a bounded rate, holds them,
// then BYEs them all, while an RtpMeter per call measures the audio callwire
// sends. SIP runs on thread 0; the meters are spread over `threads`
// io_contexts (thread 0 included).
//
// Stdout gets one line per stage change, read by bench_media.py to sample
// /proc at the right moments:
//   event hold-start <answered> <failed>
//   event hold-end
// and at the end `result {json}` (see summary()).
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rtp_meter.hpp"
#include "sip_text.hpp"

namespace callwire::bench {

struct LoadConfig {
  std::uint16_t server_port = 5060;  // callwire on 127.0.0.1
  std::string domain;                // sip:test@<domain>
  std::size_t calls = 100;
  double rate = 200;      // new calls per second
  double bye_rate = 500;  // BYEs per second at the end
  int hold_seconds = 60;
  std::uint16_t rtp_first = 2000;  // local RTP/RTCP pairs; below the ephemeral range
  std::uint16_t rtp_last = 16383;
  unsigned threads = 1;
  bool send_rtp = false;   // also send 20 ms of µ-law silence per call every 20 ms
  bool fail_fast = true;   // stop holding at the first failed call
  int max_seconds = 300;   // bound on the whole run
};

enum class Failure : std::uint8_t { None, Status, Timeout, NoRtp, Gap, ServerBye };

class LoadGenerator {
 public:
  explicit LoadGenerator(LoadConfig cfg);
  ~LoadGenerator();
  // False (with a message on stderr) when the sockets cannot be bound.
  bool open();
  // Runs to the end; returns the `result` JSON.
  std::string run();

 private:
  using Steady = std::chrono::steady_clock;
  enum class Phase : std::uint8_t { Idle, Inviting, Proceeding, Answered, Ending, Ended };
  enum class Stage : std::uint8_t { Ramp, Settle, Hold, Teardown, Done };
  struct Call {
    Phase phase = Phase::Idle;
    Failure failure = Failure::None;
    std::uint8_t tries = 0;
    int status = 0;
    Steady::time_point first_sent{}, sent{};
    std::int64_t answered_ns = 0;
    std::string to, target;
    std::unique_ptr<RtpMeter> meter;
  };

  void receive();
  void on_message(std::string_view text);
  void send(const std::string& text);
  void fail(Call& c, Failure why);
  void ramp_tick();
  void housekeeping();
  void retransmit(std::size_t i, Steady::time_point now);
  void check_media(std::int64_t now_ns);
  void enter_hold();
  void enter_teardown();
  void send_rtp_tick(unsigned thread);
  std::string branch(std::size_t i, char kind) const;
  std::string summary() const;

  LoadConfig cfg_;
  Local local_;
  std::vector<std::unique_ptr<boost::asio::io_context>> ios_;
  std::vector<std::unique_ptr<DeviationHistogram>> deviation_;  // one per thread
  std::vector<std::unique_ptr<boost::asio::steady_timer>> send_timers_;
  std::atomic<std::int64_t> until_ns_{0};
  std::vector<Call> calls_;
  std::unique_ptr<boost::asio::ip::udp::socket> sip_;
  std::unique_ptr<boost::asio::steady_timer> ramp_timer_, house_timer_;
  boost::asio::ip::udp::endpoint server_, from_;
  std::vector<char> rx_;

  Stage stage_ = Stage::Ramp;
  Steady::time_point started_{}, stage_at_{}, hold_end_{}, last_progress_{}, last_media_check_{};
  std::size_t placed_ = 0, answered_ = 0, failed_ = 0, bye_cursor_ = 0, send_errors_ = 0;
  std::size_t bye_timeouts_ = 0;
  double hold_seconds_ = 0;
  double ramp_seconds_ = 0;
  bool held_ = false;
};

}  // namespace callwire::bench
