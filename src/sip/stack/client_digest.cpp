#include "sip/stack/client_digest.hpp"

#include <cstdio>
#include <system_error>

#include "core/digest_hash.hpp"
#include "core/text.hpp"

namespace callwire::sip {

namespace {

std::unexpected<Error> bad(std::string detail) {
  return fail(std::make_error_code(std::errc::invalid_argument), std::move(detail));
}

bool is_sha256(DigestAlgorithm a) { return a == DigestAlgorithm::Sha256 || a == DigestAlgorithm::Sha256Sess; }
bool is_sess(DigestAlgorithm a) { return a == DigestAlgorithm::Md5Sess || a == DigestAlgorithm::Sha256Sess; }

std::string_view algorithm_name(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::Md5: return "MD5";
    case DigestAlgorithm::Md5Sess: return "MD5-sess";
    case DigestAlgorithm::Sha256: return "SHA-256";
    case DigestAlgorithm::Sha256Sess: return "SHA-256-sess";
  }
  return "MD5";
}

std::string hex_hash(DigestAlgorithm a, std::string_view data) {
  return hash_hex(is_sha256(a) ? HashAlgorithm::Sha256 : HashAlgorithm::Md5, {data});
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void skip_space(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

// RFC 3261 §25.1 token characters.
bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

// One auth-param: token "=" (token / quoted-string). False on bad syntax,
// including a control character inside a quoted-string (it would end up in
// the credentials we send back).
bool next_param(std::string_view s, std::size_t& i, std::string_view& name, std::string& value) {
  skip_space(s, i);
  std::size_t start = i;
  while (i < s.size() && is_token_char(s[i])) ++i;
  name = s.substr(start, i - start);
  if (name.empty()) return false;
  skip_space(s, i);
  if (i >= s.size() || s[i] != '=') return false;
  ++i;
  skip_space(s, i);
  value.clear();
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      if (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7f) return false;
      value += s[i++];
    }
    if (i >= s.size()) return false;  // unterminated
    ++i;
  } else {
    std::size_t v = i;
    while (i < s.size() && is_token_char(s[i])) ++i;
    value.assign(s.substr(v, i - v));
    if (value.empty()) return false;
  }
  skip_space(s, i);
  if (i < s.size()) {
    if (s[i] != ',') return false;
    ++i;
  }
  return true;
}

// A quoted-string with " and \ escaped.
std::string quoted(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string_view chosen_qop(const DigestChallenge& c) {
  if (c.qop_auth) return "auth";
  if (c.qop_auth_int) return "auth-int";
  return {};
}

std::string nc_text(std::uint32_t nc) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", nc);
  return buf;
}

}  // namespace

Result<DigestChallenge> parse_digest_challenge(std::string_view value) {
  std::size_t i = 0;
  skip_space(value, i);
  std::size_t start = i;
  while (i < value.size() && !is_space(value[i])) ++i;
  if (!iequals(value.substr(start, i - start), "Digest")) return bad("not a Digest challenge");
  DigestChallenge c;
  bool qop_seen = false;
  std::string_view name;
  std::string v;
  while (true) {
    skip_space(value, i);
    if (i >= value.size()) break;
    if (!next_param(value, i, name, v)) return bad("malformed challenge parameters");
    if (iequals(name, "realm")) {
      c.realm = v;
    } else if (iequals(name, "nonce")) {
      c.nonce = v;
    } else if (iequals(name, "opaque")) {
      c.opaque = v;
    } else if (iequals(name, "stale")) {
      c.stale = iequals(v, "true");
    } else if (iequals(name, "algorithm")) {
      c.algorithm_given = true;
      if (iequals(v, "MD5")) c.algorithm = DigestAlgorithm::Md5;
      else if (iequals(v, "MD5-sess")) c.algorithm = DigestAlgorithm::Md5Sess;
      else if (iequals(v, "SHA-256")) c.algorithm = DigestAlgorithm::Sha256;
      else if (iequals(v, "SHA-256-sess")) c.algorithm = DigestAlgorithm::Sha256Sess;
      else return bad("unsupported digest algorithm " + v);
    } else if (iequals(name, "qop")) {
      qop_seen = true;
      std::string_view list = v;
      while (!list.empty()) {
        auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && is_space(item.front())) item.remove_prefix(1);
        while (!item.empty() && is_space(item.back())) item.remove_suffix(1);
        if (iequals(item, "auth")) c.qop_auth = true;
        if (iequals(item, "auth-int")) c.qop_auth_int = true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    }  // other parameters (domain, charset, userhash, ...) do not change the answer
  }
  if (c.realm.empty() && c.nonce.empty()) return bad("challenge without realm and nonce");
  if (c.nonce.empty()) return bad("challenge without nonce");
  if (qop_seen && !c.qop_auth && !c.qop_auth_int) return bad("no supported qop offered");
  return c;
}

std::string digest_response(const DigestChallenge& c, const DigestAnswer& a) {
  DigestAlgorithm alg = c.algorithm;
  std::string ha1 = hex_hash(alg, a.username + ":" + c.realm + ":" + a.password);
  if (is_sess(alg)) ha1 = hex_hash(alg, ha1 + ":" + c.nonce + ":" + a.cnonce);
  std::string_view qop = chosen_qop(c);
  std::string ha2 = qop == "auth-int" ? hex_hash(alg, a.method + ":" + a.uri + ":" + hex_hash(alg, a.body))
                                      : hex_hash(alg, a.method + ":" + a.uri);
  if (qop.empty()) return hex_hash(alg, ha1 + ":" + c.nonce + ":" + ha2);
  return hex_hash(alg, ha1 + ":" + c.nonce + ":" + nc_text(a.nc) + ":" + a.cnonce + ":" + std::string(qop) +
                           ":" + ha2);
}

std::string digest_credentials(const DigestChallenge& c, const DigestAnswer& a) {
  std::string out = "Digest username=" + quoted(a.username) + ", realm=" + quoted(c.realm) +
                    ", nonce=" + quoted(c.nonce) + ", uri=" + quoted(a.uri) +
                    ", response=" + quoted(digest_response(c, a));
  if (c.algorithm_given) out += ", algorithm=" + std::string(algorithm_name(c.algorithm));
  if (std::string_view qop = chosen_qop(c); !qop.empty()) {
    out += ", cnonce=" + quoted(a.cnonce) + ", qop=" + std::string(qop) + ", nc=" + nc_text(a.nc);
  }
  if (!c.opaque.empty()) out += ", opaque=" + quoted(c.opaque);
  return out;
}

}  // namespace callwire::sip
