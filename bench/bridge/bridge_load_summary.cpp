// The result line of the bridge load generator (one JSON object).
#include <sys/resource.h>

#include <cstdio>

#include "bridge_load.hpp"

namespace callwire::bench {

namespace {

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

}  // namespace

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
  char buf[1600];
  std::snprintf(buf, sizeof buf,
                "{\"calls\":%zu,\"answered\":%zu,\"bridged\":%zu,\"failed\":%zu,\"failures\":{%s},\"held\":%s,"
                "\"hold_seconds\":%.1f,\"ramp_seconds\":%.1f,%s,%s,\"carrier_invites\":%zu,"
                "\"carrier_extra_invites\":%zu,\"carrier_from_not_caller_id\":%zu,\"carrier_offer_not_pcmu_first\":%zu,"
                "\"carrier_no_ack\":%zu,\"carrier_bye_missing\":%zu,\"bye_timeouts\":%zu,\"crossed\":%zu,"
                "\"misrouted_packets\":%llu,\"foreign_packets\":%llu,\"packets_sent\":%llu,\"send_errors\":%zu,"
                "\"sip_send_errors\":%zu,\"ng_errors\":%zu,\"send_late_p99_us\":%.0f,\"send_late_max_us\":%.0f,\"cpu_seconds\":%.2f}",
                callers_.size(), answered_, bridged_calls, failed, failures.c_str(), held_ ? "true" : "false",
                hold_seconds_, ramp_seconds_, dir("up", up, up_).c_str(), dir("down", down, down_).c_str(),
                next_carrier_, carrier_extra_invites_, carrier_from_mismatch_, carrier_offer_not_pcmu_,
                carrier_no_ack_, carrier_bye_missing, bye_timeouts_, crossed,
                static_cast<unsigned long long>(misrouted), static_cast<unsigned long long>(foreign + unrouted_),
                static_cast<unsigned long long>(sent), rtp_.send_errors(), sip_send_errors_, ng_errors_,
                static_cast<double>(send_late_.quantile(0.99)) / 1e3, static_cast<double>(send_late_.max_ns()) / 1e3,
                cpu);
  return buf;
}

}  // namespace callwire::bench
