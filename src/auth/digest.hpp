#pragma once
// Server side of SIP digest authentication (RFC 2617, RFC 7616, RFC 8760,
// RFC 3261 §22): challenges for 407 Proxy-Authenticate (or 401
// WWW-Authenticate), and verification of Proxy-Authorization (or
// Authorization) against the stored HA1 hashes. Pure logic, thread-safe.
//
// Decisions (documented in docs/compatibility.md §8.3):
// - Nonces are stateless: base64url(time || HMAC-SHA256(secret, time ||
//   source address)). Only the nonce-counts of used nonces are remembered.
// - A nonce this authenticator did not issue to this source (other source
//   address, forged, from before a restart with a new secret) or with a
//   foreign opaque is Stale when the response is otherwise right for it (the
//   client knows the password: RFC 2617's meaning of stale=true), else
//   WrongPassword. Either way it never authenticates.
// - The password is checked before the nonce's freshness, so a wrong guess
//   is always WrongPassword (the abuse guard counts those).
// - The digest uri must name the Request-URI: same scheme, user, host
//   (case-insensitive) and port (default port filled in); URI parameters
//   and headers are not compared, as clients differ in what they copy.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "auth/digest_credentials.hpp"
#include "auth/digest_nonce.hpp"
#include "auth/nonce_counts.hpp"
#include "sip/message/message.hpp"
#include "store/domain_auth.hpp"

namespace callwire::auth {

struct DigestConfig {
  std::string realm;   // "sip.<base>" (same for every domain)
  std::string secret;  // HMAC key for nonces (random 32 bytes from serve)
  std::chrono::seconds nonce_lifetime{300};
  bool offer_sha256 = false;  // also send a SHA-256 challenge (RFC 8760), before the MD5 one
  std::size_t max_tracked_nonces = 65536;  // nonce-count table bound
};

enum class DigestVerdict { Missing, Ok, Stale, Replay, UnknownUser, WrongPassword, Malformed, WrongRealm };

std::string_view to_string(DigestVerdict verdict);

struct DigestCheck {
  DigestVerdict verdict = DigestVerdict::Missing;
  std::string username;             // the digest username, once parsed
  std::string credential_list_sid;  // of the matching credential (Ok only)
  std::string detail;               // human text for logs/Reason; never secrets
};

class DigestAuthenticator {
 public:
  explicit DigestAuthenticator(DigestConfig config);

  // Header values for a challenge: `Digest realm="…", nonce="…",
  // opaque="…", qop="auth"` (MD5, no algorithm parameter, as Twilio sends),
  // preceded by the same with `algorithm=SHA-256` when offer_sha256;
  // `, stale=true` appended to each when `stale`.
  std::vector<std::string> challenges(std::string_view source_ip, bool stale,
                                      std::chrono::system_clock::time_point now) const;

  // Checks the request's `header_name` ("Proxy-Authorization" or
  // "Authorization") credentials for our realm against `users`. Missing
  // when there is no such header; several headers are allowed (RFC 3261
  // §22.3), the one for our realm counts. `source_ip` must be written the
  // same way as for challenges().
  DigestCheck verify(const sip::Message& request, std::string_view header_name, std::string_view source_ip,
                     const std::vector<store::DigestUser>& users, std::chrono::system_clock::time_point now);

  const DigestConfig& config() const { return config_; }
  std::string_view opaque() const { return opaque_; }

 private:
  DigestConfig config_;
  NonceSigner signer_;
  std::string opaque_;
  NonceCounts counts_;
};

}  // namespace callwire::auth
