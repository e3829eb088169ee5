#pragma once
// Per-source rate limits and temporary blocks for inbound requests: a
// dictionary attack (repeated digest failures) and an INVITE flood each get
// the source blocked for a while, and known scanner user agents are
// dropped. Thread-safe (one mutex; each call is a hash lookup), bounded
// memory: past max_tracked sources the least recently seen is forgotten.
//
// Semantics:
// - Sources are keyed by address; IPv4-mapped IPv6 is the IPv4 address, and
//   IPv6 sources by their /64 (one subscriber's allocation), so an attacker
//   cannot dodge the limits or flush the table by cycling addresses there.
// - Auth failures fill a leaky bucket draining at auth_failures_per_minute
//   per minute; the failure that takes it above that many blocks the source
//   for auth_block (so 10/min: the 11th failure within a minute blocks).
// - INVITEs fill a bucket draining at invites_per_second per second; the
//   request that takes it above that many is Flood and blocks the source for
//   flood_block. Requests from a blocked source are Blocked.
// - A user agent is a scanner when it starts with one of the names
//   (case-insensitive) followed by its end or a non-letter ("sipcli/1.8"
//   yes, "SipClient" no). Scanners are dropped, not blocked: a spoofed UA
//   cannot lock out a real PBX.
// - on_auth_success clears the failures counted so far (not an active block).
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace callwire::auth {

struct AbuseConfig {
  int auth_failures_per_minute = 10;
  std::chrono::seconds auth_block{600};
  int invites_per_second = 50;
  std::chrono::seconds flood_block{60};
  std::vector<std::string> scanner_user_agents = {"friendly-scanner", "sipvicious", "sipcli", "sip-scan",
                                                  "VaxSIPUserAgent",  "iWar",       "sundayddr", "SIPScan",
                                                  "pplsip"};
  bool drop_scanners = true;
  std::size_t max_tracked = 100000;
};

enum class AbuseVerdict { Allow, Blocked, Flood, Scanner };

std::string_view to_string(AbuseVerdict verdict);

class AbuseGuard {
 public:
  explicit AbuseGuard(AbuseConfig config);

  // For each new INVITE (not retransmissions).
  AbuseVerdict on_request(const boost::asio::ip::address& source, std::string_view user_agent,
                          std::chrono::steady_clock::time_point now);
  void on_auth_failure(const boost::asio::ip::address& source, std::chrono::steady_clock::time_point now);
  void on_auth_success(const boost::asio::ip::address& source);

  bool is_scanner(std::string_view user_agent) const;

  struct Counters {
    std::uint64_t blocked = 0;        // requests refused because their source was blocked
    std::uint64_t floods = 0;         // floods detected (each starts a block)
    std::uint64_t scanners = 0;       // requests dropped for their user agent
    std::uint64_t auth_failures = 0;  // failures reported
  };
  Counters counters() const;
  std::size_t tracked() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Key {
    std::uint64_t hi = 0, lo = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return std::hash<std::uint64_t>{}(k.hi * 0x9e3779b97f4a7c15ULL ^ k.lo); }
  };
  struct Source {
    double failures = 0;  // leaky bucket levels
    Clock::time_point failures_at{};
    double invites = 0;
    Clock::time_point invites_at{};
    Clock::time_point blocked_until{};
    std::list<Key>::iterator lru;
  };

  static Key key_of(const boost::asio::ip::address& a);
  Source& touch(const Key& key);  // finds or creates, marks most recent; mutex held

  AbuseConfig config_;
  std::vector<std::string> scanners_lower_;
  mutable std::mutex mutex_;
  std::unordered_map<Key, Source, KeyHash> sources_;
  std::list<Key> lru_;  // front = most recently seen
  Counters counters_;
};

}  // namespace callwire::auth
