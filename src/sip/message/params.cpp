#include "sip/message/params.hpp"

#include <new>
#include <string>
#include <type_traits>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/line_scan.hpp"
#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace scan {

std::size_t quoted_end(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      if (i + 1 >= s.size() || s[i + 1] == '\r' || s[i + 1] == '\n') return npos;
      ++i;
    }
  }
  return npos;
}

std::size_t list_comma(std::string_view s) {
  bool angle = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!chars::is(c, chars::kListSpecial)) continue;
    if (c == '"') {
      i = quoted_end(s, i);
      if (i == npos) return npos;
      --i;
    } else if (c == '<') {
      angle = true;
    } else if (c == '>') {
      angle = false;
    } else if (c == ',' && !angle) {
      return i;
    }
  }
  return npos;
}

bool is_gen_value(std::string_view v) {
  if (v.empty()) return false;
  if (v[0] == '"') return quoted_end(v, 0) == v.size();
  if (v[0] == '[') {  // IPv6 reference as a host value (received=[::1])
    if (v.back() != ']') return false;
    for (char c : v.substr(1, v.size() - 2))
      if (!chars::is_hex(c) && c != ':' && c != '.') return false;
    return v.size() > 2;
  }
  // token covers hostname and IPv4address; ':' appears in some real-world
  // values (e.g. +sip.instance without quotes) and is harmless here.
  for (char c : v)
    if (!chars::is_token(c) && c != ':') return false;
  return true;
}

bool simple_params(std::string_view text, bool stop_at_comma, SimpleParams& out) {
  static_assert(std::is_trivially_destructible_v<Param>);
  const char* s = text.data();
  const char* e = s + text.size();
  const char* p = s;
  int count = 0;
  unsigned valued = 0, colon = 0;
  while (p < e) {
    if (*p != ';') {
      if (*p == ',' && stop_at_comma) break;
      return false;
    }
    if (count == SimpleParams::kMax) return false;
    const char* b = ++p;
    p = chars::span(p, e, chars::kToken);
    if (p == b) return false;
    Param* prm = ::new (static_cast<void*>(out.slots_ + count * sizeof(Param))) Param;
    prm->name = std::string_view(b, static_cast<std::size_t>(p - b));
    if (p < e && *p == '=') {
      const char* vb = ++p;
      // Values (a branch, an address) run longer than names: 16 bytes a step.
      p = lines::span<chars::kToken, '.', '-', '_'>(p, e);
      if (p < e && *p == ':') {  // not a token, but still a plain value
        colon |= 1u << count;
        p = chars::span(p, e, chars::kPlainValue);
      }
      if (p == vb) return false;
      prm->value = std::string_view(vb, static_cast<std::size_t>(p - vb));
      prm->has_value = true;
      valued |= 1u << count;
    }
    ++count;
  }
  out.count_ = count;
  out.valued_ = valued;
  out.colon_ = colon;
  out.end_ = static_cast<std::size_t>(p - s);
  return true;
}

// Works on locals and stores the position once: with the members, GCC
// writes i_ back to memory on every character.
bool HeaderParamCursor::next(Param& p) {
  if (!error_.empty()) return false;
  const char* s = s_.data();
  std::size_t n = s_.size();
  std::size_t i = i_;
  auto stop = [&](std::string_view err) {
    i_ = i;
    error_ = err;
    return false;
  };
  while (i < n && chars::is_ws(s[i])) ++i;
  if (i == n || (s[i] == ',' && stop_at_comma_)) {
    i_ = i;
    return false;
  }
  if (s[i] != ';') return stop("expected ';' before parameter");
  ++i;
  while (i < n && chars::is_ws(s[i])) ++i;
  std::size_t b = i;
  while (i < n && chars::is_token(s[i])) ++i;
  if (i == b) return stop("empty parameter name");
  p.name = std::string_view(s + b, i - b);
  p.value = {};
  p.has_value = false;
  std::size_t save = i;
  while (i < n && chars::is_ws(s[i])) ++i;
  if (i < n && s[i] == '=') {
    ++i;
    while (i < n && chars::is_ws(s[i])) ++i;
    std::size_t vb = i;
    if (i < n && s[i] == '"') {
      i = scan::quoted_end(s_, i);
      if (i == npos) {
        i = n;
        return stop("unterminated quoted parameter value");
      }
    } else {
      // One pass that both finds the end and validates (token / host).
      while (i < n && chars::is_gen_value_char(s[i])) ++i;
      if (i == vb) return stop("parameter without value after '='");
      if (i < n && s[i] != ';' && s[i] != ',' && !chars::is_ws(s[i])) return stop("bad parameter value");
    }
    p.value = std::string_view(s + vb, i - vb);
    if (p.value[0] == '[' && !is_gen_value(p.value)) return stop("bad IPv6 reference in parameter value");
    p.has_value = true;
  } else {
    i = save;
  }
  i_ = i;
  return true;
}

}  // namespace scan

Result<Params> parse_header_params(std::string_view text) {
  Params out;
  scan::HeaderParamCursor cur(text);
  Param p;
  while (cur.next(p)) out.push_back(p);
  if (cur.failed())
    return fail(Errc::BadParam, std::string("Bad header parameter (") + std::string(cur.error()) +
                                    ") in \"" + chars::excerpt(text) + "\"");
  return out;
}

namespace scan {

Status uri_params(std::string_view text, Params* out) {
  std::size_t i = 0, n = text.size();
  while (i < n) {
    if (text[i] != ';')
      return fail(Errc::BadParam, "Bad URI parameter: expected ';' in \"" + chars::excerpt(text) + "\"");
    ++i;
    std::size_t b = i;
    bool escapes = false;  // only then the %HH check below needs a pass
    for (; i < n && chars::is(text[i], chars::kUriParam); ++i) escapes |= text[i] == '%';
    Param p;
    p.name = text.substr(b, i - b);
    if (p.name.empty())
      return fail(Errc::BadParam, "Empty URI parameter name in \"" + chars::excerpt(text) + "\"");
    if (i < n && text[i] == '=') {
      std::size_t vb = ++i;
      for (; i < n && chars::is(text[i], chars::kUriParam); ++i) escapes |= text[i] == '%';
      p.value = text.substr(vb, i - vb);
      p.has_value = true;
      if (p.value.empty())
        return fail(Errc::BadParam, "URI parameter " + chars::excerpt(p.name) + " has '=' but no value");
    }
    if (i < n && text[i] != ';')
      return fail(Errc::BadParam, "Bad character in URI parameter in \"" + chars::excerpt(text) + "\"");
    if (escapes && (!chars::escapes_ok(p.name) || !chars::escapes_ok(p.value)))
      return fail(Errc::BadParam, "Bad %-escape in URI parameter \"" + chars::excerpt(p.name) + "\"");
    if (out) out->push_back(p);
  }
  return {};
}

}  // namespace scan

Result<Params> parse_uri_params(std::string_view text) {
  Params out;
  if (auto st = scan::uri_params(text, &out); !st) return std::unexpected(std::move(st.error()));
  return out;
}

const Param* find_param(const Params& params, std::string_view name) {
  return find_param(std::span<const Param>(params), name);
}

const Param* find_param(std::span<const Param> params, std::string_view name) {
  for (const Param& p : params)
    if (chars::iequals(p.name, name)) return &p;
  return nullptr;
}

std::vector<std::string_view> split_list(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t c = scan::list_comma(value);
    std::string_view elem = chars::trim(value.substr(0, c));
    if (!elem.empty()) out.push_back(elem);
    if (c == scan::npos) break;
    value.remove_prefix(c + 1);
  }
  return out;
}

std::string unquote(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  std::string out;
  out.reserve(text.size() - 2);
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && chars::is_hex(text[i + 1]) && chars::is_hex(text[i + 2])) {
      out.push_back(static_cast<char>(chars::hex_value(text[i + 1]) * 16 + chars::hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

namespace chars {

std::string excerpt(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t n = s.size() < max ? s.size() : max;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace chars
}  // namespace callwire::sip
