#include "auth/digest_credentials.hpp"

#include <array>

#include "sip/message/errc.hpp"
#include "core/text.hpp"

namespace callwire::auth {

namespace {

using sip::Errc;

bool is_lws(char c) { return c == ' ' || c == '\t'; }

// Character classes, one table lookup per character.
constexpr unsigned char kToken = 1;          // RFC 3261 token character
constexpr unsigned char kQuotedStop = 2;     // ends the plain run of a quoted-string: " \ CR LF NUL
constexpr unsigned char kUnquotedStop = 4;   // ends or breaks an unquoted value: , LWS " CTL DEL

constexpr std::array<unsigned char, 256> kClass = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) t[c] |= kToken;
    if (c < 0x20 || c == 0x7f || c == ',' || c == ' ' || c == '"') t[c] |= kUnquotedStop;
  }
  for (unsigned char c : std::string_view("-.!%*_+`'~")) t[c] |= kToken;
  for (unsigned char c : std::string_view("\"\\\r\n")) t[c] |= kQuotedStop;
  t[0] |= kQuotedStop;
  return t;
}();

bool is(char c, unsigned char cls) { return (kClass[static_cast<unsigned char>(c)] & cls) != 0; }

bool is_token_char(char c) { return is(c, kToken); }

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return s_[i_]; }
  void skip_lws() {
    while (!done() && is_lws(peek())) ++i_;
  }
  std::string_view token() {
    auto start = i_;
    while (!done() && is_token_char(peek())) ++i_;
    return s_.substr(start, i_ - start);
  }
  // Token or quoted-string value; false on a bad quoted-string. The `uri`
  // of some clients is sent unquoted and contains ':' '@' ';' '/' '?' '=',
  // so an unquoted value runs to the next comma or LWS. `out` views the
  // input, or `scratch` when a quoted-string had escapes to undo.
  bool value(std::string_view& out, std::string& scratch) {
    if (!done() && peek() == '"') {
      ++i_;
      const auto start = i_;
      // Most quoted-strings have no escapes: scan for the closing quote.
      for (; i_ < s_.size(); ++i_) {
        const char c = s_[i_];
        if (!is(c, kQuotedStop)) continue;
        if (c == '"') {
          if (i_ - start > kMaxCredentialsParam) return false;
          out = s_.substr(start, i_ - start);
          ++i_;
          return true;
        }
        if (c == '\\') break;
        if (c == '\r' || c == '\n' || c == '\0') return false;
      }
      if (done()) return false;  // unterminated
      scratch.assign(s_.substr(start, i_ - start));
      if (scratch.size() > kMaxCredentialsParam) return false;
      while (!done()) {
        char c = s_[i_++];
        if (c == '"') {
          out = scratch;
          return true;
        }
        if (c == '\\') {
          if (done()) return false;
          c = s_[i_++];
        }
        if (c == '\r' || c == '\n' || c == '\0') return false;
        scratch.push_back(c);
        if (scratch.size() > kMaxCredentialsParam) return false;
      }
      return false;  // unterminated
    }
    auto start = i_;
    while (!done()) {
      const char c = peek();
      if (is(c, kUnquotedStop)) {
        if (c == ',' || is_lws(c)) break;
        return false;  // '"', a control character or DEL
      }
      ++i_;
    }
    if (i_ - start > kMaxCredentialsParam) return false;
    out = s_.substr(start, i_ - start);
    return true;
  }
  bool eat(char c) {
    if (!done() && peek() == c) {
      ++i_;
      return true;
    }
    return false;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

struct Field {
  std::string_view name;
  std::string DigestCredentials::*value;
  bool DigestCredentials::*present;
};

constexpr std::array<Field, 10> kFields = {{
    {"username", &DigestCredentials::username, &DigestCredentials::has_username},
    {"realm", &DigestCredentials::realm, &DigestCredentials::has_realm},
    {"nonce", &DigestCredentials::nonce, &DigestCredentials::has_nonce},
    {"uri", &DigestCredentials::uri, &DigestCredentials::has_uri},
    {"response", &DigestCredentials::response, &DigestCredentials::has_response},
    {"algorithm", &DigestCredentials::algorithm, &DigestCredentials::has_algorithm},
    {"cnonce", &DigestCredentials::cnonce, &DigestCredentials::has_cnonce},
    {"opaque", &DigestCredentials::opaque, &DigestCredentials::has_opaque},
    {"qop", &DigestCredentials::qop, &DigestCredentials::has_qop},
    {"nc", &DigestCredentials::nc, &DigestCredentials::has_nc},
}};

}  // namespace

Result<DigestCredentials> parse_digest_credentials(std::string_view header_value) {
  if (header_value.size() > kMaxCredentialsHeader) return fail(Errc::BadHeaderValue, "credentials too long");
  Cursor cur(header_value);
  cur.skip_lws();
  if (!iequals(cur.token(), "Digest")) return fail(Errc::BadHeaderValue, "not Digest credentials");
  if (cur.done() || !is_lws(cur.peek())) return fail(Errc::BadHeaderValue, "no digest parameters");

  DigestCredentials creds;
  std::size_t count = 0;
  std::string_view value;
  std::string scratch;
  for (;;) {
    cur.skip_lws();
    if (cur.done()) break;
    if (cur.eat(',')) continue;  // empty list elements are allowed (RFC 7230 #rule)
    auto name = cur.token();
    if (name.empty()) return fail(Errc::BadHeaderValue, "bad digest parameter name");
    if (++count > kMaxCredentialsParams) return fail(Errc::BadHeaderValue, "too many digest parameters");
    cur.skip_lws();
    if (!cur.eat('=')) return fail(Errc::BadHeaderValue, "digest parameter without value");
    cur.skip_lws();
    if (!cur.value(value, scratch)) return fail(Errc::BadHeaderValue, "bad digest parameter value");
    for (const auto& f : kFields) {
      if (!iequals(name, f.name)) continue;
      if (creds.*f.present) return fail(Errc::BadHeaderValue, "repeated digest parameter");
      creds.*f.present = true;
      (creds.*f.value).assign(value);
      break;
    }
    cur.skip_lws();
    if (cur.done()) break;
    if (!cur.eat(',')) return fail(Errc::BadHeaderValue, "digest parameters must be comma-separated");
  }

  if (!creds.has_username || !creds.has_realm || !creds.has_nonce || !creds.has_uri || !creds.has_response) {
    return fail(Errc::BadHeaderValue, "digest credentials lack username, realm, nonce, uri or response");
  }
  if (creds.has_qop && (!creds.has_nc || !creds.has_cnonce)) {
    return fail(Errc::BadHeaderValue, "digest qop without nc or cnonce");
  }
  return creds;
}

}  // namespace callwire::auth
