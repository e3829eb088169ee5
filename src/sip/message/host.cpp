#include "sip/message/host.hpp"

#include <array>

#include "sip/message/chars.hpp"
#include "sip/message/line_scan.hpp"

namespace callwire::sip::host {

namespace {
inline std::size_t ipv4_run(const char* b, const char* e);
}  // namespace

// A dotted quad is exactly a host run that ipv4_run takes whole.
bool is_ipv4(std::string_view s) {
  std::size_t n = ipv4_run(s.data(), s.data() + s.size());
  return n != 0 && n == s.size();
}

bool is_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    compressed = true;
    i = 2;
    if (i == s.size()) return true;  // "::"
  }
  while (i < s.size()) {
    std::size_t b = i;
    while (i < s.size() && chars::is_hex(s[i]) && i - b < 5) ++i;
    std::size_t len = i - b;
    if (i < s.size() && s[i] == '.') {  // trailing IPv4 takes two groups
      if (!is_ipv4(s.substr(b))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

namespace {

[[gnu::always_inline]] inline std::size_t ipv4_run(const char* b, const char* e) { return ipv4_prefix(b, e); }

}  // namespace

namespace {

// The usual host: a run shorter than 16 bytes with 16 readable. Its length
// when the run breaks no label rule (then the general scan's p), else 0.
[[gnu::always_inline]] inline std::size_t short_label_run(const char* b) {
#if defined(__SSE2__)
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
  auto eq = [v](char c) { return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)))); };
  unsigned dot = eq('.'), dash = eq('-');
  unsigned host = lines::alnum16(v) | eq('_') | dot | dash;
  unsigned other = ~host & 0xffff;
  if (other == 0) return 0;  // 16 or more: the general scan
  unsigned run = static_cast<unsigned>(__builtin_ctz(other));
  unsigned in = (1u << run) - 1;
  dot &= in;
  dash &= in;
  // A label may not be empty, start with '-' or end with '-' (the last
  // byte is checked by the caller).
  if (run == 0 || ((dot | dash) & 1) || (dot & (dot >> 1)) || (dash & (dot >> 1)) || (dot & (dash >> 1))) return 0;
  return run;
#else
  (void)b;
  return 0;
#endif
}

}  // namespace

HostRun scan_hostname(std::string_view s) {
  const char* b = s.data();
  const char* e = b + s.size();
  if (std::size_t n = ipv4_run(b, e)) return {n, true};
  const char* p = b;
  bool bad = false;
  if (std::size_t n = e - b >= 16 ? short_label_run(b) : 0) {
    p = b + n;
  } else {
    // Labels of alphanum (and '_'), joined by '.', with inner '-': check the
    // rules only at the '.' and '-' between the alphanumeric runs.
    const char* label = b;  // start of the current label
    while (true) {
      p = chars::span(p, e, chars::kLabel);
      if (p == e) break;
      if (*p == '.') {
        bad |= p == label || p[-1] == '-';  // empty label, or one ending in '-'
        label = ++p;
      } else if (*p == '-') {
        bad |= p == label;  // label starting with '-'
        ++p;
      } else {
        break;
      }
    }
  }
  HostRun run{static_cast<std::size_t>(p - b), false};
  if (run.size == 0 || run.size > 255 || bad || p[-1] == '-') return run;
  // A numeric top label means an IPv4 address (toplabel starts with ALPHA);
  // after a trailing dot, the label before it decides.
  bool trailing_dot = p[-1] == '.';
  const char* top_end = trailing_dot ? p - 1 : p;
  const char* q = top_end;
  while (q > b && chars::is_digit(q[-1])) --q;
  bool numeric_top = q < top_end && (q == b || q[-1] == '.');
  if (trailing_dot)
    run.valid = run.size > 1 && !numeric_top;
  else
    run.valid = !numeric_top || is_ipv4({b, run.size});
  return run;
}

bool is_hostname(std::string_view s) {
  HostRun run = scan_hostname(s);
  return run.valid && run.size == s.size();
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  // Five digits at most: no overflow, one range check at the end.
  std::uint32_t v = 0;
  for (char c : s) {
    auto d = static_cast<unsigned>(c - '0');
    if (d > 9) return std::nullopt;
    v = v * 10 + d;
  }
  if (v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace callwire::sip::host
