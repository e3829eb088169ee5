#include "media/engine/media_engine.hpp"

#include <algorithm>
#include <charconv>

#include "core/log.hpp"

namespace callwire::media::engine {

namespace asio = boost::asio;

Result<std::vector<std::pair<std::uint16_t, std::uint16_t>>> split_port_range(std::string_view range,
                                                                              std::size_t workers) {
  auto all = rtp::PortAllocator::parse(range);
  if (!all) return std::unexpected(all.error());
  if (workers == 0) return fail(Errc::BadArgument, "no workers");
  auto dash = range.find('-');
  unsigned first = 0;
  std::from_chars(range.data(), range.data() + dash, first);
  first += first % 2;  // first even port
  std::size_t pairs = all->capacity();
  if (pairs < workers) return fail(rtp::Errc::BadPortRange, "fewer RTP port pairs than workers");
  std::vector<std::pair<std::uint16_t, std::uint16_t>> out;
  std::size_t base = pairs / workers, extra = pairs % workers, at = first;
  for (std::size_t i = 0; i < workers; ++i) {
    std::size_t n = base + (i < extra ? 1 : 0);
    out.emplace_back(static_cast<std::uint16_t>(at), static_cast<std::uint16_t>(at + 2 * n - 1));
    at += 2 * n;
  }
  return out;
}

Result<std::unique_ptr<MediaEngine>> MediaEngine::create(asio::io_context& io, const EngineConfig& cfg) {
  auto ports = rtp::PortAllocator::make(cfg.port_first, cfg.port_last);
  if (!ports) return std::unexpected(ports.error());
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(cfg.bind_address, ec);
  if (ec) return fail(Errc::BadArgument, "bad media bind address " + cfg.bind_address);
  if (cfg.tick.count() <= 0) return fail(Errc::BadArgument, "tick must be positive");
  std::unique_ptr<MediaEngine> e(new MediaEngine(io, cfg, std::move(*ports)));
  e->bind_ = addr;
  e->schedule();
  return e;
}

MediaEngine::MediaEngine(asio::io_context& io, const EngineConfig& cfg, rtp::PortAllocator ports)
    : io_(io),
      cfg_(cfg),
      advertised_(cfg.advertised_address.empty() ? cfg.bind_address : cfg.advertised_address),
      ports_(std::move(ports)),
      timer_(io),
      epoch_(Clock::now()),
      rx_(4096),
      tx_(2048),
      pcm_(8192),
      alive_(std::make_shared<bool>(true)) {}

MediaEngine::~MediaEngine() {
  *alive_ = false;
  timer_.cancel();
  auto sessions = std::move(sessions_);
  sessions_.clear();
  for (auto& s : sessions) {
    s->close();
    s->engine_ = nullptr;
  }
}

Clock::time_point MediaEngine::grid_at_or_after(Clock::time_point t) const {
  auto n = (t - epoch_ + cfg_.tick - Clock::duration(1)) / cfg_.tick;
  return epoch_ + cfg_.tick * std::max<std::int64_t>(n, 0);
}

void MediaEngine::schedule() {
  // Absolute deadlines on a fixed grid: a late wake-up never shifts the next one.
  timer_.expires_at(epoch_ + cfg_.tick * static_cast<std::int64_t>(++tick_index_));
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    on_tick();
  });
}

void MediaEngine::on_tick() {
  auto now = Clock::now();
  ++stats_.ticks;
  auto deadline = epoch_ + cfg_.tick * static_cast<std::int64_t>(tick_index_);
  if (now - deadline > cfg_.tick) {
    ++stats_.late_ticks;
    // Skip the grid points already missed; the pacers catch up on their own.
    tick_index_ = static_cast<std::uint64_t>((now - epoch_) / cfg_.tick);
  }
  ticking_ = true;
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    auto& s = sessions_[i];
    if (!s->closed_) s->on_tick(now);
  }
  ticking_ = false;
  if (removed_during_tick_) {
    removed_during_tick_ = false;
    std::erase_if(sessions_, [](const auto& s) { return s->closed_; });
  }
  if (stats_.ticks % 100 == 0) prompts_.sweep();
  auto work = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - now);
  stats_.max_tick_work = std::max(stats_.max_tick_work, work);
  stats_.sessions_active = sessions_.size();
  schedule();
}

Result<std::shared_ptr<MediaSession>> MediaEngine::create_session() {
  // A pair another process holds is skipped (and goes to the back of the ring).
  for (std::size_t attempt = 0; attempt < 16; ++attempt) {
    auto pair = ports_.allocate();
    if (!pair) {
      ++stats_.ports_exhausted;
      return std::unexpected(pair.error());
    }
    boost::system::error_code ec;
    asio::ip::udp::socket rtp(io_), rtcp(io_);
    auto proto = bind_.is_v6() ? asio::ip::udp::v6() : asio::ip::udp::v4();
    rtp.open(proto, ec);
    if (!ec) rtcp.open(proto, ec);
    if (ec) {
      (void)ports_.release(*pair);
      return fail(ec, "cannot open RTP socket");
    }
    rtp.bind({bind_, pair->rtp}, ec);
    if (!ec) rtcp.bind({bind_, pair->rtcp()}, ec);
    if (ec) {
      (void)ports_.release(*pair);
      continue;
    }
    rtp.non_blocking(true, ec);
    rtcp.non_blocking(true, ec);
    std::shared_ptr<MediaSession> s(new MediaSession(*this, *pair, std::move(rtp), std::move(rtcp)));
    sessions_.push_back(s);
    ++stats_.sessions_created;
    stats_.sessions_active = sessions_.size();
    return s;
  }
  return fail(Errc::NoPort, "no bindable RTP port pair");
}

void MediaEngine::remove(MediaSession* s) {
  (void)ports_.release(s->ports_);
  if (ticking_) {
    removed_during_tick_ = true;  // erased after the loop
    return;
  }
  std::erase_if(sessions_, [s](const auto& p) { return p.get() == s; });
  stats_.sessions_active = sessions_.size();
}

}  // namespace callwire::media::engine
