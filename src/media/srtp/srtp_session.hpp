#pragma once
// SRTP and SRTCP (RFC 3711) for one call leg keyed by SDES (RFC 4568): an
// outbound context with our master key and an inbound one with the peer's.
// Protect and unprotect work in place on the caller's buffer; the engine's
// send buffer leaves kMaxTrailer bytes of room for the authentication tag
// (and SRTCP index). Replays and packets older than the 128-packet window
// are refused. libsrtp is initialised once per process, on first use.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "media/srtp/errc.hpp"

namespace callwire::media::srtp {

// The SDES suites callwire offers and accepts. Both authenticate SRTCP with
// an 80-bit tag; _32 shortens only the SRTP tag (RFC 4568 §6.2).
enum class Suite { AesCm128HmacSha1_80, AesCm128HmacSha1_32 };

// "AES_CM_128_HMAC_SHA1_80" / "_32" as written in a=crypto; nullopt otherwise.
std::optional<Suite> parse_suite(std::string_view name);

// Master key (16) followed by master salt (14) for AES_CM_128.
inline constexpr std::size_t kKeySaltBytes = 30;
// Room protect_rtp()/protect_rtcp() may add after the packet (tag, MKI, SRTCP index).
inline constexpr std::size_t kMaxTrailer = 148;

// Calls srtp_init() the first time (thread-safe); later calls return its result.
[[nodiscard]] Status init();

struct SessionKeys {
  Suite suite = Suite::AesCm128HmacSha1_80;
  std::span<const std::uint8_t> local_key;   // key||salt we send with
  std::span<const std::uint8_t> remote_key;  // key||salt the peer sends with
};

class SrtpSession {
 public:
  [[nodiscard]] static Result<SrtpSession> create(const SessionKeys& keys);
  ~SrtpSession();
  SrtpSession(SrtpSession&&) noexcept;
  SrtpSession& operator=(SrtpSession&&) noexcept;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  // `buf` holds an RTP (RTCP) packet of `len` bytes and has room after it;
  // returns the SRTP (SRTCP) length.
  [[nodiscard]] Result<std::size_t> protect_rtp(std::span<std::uint8_t> buf, std::size_t len);
  [[nodiscard]] Result<std::size_t> protect_rtcp(std::span<std::uint8_t> buf, std::size_t len);
  // Authenticates and decrypts in place; returns the plain length.
  [[nodiscard]] Result<std::size_t> unprotect_rtp(std::span<std::uint8_t> buf, std::size_t len);
  [[nodiscard]] Result<std::size_t> unprotect_rtcp(std::span<std::uint8_t> buf, std::size_t len);

  Suite suite() const { return suite_; }

 private:
  struct Contexts;
  SrtpSession(Suite suite, std::unique_ptr<Contexts> c);
  Suite suite_;
  std::unique_ptr<Contexts> ctx_;
};

}  // namespace callwire::media::srtp
