#pragma once
// The client side of HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617, RFC 7616,
// RFC 8760): reads a WWW-Authenticate / Proxy-Authenticate challenge and
// writes the matching Authorization / Proxy-Authorization value.
// MD5 and SHA-256 (and their -sess forms); qop auth, auth-int or none.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::sip {

enum class DigestAlgorithm : std::uint8_t { Md5, Md5Sess, Sha256, Sha256Sess };

struct DigestChallenge {
  std::string realm, nonce, opaque;
  DigestAlgorithm algorithm = DigestAlgorithm::Md5;
  bool algorithm_given = false;  // echoed in the answer only when the challenge named it
  bool qop_auth = false;         // "auth" offered
  bool qop_auth_int = false;     // "auth-int" offered
  bool stale = false;
};

// Parses one challenge value ("Digest realm=\"...\", nonce=\"...\", ...").
// Fails for another scheme, a missing realm or nonce, an unknown algorithm,
// or a qop list without auth/auth-int (nothing we can answer).
[[nodiscard]] Result<DigestChallenge> parse_digest_challenge(std::string_view value);

struct DigestAnswer {
  std::string username, password;
  std::string method;   // "INVITE"
  std::string uri;      // the Request-URI
  std::string cnonce;   // random, used when qop is answered
  std::uint32_t nc = 1; // nonce count
  std::string body;     // for auth-int
};

// The response= value: lowercase hex of the algorithm's hash.
std::string digest_response(const DigestChallenge& challenge, const DigestAnswer& answer);
// The whole credentials value, "Digest username=..., realm=..., ...". qop=auth
// is preferred when offered, then auth-int; without qop the RFC 2069 form.
std::string digest_credentials(const DigestChallenge& challenge, const DigestAnswer& answer);

}  // namespace callwire::sip
