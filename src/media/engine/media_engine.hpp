#pragma once
// The media engine of one worker. It owns that worker's slice of the RTP
// port range, the sessions pinned to the worker, the encoded-prompt cache
// and ONE periodic tick timer that paces every session: each tick asks each
// session's Pacer how many frames are due and sends them. Session pacers
// start on the tick grid, so a frame is due exactly when a tick fires and
// the send deviation is only the timer's wake-up latency plus the work of
// the tick. No per-session timer, no thread per call, no locks: everything
// runs on the worker's io_context. Sockets are non-blocking; receives wait
// for readability and read into one engine-wide buffer, so an idle session
// holds no receive buffer of its own.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "media/engine/errc.hpp"
#include "media/engine/media_session.hpp"
#include "media/engine/prompt_cache.hpp"
#include "media/engine/stats.hpp"
#include "media/rtp/port_allocator.hpp"

namespace callwire::media::engine {

struct EngineConfig {
  std::string bind_address = "0.0.0.0";
  std::string advertised_address;  // what SDP names; empty: bind_address
  std::uint16_t port_first = 10000;
  std::uint16_t port_last = 20000;
  std::chrono::milliseconds tick{10};
  std::chrono::milliseconds rtcp_interval{5000};  // randomised ±50 % per report (RFC 3550 §6.3.1)
  std::string cname = "callwire";
};

// Splits "10000-20000" into `workers` disjoint ranges, each holding whole
// even/odd pairs: the per-worker slices of --rtp-ports.
[[nodiscard]] Result<std::vector<std::pair<std::uint16_t, std::uint16_t>>> split_port_range(std::string_view range,
                                                                                           std::size_t workers);

class MediaEngine {
 public:
  [[nodiscard]] static Result<std::unique_ptr<MediaEngine>> create(boost::asio::io_context& io,
                                                                   const EngineConfig& cfg);
  // Closes every session still open.
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // Binds a new RTP/RTCP pair (skipping pairs another process holds). Call on
  // the engine's worker.
  [[nodiscard]] Result<std::shared_ptr<MediaSession>> create_session();

  const std::string& advertised_address() const { return advertised_; }
  boost::asio::io_context& context() { return io_; }
  PromptCache& prompts() { return prompts_; }
  const EngineConfig& config() const { return cfg_; }
  const EngineStats& stats() const { return stats_; }
  std::size_t sessions() const { return sessions_.size(); }
  std::size_t ports_available() const { return ports_.available(); }

 private:
  friend class MediaSession;
  MediaEngine(boost::asio::io_context& io, const EngineConfig& cfg, rtp::PortAllocator ports);
  void schedule();
  void on_tick();
  void remove(MediaSession* s);
  // The first tick at or after `t`: where new pacers start.
  Clock::time_point grid_at_or_after(Clock::time_point t) const;

  boost::asio::io_context& io_;
  EngineConfig cfg_;
  std::string advertised_;
  boost::asio::ip::address bind_;
  rtp::PortAllocator ports_;
  PromptCache prompts_;
  boost::asio::steady_timer timer_;
  Clock::time_point epoch_;
  std::uint64_t tick_index_ = 0;
  bool ticking_ = false;
  bool removed_during_tick_ = false;
  std::vector<std::shared_ptr<MediaSession>> sessions_;
  EngineStats stats_;
  // Shared scratch: one receive buffer, one send buffer and one PCM buffer
  // for every session of the worker (only one handler runs at a time).
  std::vector<std::uint8_t> rx_;
  std::vector<std::uint8_t> tx_;
  std::vector<std::int16_t> pcm_;
  std::shared_ptr<bool> alive_;
};

}  // namespace callwire::media::engine
