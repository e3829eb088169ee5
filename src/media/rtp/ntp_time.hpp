#pragma once
// 64-bit NTP timestamps (RFC 3550 §4) from the wall clock. Sender reports
// carry one; receivers echo its middle 32 bits as LSR.
#include <chrono>
#include <cstdint>

namespace callwire::media::rtp {

struct NtpTime {
  std::uint32_t seconds = 0;   // since 1900-01-01
  std::uint32_t fraction = 0;  // units of 2^-32 s

  std::uint64_t value() const { return (std::uint64_t{seconds} << 32) | fraction; }
  // The "compact" form used by LSR/DLSR: 16 bits of seconds, 16 of fraction.
  std::uint32_t middle32() const { return (seconds << 16) | (fraction >> 16); }
  static NtpTime from_value(std::uint64_t v) {
    return {static_cast<std::uint32_t>(v >> 32), static_cast<std::uint32_t>(v)};
  }
  friend bool operator==(const NtpTime&, const NtpTime&) = default;
};

// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
inline constexpr std::uint64_t kNtpUnixOffset = 2208988800ULL;

inline NtpTime to_ntp(std::chrono::system_clock::time_point t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::uint64_t>(ns / 1'000'000'000);
  auto rem = static_cast<std::uint64_t>(ns % 1'000'000'000);
  return {static_cast<std::uint32_t>(secs + kNtpUnixOffset),
          static_cast<std::uint32_t>((rem << 32) / 1'000'000'000)};
}

}  // namespace callwire::media::rtp
