#include "bridge_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

#include "carrier_sip.hpp"

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
constexpr std::int64_t kMaxGapNs = 1 * kSec;      // a gap over 1 s: failed
constexpr std::uint64_t kPhases = 20;             // 20 ms frames on a 1 ms grid
constexpr std::string_view kCallerId = "+15005550006";

enum Kind : std::uint64_t { kTimer = 0, kCallerSip = 1, kCarrierSip = 2, kRtp = 3, kRtcp = 4 };

std::uint64_t tag(Kind k, std::uint32_t index = 0) { return (std::uint64_t{k} << 32) | index; }

const char* failure_name(LegFailure f) {
  switch (f) {
    case LegFailure::None: return "none";
    case LegFailure::Status: return "status";
    case LegFailure::Timeout: return "timeout";
    case LegFailure::NoMedia: return "no_media";
    case LegFailure::Gap: return "gap";
    case LegFailure::ServerBye: return "unexpected_bye";
  }
  return "?";
}

int udp_socket(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  int bytes = 16 * 1024 * 1024;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  return fd;
}

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
  for (int fd : {epoll_, rtp_epoll_, timer_, caller_sip_, carrier_sip_}) {
    if (fd >= 0) ::close(fd);
  }
}

bool BridgeLoad::open() {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  rtp_epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  timer_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  caller_sip_ = udp_socket(0);
  carrier_sip_ = udp_socket(cfg_.carrier_port);
  if (epoll_ < 0 || rtp_epoll_ < 0 || timer_ < 0 || caller_sip_ < 0 || carrier_sip_ < 0) {
    std::fprintf(stderr, "bridge-load: cannot open epoll, timerfd or the SIP sockets (carrier port %u)\n",
                 cfg_.carrier_port);
    return false;
  }
  local_.sip_port = local_port(caller_sip_);
  cfg_.carrier_port = local_port(carrier_sip_);
  callers_.resize(cfg_.calls);
  carriers_.resize(cfg_.calls);
  const std::size_t n = 2 * cfg_.calls;
  std::uint32_t port = cfg_.rtp_first & ~1u;
  for (std::size_t i = 0; i < n; ++i) {
    auto leg = std::make_unique<StreamLeg>();
    while (port + 1 <= cfg_.rtp_last && !leg->open(static_cast<std::uint16_t>(port), static_cast<std::uint32_t>(i))) {
      port += 2;
    }
    if (port + 1 > cfg_.rtp_last) {
      std::fprintf(stderr, "bridge-load: --rtp-ports %u-%u has no free pair for leg %zu of %zu\n", cfg_.rtp_first,
                   cfg_.rtp_last, i + 1, n);
      return false;
    }
    port += 2;
    // Edge-triggered: each socket is read until empty, so a level-triggered
    // set would only poll it again for nothing on the next turn.
    epoll_event rtp{EPOLLIN | EPOLLET, {.u64 = tag(kRtp, static_cast<std::uint32_t>(i))}};
    epoll_event rtcp{EPOLLIN | EPOLLET, {.u64 = tag(kRtcp, static_cast<std::uint32_t>(i))}};
    if (::epoll_ctl(rtp_epoll_, EPOLL_CTL_ADD, leg->rtp_fd(), &rtp) != 0 ||
        ::epoll_ctl(rtp_epoll_, EPOLL_CTL_ADD, leg->rtcp_fd(), &rtcp) != 0) {
      std::perror("bridge-load: epoll_ctl");
      return false;
    }
    phase_groups_[i % kPhases].push_back(static_cast<std::uint32_t>(i));
    legs_.push_back(std::move(leg));
  }
  epoll_event t{EPOLLIN, {.u64 = tag(kTimer)}};
  epoll_event a{EPOLLIN, {.u64 = tag(kCallerSip)}};
  epoll_event b{EPOLLIN, {.u64 = tag(kCarrierSip)}};
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &t);
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, caller_sip_, &a);
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, carrier_sip_, &b);
  std::fprintf(stderr, "bridge-load: caller SIP port %u, carrier SIP port %u, %zu RTP legs\n", local_.sip_port,
               cfg_.carrier_port, n);
  return true;
}

std::string BridgeLoad::branch(std::size_t i, char kind) const {
  return "z9hG4bK-" + local_.run_id + "-" + std::to_string(i) + kind;
}

void BridgeLoad::send_sip(int fd, std::string_view text, const void* to, unsigned to_len) {
  if (::sendto(fd, text.data(), text.size(), MSG_DONTWAIT, static_cast<const sockaddr*>(to), to_len) < 0) {
    ++sip_send_errors_;  // a full buffer: retransmissions cover it
  }
}

void BridgeLoad::send_to_server(std::string_view text) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(cfg_.server_port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  send_sip(caller_sip_, text, &to, sizeof to);
}

void BridgeLoad::fail(LegFailure& slot, LegFailure why) {
  if (slot != LegFailure::None) return;
  slot = why;
  ++failures_;
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
    legs_[*index]->set_remote(0);
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
      legs_[*index]->set_remote(in->sdp_audio_port);
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
    legs_[leg]->set_remote(in->sdp_audio_port);
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
  legs_[cfg_.calls + it->second]->set_remote(0);
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
      if (!leg.send_frame()) ++send_errors_;
    }
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
        send_to_server(invite(local_, i, branch(i, 'i'), legs_[i]->port()));
      }
    } else if (c.phase == Phase::Ending) {
      if (now - c.first_sent > kByeTimeout) {
        c.phase = Phase::Ended;
        ++bye_timeouts_;
      } else if (now - c.sent >= retransmit_interval(c.tries)) {
        ++c.tries;
        c.sent = now;
        send_to_server(bye(local_, i, c.target, branch(i, 'b'), c.to));
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
      legs_[bye_cursor_]->set_remote(0);
      send_to_server(bye(local_, bye_cursor_, c.target, branch(bye_cursor_, 'b'), c.to));
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
                 failures_, send_errors_);
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
      default: break;
    }
  }
}

void BridgeLoad::drain_media() {
  static std::array<epoll_event, 1024> events;
  for (;;) {
    int n = ::epoll_wait(rtp_epoll_, events.data(), static_cast<int>(events.size()), 0);
    for (int e = 0; e < n; ++e) {
      const std::uint64_t t = events[e].data.u64;
      const auto index = static_cast<std::uint32_t>(t);
      if ((t >> 32) == kRtp) {
        legs_[index]->drain_rtp(offset_ns_, window_from_, window_to_, index < cfg_.calls ? down_ : up_);
      } else {
        legs_[index]->drain_rtcp();
      }
    }
    if (n < static_cast<int>(events.size())) return;
  }
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
        send_to_server(invite(local_, placed_, branch(placed_, 'i'), legs_[placed_]->port()));
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

std::string BridgeLoad::summary() const {
  std::size_t by_reason[6] = {};
  std::size_t failed = 0, bridged_calls = 0, crossed = 0;
  std::vector<std::size_t> partner(callers_.size(), SIZE_MAX);
  for (std::size_t k = 0; k < next_carrier_; ++k) {
    const auto peer = legs_[cfg_.calls + k]->peer();
    if (peer < callers_.size()) partner[peer] = k;
  }
  auto final_failure = [&](LegFailure f, const StreamLeg& leg, bool answered) {
    if (f != LegFailure::None || !held_ || !answered) return f;
    if (leg.first_ns() == 0) return LegFailure::NoMedia;
    if (leg.max_gap_ns() > kMaxGapNs || (window_to_ != INT64_MAX && window_to_ - leg.last_ns() > kMaxGapNs)) {
      return LegFailure::Gap;
    }
    return f;
  };
  for (std::size_t i = 0; i < callers_.size(); ++i) {
    const Caller& c = callers_[i];
    LegFailure f = final_failure(c.failure, *legs_[i], c.answered != 0);
    if (f == LegFailure::None && c.answered != 0 && partner[i] == SIZE_MAX) f = LegFailure::NoMedia;
    if (f == LegFailure::None && partner[i] != SIZE_MAX) {
      const Carrier& k = carriers_[partner[i]];
      f = final_failure(k.failure, *legs_[cfg_.calls + partner[i]], true);
    }
    if (bridged(i)) ++bridged_calls;
    else if (legs_[i]->peer() != kNoStream && partner[i] == SIZE_MAX) ++crossed;
    if (f != LegFailure::None) ++failed;
    ++by_reason[static_cast<int>(f)];
  }
  for (std::size_t k = 0; k < next_carrier_; ++k) {  // carrier legs that no caller heard
    const auto peer = legs_[cfg_.calls + k]->peer();
    if (peer < callers_.size() && partner[peer] == k) continue;
    const LegFailure f = final_failure(carriers_[k].failure, *legs_[cfg_.calls + k], true);
    if (f != LegFailure::None) {
      ++failed;
      ++by_reason[static_cast<int>(f)];
    }
  }
  struct Dir {
    std::uint64_t received = 0, expected = 0, lost = 0;
  } up, down;
  std::uint64_t sent = 0, foreign = 0, misrouted = 0;
  for (std::size_t i = 0; i < legs_.size(); ++i) {
    const LegStats s = legs_[i]->stats();
    Dir& d = i < cfg_.calls ? down : up;
    d.received += s.window_received;
    d.expected += s.window_expected;
    d.lost += s.window_expected > s.window_received ? s.window_expected - s.window_received : 0;
    sent += legs_[i]->sent();
    foreign += s.foreign;
    misrouted += s.misrouted;
  }
  std::size_t carrier_bye_missing = 0;
  for (std::size_t k = 0; k < next_carrier_; ++k) carrier_bye_missing += carriers_[k].phase == Phase::Answered;
  std::string failures;
  for (int r = 1; r < 6; ++r) {
    failures += std::string(failures.empty() ? "" : ",") + "\"" + failure_name(static_cast<LegFailure>(r)) +
                "\":" + std::to_string(by_reason[r]);
  }
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  auto dir = [](const char* name, const Dir& d, const LatencyHistogram& h) {
    char b[320];
    std::snprintf(b, sizeof b,
                  "\"%s\":{\"packets\":%llu,\"expected\":%llu,\"lost\":%llu,\"samples\":%llu,\"p50_us\":%.0f,"
                  "\"p99_us\":%.0f,\"max_us\":%.1f}",
                  name, static_cast<unsigned long long>(d.received), static_cast<unsigned long long>(d.expected),
                  static_cast<unsigned long long>(d.lost), static_cast<unsigned long long>(h.count()),
                  static_cast<double>(h.quantile(0.5)) / 1e3, static_cast<double>(h.quantile(0.99)) / 1e3,
                  static_cast<double>(h.max_ns()) / 1e3);
    return std::string(b);
  };
  char buf[1400];
  std::snprintf(buf, sizeof buf,
                "{\"calls\":%zu,\"answered\":%zu,\"bridged\":%zu,\"failed\":%zu,\"failures\":{%s},\"held\":%s,"
                "\"hold_seconds\":%.1f,\"ramp_seconds\":%.1f,%s,%s,\"carrier_invites\":%zu,"
                "\"carrier_extra_invites\":%zu,\"carrier_from_not_caller_id\":%zu,\"carrier_offer_not_pcmu_first\":%zu,"
                "\"carrier_no_ack\":%zu,\"carrier_bye_missing\":%zu,\"bye_timeouts\":%zu,\"crossed\":%zu,"
                "\"misrouted_packets\":%llu,\"foreign_packets\":%llu,\"packets_sent\":%llu,\"send_errors\":%zu,"
                "\"sip_send_errors\":%zu,\"send_late_p99_us\":%.0f,\"send_late_max_us\":%.0f,\"cpu_seconds\":%.2f}",
                callers_.size(), answered_, bridged_calls, failed, failures.c_str(), held_ ? "true" : "false",
                hold_seconds_, ramp_seconds_, dir("up", up, up_).c_str(), dir("down", down, down_).c_str(),
                next_carrier_, carrier_extra_invites_, carrier_from_mismatch_, carrier_offer_not_pcmu_,
                carrier_no_ack_, carrier_bye_missing, bye_timeouts_, crossed,
                static_cast<unsigned long long>(misrouted), static_cast<unsigned long long>(foreign),
                static_cast<unsigned long long>(sent), send_errors_, sip_send_errors_,
                static_cast<double>(send_late_.quantile(0.99)) / 1e3, static_cast<double>(send_late_.max_ns()) / 1e3,
                cpu);
  return buf;
}

}  // namespace callwire::bench
