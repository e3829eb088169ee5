#include "auth/abuse_guard.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace callwire::auth {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Drains `level` at `per_second` since `at`, then adds one.
double fill(double level, std::chrono::steady_clock::time_point& at, std::chrono::steady_clock::time_point now,
            double per_second) {
  if (now > at) {
    level = std::max(0.0, level - std::chrono::duration<double>(now - at).count() * per_second);
  }
  at = now;
  return level + 1;
}

}  // namespace

std::string_view to_string(AbuseVerdict verdict) {
  switch (verdict) {
    case AbuseVerdict::Allow: return "allow";
    case AbuseVerdict::Blocked: return "blocked";
    case AbuseVerdict::Flood: return "flood";
    case AbuseVerdict::Scanner: return "scanner";
  }
  return "unknown";
}

AbuseGuard::AbuseGuard(AbuseConfig config) : config_(std::move(config)) {
  config_.max_tracked = std::max<std::size_t>(1, config_.max_tracked);
  for (const auto& s : config_.scanner_user_agents) {
    if (s.empty()) continue;
    scanners_lower_.push_back(ascii_lowercase(s));
  }
}

AbuseGuard::Key AbuseGuard::key_of(const boost::asio::ip::address& a) {
  std::array<unsigned char, 16> b{};
  if (a.is_v4()) {
    auto v4 = a.to_v4().to_bytes();
    b[10] = b[11] = 0xff;
    std::copy(v4.begin(), v4.end(), b.begin() + 12);
  } else {
    b = a.to_v6().to_bytes();
  }
  Key k;
  for (int i = 0; i < 8; ++i) k.hi = (k.hi << 8) | b[i];
  for (int i = 8; i < 16; ++i) k.lo = (k.lo << 8) | b[i];
  const bool v4 = k.hi == 0 && (k.lo >> 32) == 0xffff;
  if (!v4) k.lo = 0;  // IPv6: the /64
  return k;
}

AbuseGuard::Source& AbuseGuard::touch(const Key& key) {
  auto it = sources_.find(key);
  if (it != sources_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second;
  }
  while (sources_.size() >= config_.max_tracked && !lru_.empty()) {
    sources_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  auto& s = sources_[key];
  s.lru = lru_.begin();
  return s;
}

bool AbuseGuard::is_scanner(std::string_view ua) const {
  while (!ua.empty() && (ua.front() == ' ' || ua.front() == '\t')) ua.remove_prefix(1);
  for (const auto& name : scanners_lower_) {
    if (ua.size() < name.size()) continue;
    bool same = std::equal(name.begin(), name.end(), ua.begin(), [](char n, char u) { return n == ascii_lower(u); });
    if (same && (ua.size() == name.size() || !is_letter(ua[name.size()]))) return true;
  }
  return false;
}

AbuseVerdict AbuseGuard::on_request(const boost::asio::ip::address& source, std::string_view user_agent,
                                    Clock::time_point now) {
  // Scanners are told apart before any table entry is made for them.
  if (config_.drop_scanners && is_scanner(user_agent)) {
    std::lock_guard lock(mutex_);
    ++counters_.scanners;
    return AbuseVerdict::Scanner;
  }
  const auto key = key_of(source);
  std::lock_guard lock(mutex_);
  auto& s = touch(key);
  if (now < s.blocked_until) {
    ++counters_.blocked;
    return AbuseVerdict::Blocked;
  }
  if (config_.invites_per_second <= 0) return AbuseVerdict::Allow;  // no flood limit
  s.invites = fill(s.invites, s.invites_at, now, config_.invites_per_second);
  if (s.invites > config_.invites_per_second) {
    s.blocked_until = now + config_.flood_block;
    s.invites = 0;
    ++counters_.floods;
    return AbuseVerdict::Flood;
  }
  return AbuseVerdict::Allow;
}

void AbuseGuard::on_auth_failure(const boost::asio::ip::address& source, Clock::time_point now) {
  const auto key = key_of(source);
  std::lock_guard lock(mutex_);
  ++counters_.auth_failures;
  if (config_.auth_failures_per_minute <= 0) return;  // no limit
  auto& s = touch(key);
  if (now < s.blocked_until) return;
  s.failures = fill(s.failures, s.failures_at, now, config_.auth_failures_per_minute / 60.0);
  if (s.failures > config_.auth_failures_per_minute) {
    s.blocked_until = now + config_.auth_block;
    s.failures = 0;
  }
}

void AbuseGuard::on_auth_success(const boost::asio::ip::address& source) {
  const auto key = key_of(source);
  std::lock_guard lock(mutex_);
  auto it = sources_.find(key);
  if (it != sources_.end()) it->second.failures = 0;
}

AbuseGuard::Counters AbuseGuard::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

std::size_t AbuseGuard::tracked() const {
  std::lock_guard lock(mutex_);
  return sources_.size();
}

}  // namespace callwire::auth
