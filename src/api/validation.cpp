#include "api/validation.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "core/sid.hpp"
#include "http/values.hpp"
#include "core/text.hpp"

namespace callwire::api {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Code points in `s`, or nullopt when it is not valid UTF-8 (overlongs,
// surrogates and values past U+10FFFF included).
std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    i += len;
  }
  return n;
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%';
}

}  // namespace

std::optional<std::string> normalize_sid(std::string_view text, std::string_view prefix) {
  if (!is_sid(text, prefix)) return std::nullopt;
  std::string out(text);
  std::transform(out.begin() + static_cast<std::ptrdiff_t>(prefix.size()), out.end(),
                 out.begin() + static_cast<std::ptrdiff_t>(prefix.size()), lower);
  return out;
}

ApiResult<std::string> required_param(const http::Params& form, std::string_view name) {
  auto v = form.get(name);
  if (!v || v->empty()) return missing_param(name);
  return std::string(*v);
}

ApiResult<void> check_friendly_name(std::string_view value, std::size_t max, std::string_view name) {
  auto len = utf8_length(value);
  if (!len) return bad_request(fmt::format("Invalid {}: it must be valid UTF-8", name), kCodeInvalidFriendlyName);
  if (*len > max) {
    return bad_request(fmt::format("Invalid {}: it must be at most {} characters long (got {})", name, max, *len),
                       kCodeInvalidFriendlyName);
  }
  return {};
}

ApiResult<void> check_url(std::string_view name, std::string_view value) {
  auto invalid = [&](std::string_view why) {
    return bad_request(fmt::format("Invalid URL: {} {}", name, why), kCodeInvalidUrl);
  };
  if (value.size() > 4096) return invalid("is longer than 4096 characters");
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return invalid("contains a space or a control character");
  }
  std::string_view rest;
  if (value.size() >= 7 && iequals(value.substr(0, 7), "http://")) {
    rest = value.substr(7);
  } else if (value.size() >= 8 && iequals(value.substr(0, 8), "https://")) {
    rest = value.substr(8);
  } else {
    return invalid("must be an absolute http:// or https:// URL");
  }
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid("has an unterminated IPv6 host");
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("has text after the IPv6 host");
      port = after.substr(1);
    }
    in6_addr a{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &a) != 1) return invalid("has an invalid IPv6 host");
  } else {
    if (auto colon = authority.find(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (host.empty()) return invalid("has no host");
    if (!std::all_of(host.begin(), host.end(), is_host_char)) return invalid("has an invalid host");
  }
  if (authority.find(':') != std::string_view::npos && !authority.starts_with('[') && port.empty())
    return invalid("has an empty port");
  if (!port.empty()) {
    auto p = http::parse_int(port, 1, 65535);
    if (!p || port.front() == '-') return invalid("has an invalid port");
  }
  return {};
}

ApiResult<std::string> parse_http_method(std::string_view name, std::string_view value) {
  if (iequals(value, "GET")) return std::string("GET");
  if (iequals(value, "POST")) return std::string("POST");
  return bad_request(fmt::format("Invalid HTTP method: {} must be GET or POST", name), kCodeInvalidMethod);
}

ApiResult<bool> parse_boolean(std::string_view name, std::string_view value) {
  auto b = http::parse_bool(value);
  if (!b) return bad_request(fmt::format("Invalid {}: it must be true or false", name));
  return *b;
}

ApiResult<std::optional<std::string>> parse_optional_sid(std::string_view name, std::string_view value,
                                                         std::string_view prefix) {
  if (value.empty()) return std::optional<std::string>{};
  auto sid = normalize_sid(value, prefix);
  if (!sid) return bad_request(fmt::format("Invalid {}: it must be {} followed by 32 hex digits", name, prefix));
  return sid;
}

ApiResult<void> check_username(std::string_view value) {
  if (value.size() > 32) {
    return bad_request(fmt::format("Invalid Username: it must be at most 32 characters long (got {})", value.size()));
  }
  static constexpr std::string_view kAllowed = "-_.!~*'()&=+$,;?/";
  for (char c : value) {
    if (std::isalnum(static_cast<unsigned char>(c)) || kAllowed.find(c) != std::string_view::npos) continue;
    return bad_request(
        "Invalid Username: only letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? / are allowed");
  }
  return {};
}

ApiResult<void> check_password(std::string_view value) {
  auto len = utf8_length(value);
  if (!len) return bad_request("Invalid Password: it must be valid UTF-8");
  if (*len < 12) return bad_request("Invalid Password: it must be at least 12 characters long");
  auto has = [&](int (*pred)(int)) {
    return std::any_of(value.begin(), value.end(), [&](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
  };
  if (!has(::isdigit)) return bad_request("Invalid Password: it must contain at least one digit");
  if (!has(::isupper)) return bad_request("Invalid Password: it must contain at least one upper-case letter");
  if (!has(::islower)) return bad_request("Invalid Password: it must contain at least one lower-case letter");
  return {};
}

ApiResult<IpLiteral> parse_ip_literal(std::string_view value) {
  if (value.find_first_of("*/-") != std::string_view::npos || value.empty()) {
    return bad_request(
        "Invalid IpAddress: give one full IPv4 or IPv6 address; wildcards and ranges are not accepted, "
        "use CidrPrefixLength for a range");
  }
  std::string s(value);
  char buf[INET6_ADDRSTRLEN] = {};
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    inet_ntop(AF_INET, &a4, buf, sizeof buf);
    return IpLiteral{buf, false};
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    inet_ntop(AF_INET6, &a6, buf, sizeof buf);
    return IpLiteral{buf, true};
  }
  return bad_request(fmt::format(
      "Invalid IpAddress: '{}' is not a full IPv4 (a.b.c.d) or IPv6 address; use CidrPrefixLength for a range",
      value.substr(0, 64)));
}

ApiResult<void> check_cidr_prefix(int prefix, bool v6) {
  const int max = v6 ? 128 : 32;
  if (prefix < 0 || prefix > max) {
    return bad_request(fmt::format("Invalid CidrPrefixLength: it must be from 0 to {} for an {} address", max,
                                   v6 ? "IPv6" : "IPv4"));
  }
  return {};
}

ApiResult<int> parse_cidr_prefix(std::string_view value, bool v6) {
  auto n = http::parse_int(value, 0, 128);
  if (!n) {
    return bad_request(fmt::format("Invalid CidrPrefixLength: it must be an integer from 0 to {}", v6 ? 128 : 32));
  }
  auto prefix = static_cast<int>(*n);
  if (auto ok = check_cidr_prefix(prefix, v6); !ok) return std::unexpected(ok.error());
  return prefix;
}

}  // namespace callwire::api
