#include "webhook/request.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cctype>

namespace callwire::webhook {

namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// Host (reg-name, IPv4 or [IPv6]) and optional port of an authority, after
// any userinfo. Loose on purpose: curl and the resolver judge the rest.
bool valid_authority(std::string_view auth) {
  if (auto at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
  if (auth.empty()) return false;
  std::string_view host = auth, port;
  if (auth.front() == '[') {
    auto close = auth.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : auth.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    host = auth.substr(0, close + 1);
    auto rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else {
    if (auto colon = auth.find(':'); colon != std::string_view::npos) {
      host = auth.substr(0, colon);
      port = auth.substr(colon + 1);
    }
    if (host.empty()) return false;
    for (char c : host) {
      auto u = static_cast<unsigned char>(c);
      if (!std::isalnum(u) && c != '-' && c != '.' && c != '_' && c != '~' && c != '%' && u < 0x80) return false;
    }
  }
  if (auth.size() > host.size() && port.empty()) return false;  // "host:" without digits
  if (!port.empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535) return false;
  }
  return true;
}

Status apply_int(std::string_view key, std::string_view text, int lo, int hi, int& out) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi) {
    return fail(Errc::BadUrl, "URL fragment: " + std::string(key) + "=" + std::string(text) + " is not an integer in " +
                                  std::to_string(lo) + ".." + std::to_string(hi));
  }
  out = value;
  return {};
}

bool known_policy(std::string_view token) {
  return token == "ct" || token == "rt" || token == "4xx" || token == "5xx" || token == "all";
}

template <class F>
void for_each_piece(std::string_view text, char sep, F&& f) {
  while (true) {
    auto pos = text.find(sep);
    f(text.substr(0, pos));
    if (pos == std::string_view::npos) return;
    text.remove_prefix(pos + 1);
  }
}

}  // namespace

Result<ParsedUrl> parse_webhook_url(std::string_view url, const Overrides& defaults) {
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return fail(Errc::BadUrl, "URL contains a space or control character");
  }
  std::size_t scheme_len = 0;
  if (iequals_prefix(url, "https://")) {
    scheme_len = 8;
  } else if (iequals_prefix(url, "http://")) {
    scheme_len = 7;
  } else {
    return fail(Errc::BadUrl, "URL must start with http:// or https://");
  }
  auto hash = url.find('#');
  std::string_view base = url.substr(0, hash);
  auto auth_end = base.find_first_of("/?", scheme_len);
  if (!valid_authority(base.substr(scheme_len, auth_end == std::string_view::npos ? auth_end : auth_end - scheme_len))) {
    return fail(Errc::BadUrl, "URL has no valid host");
  }

  ParsedUrl parsed{std::string(base), defaults};
  if (hash == std::string_view::npos) return parsed;

  Status status;
  for_each_piece(url.substr(hash + 1), '&', [&](std::string_view piece) {
    if (!status || piece.empty()) return;
    auto eq = piece.find('=');
    auto key = piece.substr(0, eq);
    auto value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    Overrides& o = parsed.overrides;
    if (key == "ct") {
      status = apply_int(key, value, 100, 10000, o.connect_timeout_ms);
    } else if (key == "rt") {
      status = apply_int(key, value, 100, 15000, o.read_timeout_ms);
    } else if (key == "tt") {
      status = apply_int(key, value, 100, 15000, o.total_timeout_ms);
    } else if (key == "rc") {
      status = apply_int(key, value, 0, 5, o.retries);
    } else if (key == "rp") {
      bool ok = !value.empty();
      for_each_piece(value, ',', [&](std::string_view token) { ok = ok && known_policy(token); });
      if (!ok) {
        status = fail(Errc::BadRetryPolicy, "URL fragment: rp=" + std::string(value) + " is not a retry policy");
      } else {
        o.retry_policy = std::string(value);
      }
    }
    // e, sni and unknown keys: ignored (see the header).
  });
  if (!status) return std::unexpected(status.error());
  return parsed;
}

bool retry_policy_covers(std::string_view policy, std::string_view kind) {
  bool covered = false;
  for_each_piece(policy, ',', [&](std::string_view token) { covered = covered || token == "all" || token == kind; });
  return covered;
}

namespace {
// ALPHA / DIGIT / "-" / "." / "_" / "~" (a table: std::isalnum asks the locale).
constexpr std::array<bool, 256> kUnreserved = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
  }
  return t;
}();

// Writes the encoding of `text` at `out` (room for 3 * text.size()); returns the end.
char* encode_into(char* out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (kUnreserved[u]) {
      *out++ = c;
    } else {
      out[0] = '%';
      out[1] = hex[u >> 4];
      out[2] = hex[u & 15];
      out += 3;
    }
  }
  return out;
}
}  // namespace

// Sized for the worst case (every byte escaped) and written through a
// pointer, then cut to length: one allocation, no capacity check per byte.
std::string form_encode(const Params& params) {
  std::size_t worst = 0;
  for (const auto& [name, value] : params) worst += 3 * (name.size() + value.size()) + 2;
  std::string out(worst, '\0');
  char* const begin = out.data();
  char* at = begin;
  for (const auto& [name, value] : params) {
    if (at != begin) *at++ = '&';
    at = encode_into(at, name);
    *at++ = '=';
    at = encode_into(at, value);
  }
  out.resize(static_cast<std::size_t>(at - begin));
  return out;
}

std::string append_query(std::string_view url, const Params& params) {
  std::string out(url.substr(0, url.find('#')));
  if (params.empty()) return out;
  auto q = out.find('?');
  if (q == std::string::npos) {
    out += '?';
  } else if (q + 1 != out.size() && out.back() != '&') {
    out += '&';
  }
  out += form_encode(params);
  return out;
}

}  // namespace callwire::webhook
