#include "sip/message/uri.hpp"

#include <cstring>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/host.hpp"
#include "sip/message/line_scan.hpp"
#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace {

using chars::excerpt;

Error uri_error(std::string_view what, std::string_view text) {
  return Error{make_error_code(Errc::BadUri), std::string(what) + " in URI \"" + excerpt(text) + "\""};
}

bool all_chars(std::string_view s, std::uint32_t cls, bool allow_escapes) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (chars::is(c, cls)) continue;
    if (allow_escapes && c == '%' && i + 2 < s.size() && chars::is_hex(s[i + 1]) && chars::is_hex(s[i + 2])) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

// "?h1=v1&h2=v2" after a SIP URI (RFC 3261 §19.1.1 headers).
std::optional<Error> parse_uri_headers(std::string_view s, Params& out, std::string_view text) {
  constexpr std::uint32_t kHnv = chars::kUnreserved | chars::kHeaderExtra;
  while (true) {
    std::size_t amp = s.find('&');
    std::string_view h = s.substr(0, amp);
    std::size_t eq = h.find('=');
    if (eq == std::string_view::npos || eq == 0) return uri_error("Bad header component", text);
    Param p{h.substr(0, eq), h.substr(eq + 1), true};
    if (!all_chars(p.name, kHnv, true) || (!p.value.empty() && !all_chars(p.value, kHnv, true)))
      return uri_error("Bad character in header component", text);
    out.push_back(p);
    if (amp == std::string_view::npos) return std::nullopt;
    s.remove_prefix(amp + 1);
  }
}

Status parse_sip(Uri& u, std::string_view rest, std::string_view text, bool with_params) {
  // userinfo: the user may hold ';', '?' and '/', but never '@' unescaped.
  std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    std::size_t colon = userinfo.find(':');
    u.user = userinfo.substr(0, colon);
    if (colon != std::string_view::npos) {
      u.password = userinfo.substr(colon + 1);
      u.has_password = true;
      if (!all_chars(u.password, chars::kUnreserved | chars::kPassExtra, true))
        return std::unexpected(uri_error("Bad character in password", text));
    }
    if (u.user.empty()) return std::unexpected(uri_error("Empty user part", text));
    if (!chars::all_have(u.user, chars::kUser) && !all_chars(u.user, chars::kUnreserved | chars::kUserExtra, true))
      return std::unexpected(uri_error("Bad character in user part", text));
    rest.remove_prefix(at + 1);
  }
  std::size_t i = 0;
  if (!rest.empty() && rest[0] == '[') {
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::unexpected(uri_error("Unterminated IPv6 reference", text));
    u.host = rest.substr(1, close - 1);
    u.host_is_ipv6 = true;
    if (!host::is_ipv6(u.host)) return std::unexpected(uri_error("Bad IPv6 address", text));
    i = close + 1;
  } else {
    host::HostRun run = host::scan_hostname(rest);
    i = run.size;
    u.host = rest.substr(0, i);
    if (u.host.empty()) return std::unexpected(uri_error("Missing host", text));
    if (!run.valid) return std::unexpected(uri_error("Bad host", text));
  }
  if (i < rest.size() && rest[i] == ':') {
    std::size_t b = ++i;
    while (i < rest.size() && chars::is_digit(rest[i])) ++i;
    u.port = host::parse_port(rest.substr(b, i - b));
    if (!u.port) return std::unexpected(uri_error("Bad port", text));
  }
  if (i < rest.size() && rest[i] != ';' && rest[i] != '?')
    return std::unexpected(uri_error("Unexpected character after host", text));
  rest.remove_prefix(i);
  std::size_t q = rest.find('?');
  if (!rest.empty() && rest[0] == ';') {
    if (!scan::uri_params(rest.substr(0, q), with_params ? &u.params : nullptr))
      return std::unexpected(uri_error("Bad parameter", text));
  }
  if (q != std::string_view::npos) {
    if (auto err = parse_uri_headers(rest.substr(q + 1), u.headers, text)) return std::unexpected(*err);
  }
  return {};
}

// RFC 3966 telephone-subscriber: global "+digits" or local number, then params.
Status parse_tel(Uri& u, std::string_view rest, std::string_view text, bool with_params) {
  std::size_t semi = rest.find(';');
  u.user = rest.substr(0, semi);
  bool digit = false;
  for (std::size_t i = 0; i < u.user.size(); ++i) {
    char c = u.user[i];
    if (c == '+' && i != 0) return std::unexpected(uri_error("Misplaced '+' in telephone number", text));
    if (!chars::is(c, chars::kTelChar)) return std::unexpected(uri_error("Bad character in telephone number", text));
    digit = digit || chars::is_hex(c) || c == '*' || c == '#';
  }
  if (!digit) return std::unexpected(uri_error("Telephone number without digits", text));
  if (semi != std::string_view::npos) {
    if (!scan::uri_params(rest.substr(semi), with_params ? &u.params : nullptr))
      return std::unexpected(uri_error("Bad parameter", text));
  }
  return {};
}

}  // namespace

namespace scan {

Status parse_uri_into(Uri& u, std::string_view text, bool with_params) {
  u.text = text;
  std::size_t i = 0;
  if (text.empty() || !chars::is_alpha(text[0])) return std::unexpected(uri_error("Missing scheme", text));
  while (i < text.size() && (chars::is_alpha(text[i]) || chars::is_digit(text[i]) || text[i] == '+' ||
                             text[i] == '-' || text[i] == '.'))
    ++i;
  if (i == text.size() || text[i] != ':') return std::unexpected(uri_error("Missing scheme", text));
  u.scheme_text = text.substr(0, i);
  std::string_view rest = text.substr(i + 1);
  if (chars::iequals(u.scheme_text, "sip")) {
    u.scheme = Scheme::Sip;
    return parse_sip(u, rest, text, with_params);
  }
  if (chars::iequals(u.scheme_text, "sips")) {
    u.scheme = Scheme::Sips;
    return parse_sip(u, rest, text, with_params);
  }
  if (chars::iequals(u.scheme_text, "tel")) {
    u.scheme = Scheme::Tel;
    return parse_tel(u, rest, text, with_params);
  }
  // Any other absoluteURI: opaque, but it must still be URI characters.
  u.scheme = Scheme::Other;
  if (rest.empty() || !all_chars(rest, chars::kUric, true))
    return std::unexpected(uri_error("Bad character", text));
  return {};
}

bool plain_sip_uri(std::string_view text) {
  const char* p = text.data();
  const char* e = p + text.size();
  if (text.size() > 4 && chars::iequals_letters(text.substr(0, 3), "sip") && p[3] == ':') {
    p += 4;
  } else if (text.size() > 5 && chars::iequals_letters(text.substr(0, 4), "sips") && p[4] == ':') {
    p += 5;
  } else {
    return false;
  }
  // The user stops at '@' (the first one: the user has none); a ':'
  // (password), '%' (escape) or anything else goes to the full parse.
  const char* u = lines::span<chars::kUser, '+', '.', '-', '_'>(p, e);
  if (u < e) {
    if (*u != '@' || u == p) return false;
    p = u + 1;
  }
  host::HostRun run = host::scan_hostname({p, static_cast<std::size_t>(e - p)});
  if (!run.valid) return false;
  p += run.size;
  if (p < e && *p == ':') {
    const char* d = ++p;
    std::uint32_t port = 0;
    while (p < e && chars::is_digit(*p) && p - d < 5) port = port * 10 + static_cast<unsigned>(*p++ - '0');
    if (p == d || port > 65535 || (p < e && chars::is_digit(*p))) return false;
  }
  // ;name[=value] with plain characters, up to the end (a '?' stops it).
  while (p < e) {
    if (*p != ';') return false;
    if (e - p > 11 && std::memcmp(p, ";transport=", 11) == 0) {  // the usual one, in one compare
      const char* v = p + 11;
      p = chars::span(v, e, chars::kUriParamPlain);
      if (p == v) return false;
      continue;
    }
    const char* n = ++p;
    p = chars::span(p, e, chars::kUriParamPlain);
    if (p == n) return false;
    if (p < e && *p == '=') {
      const char* v = ++p;
      p = chars::span(p, e, chars::kUriParamPlain);
      if (p == v) return false;
    }
  }
  return true;
}

}  // namespace scan

Result<Uri> parse_uri(std::string_view text) {
  Uri u;
  if (auto st = scan::parse_uri_into(u, text, true); !st) return std::unexpected(std::move(st.error()));
  return u;
}

std::string Uri::host_port() const {
  std::string out;
  out.reserve(host.size() + 8);
  if (host_is_ipv6) out += '[';
  out += host;
  if (host_is_ipv6) out += ']';
  if (port) {
    out += ':';
    out += std::to_string(*port);
  }
  return out;
}

}  // namespace callwire::sip
