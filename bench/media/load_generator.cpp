#include "load_generator.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <cstdio>
#include <random>
#include <thread>

namespace callwire::bench {

namespace asio = boost::asio;
using asio::ip::udp;
using namespace std::chrono_literals;

namespace {

constexpr auto kHousekeeping = 50ms;
constexpr auto kRampTick = 5ms;
constexpr auto kInviteTimeout = 16s;  // no final answer: failed
constexpr auto kSettleTimeout = 20s;  // calls still unanswered after the ramp: the hold starts anyway
constexpr auto kByeTimeout = 8s;
constexpr auto kTeardownTimeout = 20s;
constexpr std::int64_t kFirstRtpNs = 2'000'000'000;  // answered, no RTP within 2 s: failed
constexpr std::int64_t kMaxGapNs = 1'000'000'000;    // a gap above 1 s: failed

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

const char* failure_name(Failure f) {
  switch (f) {
    case Failure::None: return "none";
    case Failure::Status: return "status";
    case Failure::Timeout: return "timeout";
    case Failure::NoRtp: return "no_rtp";
    case Failure::Gap: return "gap";
    case Failure::ServerBye: return "server_bye";
  }
  return "?";
}

}  // namespace

LoadGenerator::LoadGenerator(LoadConfig cfg) : cfg_(std::move(cfg)), rx_(65536) {
  cfg_.threads = std::max(1u, cfg_.threads);
  for (unsigned t = 0; t < cfg_.threads; ++t) {
    ios_.push_back(std::make_unique<asio::io_context>(1));
    deviation_.push_back(std::make_unique<DeviationHistogram>());
  }
  local_.domain = cfg_.domain;
  std::random_device rd;
  local_.run_id = std::to_string(rd() % 1'000'000'000u);
  server_ = udp::endpoint(asio::ip::make_address_v4("127.0.0.1"), cfg_.server_port);
}

LoadGenerator::~LoadGenerator() {
  // Sockets and timers go before their io_contexts.
  calls_.clear();
  sip_.reset();
  ramp_timer_.reset();
  house_timer_.reset();
  send_timers_.clear();
}

bool LoadGenerator::open() {
  sip_ = std::make_unique<udp::socket>(*ios_[0], udp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  local_.sip_port = sip_->local_endpoint().port();
  int bytes = 16 * 1024 * 1024;
  if (::setsockopt(sip_->native_handle(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(sip_->native_handle(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  sip_->non_blocking(true);
  calls_.resize(cfg_.calls);
  std::uint32_t port = cfg_.rtp_first & ~1u;
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    auto& io = *ios_[i % ios_.size()];
    auto meter = std::make_unique<RtpMeter>(io, *deviation_[i % ios_.size()], until_ns_);
    while (port + 1 <= cfg_.rtp_last && !meter->open(static_cast<std::uint16_t>(port))) port += 2;
    if (port + 1 > cfg_.rtp_last) {
      std::fprintf(stderr, "media-load: --rtp-ports %u-%u has no free pair for call %zu of %zu\n", cfg_.rtp_first,
                   cfg_.rtp_last, i + 1, calls_.size());
      return false;
    }
    port += 2;
    calls_[i].meter = std::move(meter);
  }
  return true;
}

std::string LoadGenerator::branch(std::size_t i, char kind) const {
  return "z9hG4bK-" + local_.run_id + "-" + std::to_string(i) + kind;
}

void LoadGenerator::send(const std::string& text) {
  boost::system::error_code ec;
  sip_->send_to(asio::buffer(text), server_, 0, ec);
  if (ec) ++send_errors_;  // a full socket buffer: the retransmission timers cover it
}

void LoadGenerator::fail(Call& c, Failure why) {
  if (c.failure != Failure::None) return;
  c.failure = why;
  ++failed_;
}

void LoadGenerator::receive() {
  sip_->async_receive_from(asio::buffer(rx_), from_, [this](boost::system::error_code ec, std::size_t n) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) on_message(std::string_view(rx_.data(), n));
    receive();
  });
}

void LoadGenerator::on_message(std::string_view text) {
  auto in = parse_incoming(text);
  if (!in) return;
  if (!in->is_response) {
    if (in->method != "ACK") send(ok_response(text));
    auto index = call_index(in->call_id, local_.run_id);
    if (in->method != "BYE" || !index || *index >= calls_.size()) return;
    Call& c = calls_[*index];
    if (c.phase == Phase::Answered && stage_ < Stage::Teardown) fail(c, Failure::ServerBye);
    c.phase = Phase::Ended;
    return;
  }
  auto index = call_index(in->call_id, local_.run_id);
  if (!index || *index >= calls_.size()) return;
  Call& c = calls_[*index];
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
      c.answered_ns = realtime_ns();
      c.status = in->status;
      c.phase = Phase::Answered;
      c.meter->set_remote(in->sdp_audio_port);
      ++answered_;
    }
    if (!c.to.empty()) send(ack(local_, *index, c.target, branch(*index, 'a'), c.to));
  } else {
    if (pending) {
      c.status = in->status;
      c.phase = Phase::Ended;
      fail(c, Failure::Status);
    }
    send(ack(local_, *index, ruri, branch(*index, 'i'), in->to));
  }
}

void LoadGenerator::ramp_tick() {
  if (stage_ != Stage::Ramp) return;
  const auto now = Steady::now();
  const auto due = std::min(calls_.size(), static_cast<std::size_t>(seconds(now - stage_at_) * cfg_.rate) + 1);
  for (; placed_ < due; ++placed_) {
    Call& c = calls_[placed_];
    c.phase = Phase::Inviting;
    c.first_sent = c.sent = now;
    send(invite(local_, placed_, branch(placed_, 'i'), c.meter->port()));
  }
  if (placed_ == calls_.size()) {
    ramp_seconds_ = seconds(now - stage_at_);
    stage_ = Stage::Settle;
    stage_at_ = now;
    return;
  }
  ramp_timer_->expires_after(kRampTick);
  ramp_timer_->async_wait([this](boost::system::error_code ec) {
    if (!ec) ramp_tick();
  });
}

void LoadGenerator::retransmit(std::size_t i, Steady::time_point now) {
  Call& c = calls_[i];
  // RFC 3261 timers A and E, T1 = 500 ms, capped at 4 s.
  const auto interval = std::min<std::chrono::milliseconds>(4000ms, 500ms * (1 << std::min<int>(c.tries, 3)));
  if (c.phase == Phase::Inviting || c.phase == Phase::Proceeding) {
    if (now - c.first_sent > kInviteTimeout) {
      c.phase = Phase::Ended;
      fail(c, Failure::Timeout);
    } else if (c.phase == Phase::Inviting && now - c.sent >= interval) {
      ++c.tries;
      c.sent = now;
      send(invite(local_, i, branch(i, 'i'), c.meter->port()));
    }
  } else if (c.phase == Phase::Ending) {
    if (now - c.first_sent > kByeTimeout) {
      c.phase = Phase::Ended;
      ++bye_timeouts_;
    } else if (now - c.sent >= interval) {
      ++c.tries;
      c.sent = now;
      send(bye(local_, i, c.target, branch(i, 'b'), c.to));
    }
  }
}

void LoadGenerator::check_media(std::int64_t now_ns) {
  for (auto& c : calls_) {
    if (c.phase != Phase::Answered || c.failure != Failure::None) continue;
    const auto first = c.meter->first_ns.load(std::memory_order_relaxed);
    if (first == 0) {
      if (now_ns - c.answered_ns > kFirstRtpNs) fail(c, Failure::NoRtp);
    } else if (now_ns - c.meter->last_ns.load(std::memory_order_relaxed) > kMaxGapNs) {
      fail(c, Failure::Gap);
    }
  }
}

void LoadGenerator::enter_hold() {
  stage_ = Stage::Hold;
  stage_at_ = Steady::now();
  hold_end_ = stage_at_ + std::chrono::seconds(cfg_.hold_seconds);
  held_ = true;
  std::printf("event hold-start %zu %zu\n", answered_, failed_);
  std::fflush(stdout);
}

void LoadGenerator::enter_teardown() {
  const auto now = Steady::now();
  if (stage_ == Stage::Hold) hold_seconds_ = seconds(now - stage_at_);
  until_ns_.store(realtime_ns(), std::memory_order_relaxed);
  stage_ = Stage::Teardown;
  stage_at_ = now;
  std::printf("event hold-end\n");
  std::fflush(stdout);
}

void LoadGenerator::housekeeping() {
  const auto now = Steady::now();
  for (std::size_t i = 0; i < calls_.size(); ++i) retransmit(i, now);
  if (stage_ < Stage::Teardown && now - last_media_check_ >= 250ms) {
    last_media_check_ = now;
    check_media(realtime_ns());
  }
  const bool over_budget = now - started_ > std::chrono::seconds(cfg_.max_seconds);
  const bool give_up = cfg_.fail_fast && failed_ > 0;
  if (stage_ == Stage::Ramp && give_up) enter_teardown();
  if (stage_ == Stage::Settle) {
    const bool settled = std::none_of(calls_.begin(), calls_.end(), [](const Call& c) {
      return c.phase == Phase::Inviting || c.phase == Phase::Proceeding;
    });
    if (give_up || over_budget) enter_teardown();
    else if (settled || now - stage_at_ > kSettleTimeout) enter_hold();
  }
  if (stage_ == Stage::Hold && (now >= hold_end_ || give_up || over_budget)) enter_teardown();
  if (stage_ == Stage::Teardown) {
    const auto due = std::min(calls_.size(), static_cast<std::size_t>(seconds(now - stage_at_) * cfg_.bye_rate) + 1);
    for (; bye_cursor_ < due; ++bye_cursor_) {
      Call& c = calls_[bye_cursor_];
      if (c.phase == Phase::Inviting || c.phase == Phase::Proceeding) {
        c.phase = Phase::Ended;  // never answered; its transaction is simply dropped
        fail(c, Failure::Timeout);
      }
      if (c.phase != Phase::Answered) continue;
      c.phase = Phase::Ending;
      c.tries = 0;
      c.first_sent = c.sent = now;
      send(bye(local_, bye_cursor_, c.target, branch(bye_cursor_, 'b'), c.to));
    }
    const bool done = bye_cursor_ == calls_.size() &&
                      std::none_of(calls_.begin(), calls_.end(), [](const Call& c) { return c.phase == Phase::Ending; });
    if (done || now - stage_at_ > kTeardownTimeout) {
      stage_ = Stage::Done;
      for (auto& io : ios_) io->stop();
      return;
    }
  }
  if (now - last_progress_ >= 5s) {
    last_progress_ = now;
    std::fprintf(stderr, "media-load: %.0f s stage %d placed %zu answered %zu failed %zu send-errors %zu\n",
                 seconds(now - started_), static_cast<int>(stage_), placed_, answered_, failed_, send_errors_);
  }
  house_timer_->expires_after(kHousekeeping);
  house_timer_->async_wait([this](boost::system::error_code ec) {
    if (!ec) housekeeping();
  });
}

void LoadGenerator::send_rtp_tick(unsigned thread) {
  for (std::size_t i = thread; i < calls_.size(); i += ios_.size()) calls_[i].meter->send_silence();
  auto& timer = *send_timers_[thread];
  timer.expires_at(timer.expiry() + 20ms);
  timer.async_wait([this, thread](boost::system::error_code ec) {
    if (!ec) send_rtp_tick(thread);
  });
}

std::string LoadGenerator::run() {
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& io : ios_) guards.push_back(asio::make_work_guard(*io));
  for (auto& c : calls_) c.meter->start();
  started_ = stage_at_ = last_progress_ = last_media_check_ = Steady::now();
  ramp_timer_ = std::make_unique<asio::steady_timer>(*ios_[0]);
  house_timer_ = std::make_unique<asio::steady_timer>(*ios_[0]);
  receive();
  ramp_tick();
  housekeeping();
  if (cfg_.send_rtp) {
    for (unsigned t = 0; t < ios_.size(); ++t) {
      send_timers_.push_back(std::make_unique<asio::steady_timer>(*ios_[t], Steady::now() + 20ms));
      send_timers_.back()->async_wait([this, t](boost::system::error_code ec) {
        if (!ec) send_rtp_tick(t);
      });
    }
  }
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < ios_.size(); ++t) threads.emplace_back([this, t] { ios_[t]->run(); });
  ios_[0]->run();
  for (auto& th : threads) th.join();
  return summary();
}

std::string LoadGenerator::summary() const {
  DeviationHistogram deviation;
  for (auto& d : deviation_) deviation.merge(*d);
  std::uint64_t packets = 0, lost = 0, out_of_order = 0, foreign = 0;
  std::int64_t max_gap = 0;
  std::vector<std::int64_t> first_rtp;
  std::size_t by_reason[6] = {};
  const std::int64_t until = until_ns_.load();
  for (const auto& c : calls_) {
    Failure f = c.failure;
    const RtpMeter& m = *c.meter;
    if (c.answered_ns != 0) {
      packets += m.packets();
      lost += m.lost();
      out_of_order += m.out_of_order();
      foreign += m.foreign();
      max_gap = std::max(max_gap, m.max_gap_ns());
      const auto first = m.first_ns.load();
      if (first != 0) first_rtp.push_back(first - c.answered_ns);
      if (f == Failure::None && held_) {
        if (first == 0) f = Failure::NoRtp;
        else if (m.max_gap_ns() > kMaxGapNs || until - m.last_ns.load() > kMaxGapNs) f = Failure::Gap;
      }
    }
    ++by_reason[static_cast<int>(f)];
  }
  std::sort(first_rtp.begin(), first_rtp.end());
  auto q = [&](double p) -> double {
    if (first_rtp.empty()) return -1;
    return static_cast<double>(first_rtp[static_cast<std::size_t>(p * static_cast<double>(first_rtp.size() - 1))]) / 1e6;
  };
  std::string failures;
  std::size_t failed = 0;
  for (int r = 1; r < 6; ++r) {
    failed += by_reason[r];
    failures += std::string(failures.empty() ? "" : ",") + "\"" + failure_name(static_cast<Failure>(r)) +
                "\":" + std::to_string(by_reason[r]);
  }
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "{\"calls\":%zu,\"answered\":%zu,\"failed\":%zu,\"failures\":{%s},\"held\":%s,\"hold_seconds\":%.1f,"
                "\"ramp_seconds\":%.1f,\"packets\":%llu,\"lost\":%llu,\"out_of_order\":%llu,\"foreign\":%llu,"
                "\"deviation_samples\":%llu,"
                "\"dev_p50_us\":%lld,\"dev_p99_us\":%lld,\"dev_max_us\":%lld,\"max_gap_ms\":%.1f,"
                "\"first_rtp_p50_ms\":%.1f,\"first_rtp_p99_ms\":%.1f,\"bye_timeouts\":%zu,\"send_errors\":%zu}",
                calls_.size(), answered_, failed, failures.c_str(), held_ ? "true" : "false", hold_seconds_,
                ramp_seconds_, static_cast<unsigned long long>(packets), static_cast<unsigned long long>(lost),
                static_cast<unsigned long long>(out_of_order), static_cast<unsigned long long>(foreign),
                static_cast<unsigned long long>(deviation.count()),
                static_cast<long long>(deviation.quantile(0.5) / 1000),
                static_cast<long long>(deviation.quantile(0.99) / 1000),
                static_cast<long long>(deviation.max_ns() / 1000), static_cast<double>(max_gap) / 1e6, q(0.5), q(0.99),
                bye_timeouts_, send_errors_);
  return buf;
}

}  // namespace callwire::bench
