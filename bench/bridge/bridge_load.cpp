#include "bridge_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

namespace callwire::bench {

namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSec = 1'000'000'000;
constexpr std::int64_t kInviteTimeout = 16 * kSec;
constexpr std::int64_t kSettleTimeout = 20 * kSec;
constexpr std::int64_t kByeTimeout = 8 * kSec;
constexpr std::int64_t kTeardownTimeout = 20 * kSec;
constexpr std::int64_t kNoAckTimeout = 32 * kSec;
constexpr std::int64_t kFirstMediaNs = 2 * kSec;  // answered, no media within 2 s: failed
constexpr std::uint64_t kPhases = 20;             // 20 ms frames on a 1 ms grid

enum Kind : std::uint64_t { kTimer = 0, kCallerSip = 1, kCarrierSip = 2, kNg = 3 };

constexpr int kSipBufferBytes = 16 * 1024 * 1024;

std::uint64_t tag(Kind k, std::uint32_t index = 0) { return (std::uint64_t{k} << 32) | index; }

std::uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

std::int64_t retransmit_interval(std::uint8_t tries) {
  // RFC 3261 timers A, E and G: T1 = 500 ms doubling, capped at T2 = 4 s.
  return std::min<std::int64_t>(4000 * kMs, 500 * kMs << std::min<int>(tries, 3));
}

}  // namespace

BridgeLoad::BridgeLoad(BridgeConfig cfg) : cfg_(std::move(cfg)), phase_groups_(kPhases) {
  local_.domain = cfg_.domain;
  std::random_device rd;
  local_.run_id = std::to_string(rd() % 1'000'000'000u);
}

BridgeLoad::~BridgeLoad() {
  legs_.clear();
  for (int fd : {epoll_, timer_, caller_sip_, carrier_sip_, ng_}) {
    if (fd >= 0) ::close(fd);
  }
}

bool BridgeLoad::open() {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  timer_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  caller_sip_ = bind_loopback_udp(0, kSipBufferBytes);
  carrier_sip_ = bind_loopback_udp(cfg_.carrier_port, kSipBufferBytes);
  if (cfg_.ng_port != 0) {
    ng_ = bind_loopback_udp(0, kSipBufferBytes);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(cfg_.ng_port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ng_ >= 0 && ::connect(ng_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      ::close(ng_);
      ng_ = -1;
    }
  }
  if (epoll_ < 0 || timer_ < 0 || caller_sip_ < 0 || carrier_sip_ < 0 || (cfg_.ng_port != 0 && ng_ < 0)) {
    std::fprintf(stderr, "bridge-load: cannot open epoll, timerfd or the SIP sockets (carrier port %u)\n",
                 cfg_.carrier_port);
    return false;
  }
  local_.sip_port = local_port(caller_sip_);
  cfg_.carrier_port = local_port(carrier_sip_);
  callers_.resize(cfg_.calls);
  carriers_.resize(cfg_.calls);
  const std::size_t n = 2 * cfg_.calls;
  if (!rtp_.open(cfg_.rtp_first, cfg_.rtp_last, std::min(cfg_.rtp_sockets, n))) {
    std::fprintf(stderr, "bridge-load: --rtp-ports %u-%u has no %zu free pairs\n", cfg_.rtp_first, cfg_.rtp_last,
                 std::min(cfg_.rtp_sockets, n));
    return false;
  }
  leg_by_port_.assign(65536, nullptr);
  for (std::size_t i = 0; i < n; ++i) {
    legs_.push_back(std::make_unique<StreamLeg>(rtp_.port(i % rtp_.size()), static_cast<std::uint32_t>(i)));
    phase_groups_[i % kPhases].push_back(static_cast<std::uint32_t>(i));
  }
  epoll_event t{EPOLLIN, {.u64 = tag(kTimer)}};
  epoll_event a{EPOLLIN, {.u64 = tag(kCallerSip)}};
  epoll_event b{EPOLLIN, {.u64 = tag(kCarrierSip)}};
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &t);
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, caller_sip_, &a);
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, carrier_sip_, &b);
  if (ng_ >= 0) {
    epoll_event g{EPOLLIN, {.u64 = tag(kNg)}};
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, ng_, &g);
  }
  std::fprintf(stderr, "bridge-load: caller SIP port %u, carrier SIP port %u, %zu RTP legs on %zu socket pairs%s\n",
               local_.sip_port, cfg_.carrier_port, n, rtp_.size(), ng_ >= 0 ? ", calls through rtpengine's ng" : "");
  return true;
}

std::string BridgeLoad::branch(std::size_t i, char kind) const {
  return "z9hG4bK-" + local_.run_id + "-" + std::to_string(i) + kind;
}

void BridgeLoad::fail(LegFailure& slot, LegFailure why) {
  if (slot != LegFailure::None) return;
  slot = why;
  ++failures_;
}

void BridgeLoad::on_tick(std::uint64_t expirations) {
  for (std::uint64_t e = 0; e < expirations; ++e) {
    const std::uint64_t n = ticks_++;
    const std::int64_t due = grid_start_ + static_cast<std::int64_t>(n) * kMs;
    bool measured = false;
    for (std::uint32_t i : phase_groups_[n % kPhases]) {
      StreamLeg& leg = *legs_[i];
      if (!leg.sending()) continue;
      if (!measured) {
        send_late_.add(monotonic_ns() - due);
        measured = true;
      }
      rtp_.send(i % rtp_.size(), leg);
    }
    rtp_.flush();
  }
}

bool BridgeLoad::bridged(std::size_t i) const {
  const StreamLeg& a = *legs_[i];
  if (a.first_ns() == 0 || a.peer() < cfg_.calls || a.peer() >= 2 * cfg_.calls) return false;
  const StreamLeg& b = *legs_[a.peer()];
  return b.first_ns() != 0 && b.peer() == i;
}

void BridgeLoad::check_media(std::int64_t now) {
  auto check = [&](LegFailure& failure, const StreamLeg& leg, std::int64_t answered) {
    if (failure != LegFailure::None) return;
    if (leg.first_ns() == 0) {
      if (now - answered > kFirstMediaNs) fail(failure, LegFailure::NoMedia);
    } else if (now - leg.last_ns() > kMaxGapNs) {
      fail(failure, LegFailure::Gap);
    }
  };
  for (std::size_t i = 0; i < callers_.size(); ++i) {
    if (callers_[i].phase == Phase::Answered) check(callers_[i].failure, *legs_[i], callers_[i].answered);
  }
  for (std::size_t k = 0; k < next_carrier_; ++k) {
    if (carriers_[k].phase == Phase::Answered) check(carriers_[k].failure, *legs_[cfg_.calls + k], carriers_[k].answered);
  }
}

void BridgeLoad::enter_hold(std::int64_t now) {
  stage_ = Stage::Hold;
  stage_at_ = window_from_ = now;
  hold_end_ = now + cfg_.hold_seconds * kSec;
  held_ = true;
  std::printf("event hold-start %zu %zu\n", answered_, failures_);
  std::fflush(stdout);
}

void BridgeLoad::enter_teardown(std::int64_t now) {
  if (stage_ == Stage::Hold) hold_seconds_ = static_cast<double>(now - stage_at_) / 1e9;
  window_to_ = now;
  stage_ = Stage::Teardown;
  stage_at_ = now;
  std::printf("event hold-end\n");
  std::fflush(stdout);
}

void BridgeLoad::housekeeping(std::int64_t now) {
  // Caller side: INVITE and BYE retransmissions, INVITE timeouts.
  for (std::size_t i = 0; i < callers_.size(); ++i) {
    Caller& c = callers_[i];
    if (c.phase == Phase::Inviting || c.phase == Phase::Proceeding) {
      if (now - c.first_sent > kInviteTimeout) {
        c.phase = Phase::Ended;
        fail(c.failure, LegFailure::Timeout);
      } else if (c.phase == Phase::Inviting && now - c.sent >= retransmit_interval(c.tries)) {
        ++c.tries;
        c.sent = now;
        if (ng_ >= 0) ng_send(i, 'o');
        else send_to_server(invite(local_, i, branch(i, 'i'), legs_[i]->port()));
      } else if (c.phase == Phase::Proceeding && ng_ >= 0 && now - c.sent >= retransmit_interval(c.tries)) {
        ++c.tries;
        c.sent = now;
        ng_send(i, 'a');
      }
    } else if (c.phase == Phase::Ending) {
      if (now - c.first_sent > kByeTimeout) {
        c.phase = Phase::Ended;
        ++bye_timeouts_;
      } else if (now - c.sent >= retransmit_interval(c.tries)) {
        ++c.tries;
        c.sent = now;
        if (ng_ >= 0) ng_send(i, 'd');
        else send_to_server(bye(local_, i, c.target, branch(i, 'b'), c.to));
      }
    }
  }
  // Carrier side: the 200 again until the ACK (to the address callwire's INVITE came from: its listener).
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(cfg_.server_port);
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (std::size_t k = 0; k < next_carrier_; ++k) {
    Carrier& c = carriers_[k];
    if (c.acked || c.phase != Phase::Answered) continue;
    if (now - c.answered > kNoAckTimeout) {
      c.acked = true;
      ++carrier_no_ack_;
    } else if (now - c.sent >= retransmit_interval(c.tries)) {
      ++c.tries;
      c.sent = now;
      send_sip(carrier_sip_, c.response, &server, sizeof server);
    }
  }
  if (stage_ < Stage::Teardown && now - last_check_ >= 250 * kMs) {
    last_check_ = now;
    check_media(now);
  }
  const bool over_budget = now - started_ > cfg_.max_seconds * kSec;
  const bool give_up = cfg_.fail_fast && failures_ > 0;
  if (stage_ == Stage::Ramp && (give_up || over_budget)) enter_teardown(now);
  if (stage_ == Stage::Settle) {
    bool settled = true;
    for (std::size_t i = 0; i < callers_.size() && settled; ++i) {
      const Caller& c = callers_[i];
      settled = c.failure != LegFailure::None || c.phase == Phase::Ended || (c.phase == Phase::Answered && bridged(i));
    }
    if (give_up || over_budget) enter_teardown(now);
    else if (settled || now - stage_at_ > kSettleTimeout) enter_hold(now);
  }
  if (stage_ == Stage::Hold && (now >= hold_end_ || give_up || over_budget)) enter_teardown(now);
  if (stage_ == Stage::Teardown) {
    const auto due = std::min(callers_.size(),
                              static_cast<std::size_t>(static_cast<double>(now - stage_at_) / 1e9 * cfg_.bye_rate) + 1);
    for (; bye_cursor_ < due; ++bye_cursor_) {
      Caller& c = callers_[bye_cursor_];
      if (c.phase == Phase::Inviting || c.phase == Phase::Proceeding) {
        c.phase = Phase::Ended;  // never answered; its transaction is dropped
        fail(c.failure, LegFailure::Timeout);
      }
      if (c.phase != Phase::Answered) continue;
      c.phase = Phase::Ending;
      c.tries = 0;
      c.first_sent = c.sent = now;
      set_remote(bye_cursor_, 0);
      if (ng_ >= 0) {
        set_remote(cfg_.calls + c.carrier, 0);  // rtpengine sends no BYE: the carrier stops with the caller
        ng_send(bye_cursor_, 'd');
      } else {
        send_to_server(bye(local_, bye_cursor_, c.target, branch(bye_cursor_, 'b'), c.to));
      }
    }
    const bool callers_done = bye_cursor_ == callers_.size() &&
        std::none_of(callers_.begin(), callers_.end(), [](const Caller& c) { return c.phase == Phase::Ending; });
    const bool carriers_done = std::none_of(carriers_.begin(), carriers_.begin() + static_cast<long>(next_carrier_),
                                            [](const Carrier& c) { return c.phase == Phase::Answered; });
    if ((callers_done && carriers_done) || now - stage_at_ > kTeardownTimeout) {
      stage_ = Stage::Done;
      return;
    }
  }
  if (now - last_progress_ >= 5 * kSec) {
    last_progress_ = now;
    std::fprintf(stderr, "bridge-load: %.0f s stage %d placed %zu answered %zu carrier legs %zu failed %zu send-errors %zu\n",
                 static_cast<double>(now - started_) / 1e9, static_cast<int>(stage_), placed_, answered_, next_carrier_,
                 failures_, rtp_.send_errors());
  }
}

void BridgeLoad::loop_once(int timeout_ms) {
  std::array<epoll_event, 8> events;
  int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
  offset_ns_ = realtime_ns() - monotonic_ns();
  drain_media();
  for (int e = 0; e < n; ++e) {
    switch (static_cast<Kind>(events[e].data.u64 >> 32)) {
      case kTimer: {
        std::uint64_t expirations = 0;
        if (::read(timer_, &expirations, sizeof expirations) == sizeof expirations) on_tick(expirations);
        break;
      }
      case kCallerSip: read_sip(caller_sip_, false); break;
      case kCarrierSip: read_sip(carrier_sip_, true); break;
      case kNg: read_ng(); break;
      default: break;
    }
  }
}

void BridgeLoad::drain_media() {
  rtp_.receive(
      offset_ns_, leg_by_port_,
      [this](StreamLeg& leg, const unsigned char* p, std::size_t size, std::int64_t at) {
        leg.on_packet(p, size, at, window_from_, window_to_, leg.id() < cfg_.calls ? down_ : up_);
      },
      [this](StreamLeg* leg) {
        if (leg) leg->on_foreign();
        else ++unrouted_;  // from a port no leg sends to yet (callwire's audio before the 200)
      });
}

std::string BridgeLoad::run() {
  started_ = stage_at_ = last_house_ = last_progress_ = last_check_ = monotonic_ns();
  grid_start_ = started_ + kMs;
  itimerspec spec{};
  spec.it_value = {grid_start_ / kSec, grid_start_ % kSec};
  spec.it_interval = {0, kMs};
  ::timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
  while (stage_ != Stage::Done) {
    std::int64_t now = monotonic_ns();
    if (stage_ == Stage::Ramp) {
      const auto due = std::min(callers_.size(),
                                static_cast<std::size_t>(static_cast<double>(now - stage_at_) / 1e9 * cfg_.rate) + 1);
      for (; placed_ < due; ++placed_) {
        Caller& c = callers_[placed_];
        c.phase = Phase::Inviting;
        c.first_sent = c.sent = now;
        if (ng_ >= 0) ng_send(placed_, 'o');
        else send_to_server(invite(local_, placed_, branch(placed_, 'i'), legs_[placed_]->port()));
      }
      if (placed_ == callers_.size()) {
        ramp_seconds_ = static_cast<double>(now - stage_at_) / 1e9;
        stage_ = Stage::Settle;
        stage_at_ = now;
      }
    }
    if (now - last_house_ >= 50 * kMs) {
      last_house_ = now;
      housekeeping(now);
    }
    loop_once(20);
  }
  return summary();
}

}  // namespace callwire::bench
