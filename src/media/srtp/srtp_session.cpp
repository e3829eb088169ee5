#include "media/srtp/srtp_session.hpp"

#include <srtp2/srtp.h>

#include <cstring>
#include <mutex>
#include <vector>

namespace callwire::media::srtp {

static_assert(kMaxTrailer >= SRTP_MAX_TRAILER_LEN + 4, "room for the tag, MKI and the SRTCP index");

namespace {

Errc errc_of(srtp_err_status_t s) {
  switch (s) {
    case srtp_err_status_auth_fail: return Errc::AuthFailed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return Errc::Replayed;
    default: return Errc::BadPacket;
  }
}

void set_policy(srtp_crypto_policy_t& rtp, srtp_crypto_policy_t& rtcp, Suite suite) {
  if (suite == Suite::AesCm128HmacSha1_32)
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&rtp);
  else
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&rtp);
  srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&rtcp);  // SRTCP keeps the 80-bit tag
}

// One direction: outbound (protect) or inbound (unprotect) for any SSRC.
Result<srtp_t> make_context(Suite suite, std::span<const std::uint8_t> key, bool outbound) {
  if (key.size() != kKeySaltBytes) return fail(Errc::BadKey, "SRTP key||salt must be 30 bytes");
  // libsrtp takes a non-const key pointer and copies it in srtp_create.
  std::vector<unsigned char> copy(key.begin(), key.end());
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  set_policy(policy.rtp, policy.rtcp, suite);
  policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
  policy.key = copy.data();
  policy.window_size = 128;
  policy.allow_repeat_tx = 0;
  policy.next = nullptr;
  srtp_t ctx = nullptr;
  auto st = srtp_create(&ctx, &policy);
  std::memset(copy.data(), 0, copy.size());
  if (st != srtp_err_status_ok) return fail(Errc::BadKey, "srtp_create failed: " + std::to_string(st));
  return ctx;
}

Result<std::size_t> finish(srtp_err_status_t st, int out_len) {
  if (st != srtp_err_status_ok) return fail(errc_of(st));
  return static_cast<std::size_t>(out_len);
}

}  // namespace

struct SrtpSession::Contexts {
  srtp_t tx = nullptr;
  srtp_t rx = nullptr;
  ~Contexts() {
    if (tx) srtp_dealloc(tx);
    if (rx) srtp_dealloc(rx);
  }
};

std::optional<Suite> parse_suite(std::string_view name) {
  if (name == "AES_CM_128_HMAC_SHA1_80") return Suite::AesCm128HmacSha1_80;
  if (name == "AES_CM_128_HMAC_SHA1_32") return Suite::AesCm128HmacSha1_32;
  return std::nullopt;
}

Status init() {
  // libsrtp's state (its crypto kernel) is process-wide by design: one
  // srtp_init for the process, whichever worker needs it first.
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  if (status != srtp_err_status_ok) return fail(Errc::InitFailed, "srtp_init failed: " + std::to_string(status));
  return {};
}

Result<SrtpSession> SrtpSession::create(const SessionKeys& keys) {
  if (auto ok = init(); !ok) return std::unexpected(ok.error());
  auto c = std::make_unique<Contexts>();
  auto tx = make_context(keys.suite, keys.local_key, true);
  if (!tx) return std::unexpected(tx.error());
  c->tx = *tx;
  auto rx = make_context(keys.suite, keys.remote_key, false);
  if (!rx) return std::unexpected(rx.error());
  c->rx = *rx;
  return SrtpSession(keys.suite, std::move(c));
}

SrtpSession::SrtpSession(Suite suite, std::unique_ptr<Contexts> c) : suite_(suite), ctx_(std::move(c)) {}
SrtpSession::~SrtpSession() = default;
SrtpSession::SrtpSession(SrtpSession&&) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&&) noexcept = default;

Result<std::size_t> SrtpSession::protect_rtp(std::span<std::uint8_t> buf, std::size_t len) {
  if (len < 12 || len > buf.size()) return fail(Errc::BadPacket);
  if (buf.size() - len < SRTP_MAX_TRAILER_LEN) return fail(Errc::BufferTooSmall);
  int n = static_cast<int>(len);
  auto st = srtp_protect(ctx_->tx, buf.data(), &n);
  return finish(st, n);
}

Result<std::size_t> SrtpSession::protect_rtcp(std::span<std::uint8_t> buf, std::size_t len) {
  if (len < 8 || len > buf.size()) return fail(Errc::BadPacket);
  if (buf.size() - len < SRTP_MAX_TRAILER_LEN + 4) return fail(Errc::BufferTooSmall);
  int n = static_cast<int>(len);
  auto st = srtp_protect_rtcp(ctx_->tx, buf.data(), &n);
  return finish(st, n);
}

Result<std::size_t> SrtpSession::unprotect_rtp(std::span<std::uint8_t> buf, std::size_t len) {
  if (len < 12 || len > buf.size()) return fail(Errc::BadPacket);
  int n = static_cast<int>(len);
  auto st = srtp_unprotect(ctx_->rx, buf.data(), &n);
  return finish(st, n);
}

Result<std::size_t> SrtpSession::unprotect_rtcp(std::span<std::uint8_t> buf, std::size_t len) {
  if (len < 8 || len > buf.size()) return fail(Errc::BadPacket);
  int n = static_cast<int>(len);
  auto st = srtp_unprotect_rtcp(ctx_->rx, buf.data(), &n);
  return finish(st, n);
}

}  // namespace callwire::media::srtp
