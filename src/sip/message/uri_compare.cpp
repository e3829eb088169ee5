// RFC 3261 §19.1.4 URI comparison, and RFC 3966 §4 for tel URIs.
#include <arpa/inet.h>

#include <cctype>
#include <cstring>
#include <string>

#include "sip/message/chars.hpp"
#include "sip/message/uri.hpp"

namespace callwire::sip {
namespace {

// "Characters other than those in the reserved set are equivalent to their
// %HH encoding": decode those, keep reserved ones escaped (hex upper-cased).
std::string normalize(std::string_view s, bool fold_case) {
  static constexpr std::string_view kReserved = ";/?:@&=+$,";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && chars::is_hex(s[i + 1]) && chars::is_hex(s[i + 2])) {
      char d = static_cast<char>(chars::hex_value(s[i + 1]) * 16 + chars::hex_value(s[i + 2]));
      if (kReserved.find(d) == std::string_view::npos) {
        out.push_back(fold_case ? chars::lower(d) : d);
      } else {
        out.push_back('%');
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 1]))));
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 2]))));
      }
      i += 2;
    } else {
      out.push_back(fold_case ? chars::lower(c) : c);
    }
  }
  return out;
}

bool same_host(const Uri& a, const Uri& b) {
  if (a.host_is_ipv6 != b.host_is_ipv6) return false;
  if (a.host_is_ipv6) {
    // [2001:DB8::1] and [2001:db8:0::1] are the same address.
    std::string ha(a.host), hb(b.host);
    unsigned char ba[16], bb[16];
    if (inet_pton(AF_INET6, ha.c_str(), ba) == 1 && inet_pton(AF_INET6, hb.c_str(), bb) == 1)
      return std::memcmp(ba, bb, 16) == 0;
  }
  return chars::iequals(a.host, b.host);
}

bool value_equal(const Param& x, const Param& y) {
  return x.has_value == y.has_value && normalize(x.value, true) == normalize(y.value, true);
}

// Params present in both must match; those named in `significant` must not
// appear in only one. transport is treated as significant too, as the
// §19.1.4 examples (sip:bob@biloxi.com vs ;transport=udp) require.
bool params_match(const Params& a, const Params& b) {
  static constexpr std::string_view kSignificant[] = {"user", "ttl", "method", "maddr", "transport"};
  for (const Param& p : a) {
    const Param* q = find_param(b, p.name);
    if (q) {
      if (!value_equal(p, *q)) return false;
    } else {
      for (auto s : kSignificant)
        if (chars::iequals(p.name, s)) return false;
    }
  }
  for (const Param& q : b) {
    if (find_param(a, q.name)) continue;
    for (auto s : kSignificant)
      if (chars::iequals(q.name, s)) return false;
  }
  return true;
}

// Header components are never ignored: same set, any order.
bool headers_match(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  for (const Param& p : a) {
    const Param* q = find_param(b, p.name);
    if (!q || !value_equal(p, *q)) return false;
  }
  return true;
}

std::string tel_digits(std::string_view n) {
  std::string out;
  for (char c : n)
    if (c != '-' && c != '.' && c != '(' && c != ')') out.push_back(chars::lower(c));
  return out;
}

bool tel_equivalent(const Uri& a, const Uri& b) {
  if (tel_digits(a.user) != tel_digits(b.user)) return false;
  if (a.params.size() != b.params.size()) return false;
  for (const Param& p : a.params) {
    const Param* q = find_param(b.params, p.name);
    if (!q || !value_equal(p, *q)) return false;
  }
  return true;
}

}  // namespace

bool uri_equivalent(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) return false;
  switch (a.scheme) {
    case Scheme::Tel:
      return tel_equivalent(a, b);
    case Scheme::Other: {
      if (!chars::iequals(a.scheme_text, b.scheme_text)) return false;
      auto ra = a.text.substr(a.scheme_text.size()), rb = b.text.substr(b.scheme_text.size());
      return normalize(ra, false) == normalize(rb, false);
    }
    case Scheme::Sip:
    case Scheme::Sips:
      break;
  }
  // userinfo is case-sensitive, everything else case-insensitive.
  if (normalize(a.user, false) != normalize(b.user, false)) return false;
  if (a.has_password != b.has_password || normalize(a.password, false) != normalize(b.password, false))
    return false;
  if (!same_host(a, b) || a.port != b.port) return false;
  return params_match(a.params, b.params) && headers_match(a.headers, b.headers);
}

}  // namespace callwire::sip
