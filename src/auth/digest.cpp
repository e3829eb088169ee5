#include "auth/digest.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <openssl/crypto.h>

#include "sip/message/params.hpp"
#include "sip/message/uri.hpp"
#include "core/text.hpp"

namespace callwire::auth {

namespace {

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

struct Algorithm {
  DigestAlgorithm hash;
  bool sess;
};

std::optional<Algorithm> parse_algorithm(const DigestCredentials& c) {
  if (!c.has_algorithm || iequals(c.algorithm, "MD5")) return Algorithm{DigestAlgorithm::Md5, false};
  if (iequals(c.algorithm, "MD5-sess")) return Algorithm{DigestAlgorithm::Md5, true};
  if (iequals(c.algorithm, "SHA-256")) return Algorithm{DigestAlgorithm::Sha256, false};
  if (iequals(c.algorithm, "SHA-256-sess")) return Algorithm{DigestAlgorithm::Sha256, true};
  return std::nullopt;
}

// nc is exactly 8 hex digits (RFC 2617 §3.2.2), and counts from 1.
std::optional<std::uint32_t> parse_nc(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  if (v == 0) return std::nullopt;
  return v;
}

std::uint16_t effective_port(const sip::Uri& u) {
  if (u.port) return *u.port;
  return u.scheme == sip::Scheme::Sips ? 5061 : 5060;
}

// RFC 2617 §3.2.2.5: the digest uri must be the Request-URI. Compared on
// what names the resource (see digest.hpp), not byte for byte.
bool uri_matches(std::string_view digest_uri, std::string_view request_uri) {
  if (digest_uri == request_uri) return true;
  auto a = sip::parse_uri(digest_uri);
  auto b = sip::parse_uri(request_uri);
  if (!a || !b) return false;
  if (a->scheme != b->scheme || a->scheme == sip::Scheme::Other) return false;
  if (a->scheme == sip::Scheme::Tel) return sip::unescape(a->user) == sip::unescape(b->user);
  return sip::unescape(a->user) == sip::unescape(b->user) && iequals(a->host, b->host) &&
         effective_port(*a) == effective_port(*b);
}

std::string challenge(std::string_view realm, std::string_view nonce, std::string_view opaque, bool sha256,
                      bool stale) {
  std::string v;
  v.reserve(96 + realm.size() + nonce.size() + opaque.size());
  v = "Digest realm=\"";
  v.append(realm).append("\", nonce=\"").append(nonce).append("\", opaque=\"").append(opaque).append("\"");
  if (sha256) v.append(", algorithm=SHA-256");
  v.append(", qop=\"auth\"");
  if (stale) v.append(", stale=true");
  return v;
}

constexpr std::size_t kHexBuffer = 2 * kMaxHashSize;

// `s` in lowercase: in `buf` when it fits (hex hashes always do), else in `spill`.
std::string_view lowercase_in(std::string_view s, std::array<char, kHexBuffer>& buf, std::string& spill) {
  char* out = buf.data();
  if (s.size() > buf.size()) {
    spill.resize(s.size());
    out = spill.data();
  }
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = ascii_lower(s[i]);
  return {out, s.size()};
}

DigestCheck verdict(DigestVerdict v, std::string username, std::string detail) {
  return DigestCheck{v, std::move(username), {}, std::move(detail)};
}

}  // namespace

std::string_view to_string(DigestVerdict verdict) {
  switch (verdict) {
    case DigestVerdict::Missing: return "missing";
    case DigestVerdict::Ok: return "ok";
    case DigestVerdict::Stale: return "stale";
    case DigestVerdict::Replay: return "replay";
    case DigestVerdict::UnknownUser: return "unknown-user";
    case DigestVerdict::WrongPassword: return "wrong-password";
    case DigestVerdict::Malformed: return "malformed";
    case DigestVerdict::WrongRealm: return "wrong-realm";
  }
  return "unknown";
}

DigestAuthenticator::DigestAuthenticator(DigestConfig config)
    : config_(std::move(config)),
      signer_(config_.secret),
      opaque_(signer_.derive("opaque\n" + config_.realm)),
      counts_(config_.max_tracked_nonces, config_.nonce_lifetime.count()) {}

std::vector<std::string> DigestAuthenticator::challenges(std::string_view source_ip, bool stale,
                                                         std::chrono::system_clock::time_point now) const {
  auto nonce = signer_.issue(source_ip, unix_seconds(now));
  std::vector<std::string> out;
  if (config_.offer_sha256) out.push_back(challenge(config_.realm, nonce, opaque_, true, stale));
  out.push_back(challenge(config_.realm, nonce, opaque_, false, stale));
  return out;
}

DigestCheck DigestAuthenticator::verify(const sip::Message& request, std::string_view header_name,
                                        std::string_view source_ip, const std::vector<store::DigestUser>& users,
                                        std::chrono::system_clock::time_point now) {
  // Pick the credentials for our realm among every header of that name.
  const auto wanted = sip::header_id(header_name);
  std::optional<DigestCredentials> creds;
  std::optional<std::string> other_realm_user;
  std::string parse_error;
  bool any = false;
  for (const auto& h : request.headers()) {
    if (wanted != sip::HeaderId::Other ? h.id != wanted : !iequals(h.name, header_name)) continue;
    any = true;
    auto parsed = parse_digest_credentials(h.value);
    if (!parsed) {
      if (parse_error.empty()) parse_error = parsed.error().what();
      continue;
    }
    if (parsed->realm == config_.realm) {
      creds = std::move(*parsed);
      break;
    }
    if (!other_realm_user) other_realm_user = parsed->username;
  }
  if (!any) return verdict(DigestVerdict::Missing, {}, "no " + std::string(header_name) + " header");
  if (!creds) {
    if (other_realm_user) return verdict(DigestVerdict::WrongRealm, *other_realm_user, "credentials are not for realm " + config_.realm);
    return verdict(DigestVerdict::Malformed, {}, parse_error);
  }
  const auto& c = *creds;

  auto algorithm = parse_algorithm(c);
  if (!algorithm) return verdict(DigestVerdict::Malformed, c.username, "unsupported digest algorithm");
  std::optional<std::uint32_t> nc;
  if (c.has_qop) {
    if (!iequals(c.qop, "auth")) return verdict(DigestVerdict::Malformed, c.username, "unsupported qop (only auth is offered)");
    nc = parse_nc(c.nc);
    if (!nc) return verdict(DigestVerdict::Malformed, c.username, "bad nonce-count");
  }
  if (!uri_matches(c.uri, request.request_uri())) {
    return verdict(DigestVerdict::Malformed, c.username, "digest uri does not match the Request-URI");
  }

  // The password first: a wrong one is WrongPassword whatever the nonce.
  // Hashed in pieces into stack buffers: no strings are built per call.
  const HashAlgorithm alg = hash_algorithm(algorithm->hash);
  std::array<char, kHexBuffer> response_buf;
  std::string response_spill;
  const std::string_view response = lowercase_in(c.response, response_buf, response_spill);
  std::array<char, kHexBuffer> ha2_buf;
  const std::string_view ha2(ha2_buf.data(), callwire::hash(alg, {request.method_token(), ":", c.uri}).hex(ha2_buf.data()));
  const store::DigestUser* matched = nullptr;
  bool has_hash = false;
  for (const auto& u : users) {
    if (u.username != c.username) continue;
    const std::string& stored = algorithm->hash == DigestAlgorithm::Md5 ? u.ha1_md5 : u.ha1_sha256;
    if (stored.empty()) continue;
    has_hash = true;
    std::array<char, kHexBuffer> ha1_buf;
    std::string ha1_spill;
    std::string_view ha1 = lowercase_in(stored, ha1_buf, ha1_spill);
    std::array<char, kHexBuffer> sess_buf;
    if (algorithm->sess) {
      ha1 = {sess_buf.data(), callwire::hash(alg, {ha1, ":", c.nonce, ":", c.cnonce}).hex(sess_buf.data())};
    }
    const HashBytes expected = c.has_qop
        ? callwire::hash(alg, {ha1, ":", c.nonce, ":", c.nc, ":", c.cnonce, ":", c.qop, ":", ha2})
        : callwire::hash(alg, {ha1, ":", c.nonce, ":", ha2});
    std::array<char, kHexBuffer> expected_buf;
    const std::size_t expected_size = expected.hex(expected_buf.data());
    if (expected_size == response.size() && CRYPTO_memcmp(expected_buf.data(), response.data(), expected_size) == 0) {
      matched = &u;
      break;
    }
  }
  if (!has_hash) {
    bool known = std::any_of(users.begin(), users.end(), [&](const auto& u) { return u.username == c.username; });
    return verdict(DigestVerdict::UnknownUser, c.username,
                   known ? "no stored hash for this digest algorithm" : "unknown username");
  }
  if (!matched) return verdict(DigestVerdict::WrongPassword, c.username, "wrong password");

  // Then the nonce: ours, for this source, fresh, not replayed.
  auto issued = signer_.verify(c.nonce, source_ip);
  if (!issued || (c.has_opaque && c.opaque != opaque_)) {
    return verdict(DigestVerdict::Stale, c.username, "nonce not issued to this source");
  }
  const auto now_s = unix_seconds(now);
  const auto lifetime = config_.nonce_lifetime.count();
  if (now_s - *issued > lifetime) return verdict(DigestVerdict::Stale, c.username, "nonce expired");
  if (*issued - now_s > 60) return verdict(DigestVerdict::Stale, c.username, "nonce from the future");
  switch (counts_.use(c.nonce, *issued, nc, now_s)) {
    case NonceCounts::Use::Replay:
      return verdict(DigestVerdict::Replay, c.username,
                     nc ? "nonce-count not above the last one for this nonce" : "nonce already used");
    case NonceCounts::Use::Forgotten:
      return verdict(DigestVerdict::Stale, c.username, "nonce no longer tracked");
    case NonceCounts::Use::Fresh:
      break;
  }
  return DigestCheck{DigestVerdict::Ok, c.username, matched->credential_list_sid, "authenticated"};
}

}  // namespace callwire::auth
