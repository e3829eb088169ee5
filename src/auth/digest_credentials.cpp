#include "auth/digest_credentials.hpp"

#include <array>

#include "sip/message/errc.hpp"
#include "core/text.hpp"

namespace callwire::auth {

namespace {

using sip::Errc;

bool is_lws(char c) { return c == ' ' || c == '\t'; }

// RFC 3261 token characters.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
      return true;
    default:
      return false;
  }
}

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
  // so an unquoted value runs to the next comma or LWS.
  bool value(std::string& out) {
    out.clear();
    if (!done() && peek() == '"') {
      ++i_;
      while (!done()) {
        char c = s_[i_++];
        if (c == '"') return true;
        if (c == '\\') {
          if (done()) return false;
          c = s_[i_++];
        }
        if (c == '\r' || c == '\n' || c == '\0') return false;
        out.push_back(c);
        if (out.size() > kMaxCredentialsParam) return false;
      }
      return false;  // unterminated
    }
    auto start = i_;
    while (!done() && peek() != ',' && !is_lws(peek())) {
      char c = peek();
      if (c == '"' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
      ++i_;
    }
    if (i_ - start > kMaxCredentialsParam) return false;
    out.assign(s_.substr(start, i_ - start));
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
  std::string value;
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
    if (!cur.value(value)) return fail(Errc::BadHeaderValue, "bad digest parameter value");
    for (const auto& f : kFields) {
      if (!iequals(name, f.name)) continue;
      if (creds.*f.present) return fail(Errc::BadHeaderValue, "repeated digest parameter");
      creds.*f.present = true;
      creds.*f.value = value;
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
