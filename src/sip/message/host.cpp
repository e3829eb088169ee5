#include "sip/message/host.hpp"

#include <array>

#include "sip/message/chars.hpp"

namespace callwire::sip::host {

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t b = i;
    unsigned v = 0;
    while (i < s.size() && chars::is_digit(s[i]) && i - b < 3) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == b || v > 255) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
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

// Classes of hostname characters; 0 ends the run. kDot doubles as the state
// "at the start of a label" for the pair check below.
enum : std::uint8_t { kEnd = 0, kLetter = 1, kDigit = 2, kDash = 3, kDot = 4 };

constexpr std::array<std::uint8_t, 256> make_host_class() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= '0' && c <= '9') t[c] = kDigit;
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') t[c] = kLetter;
  }
  t['-'] = kDash;
  t['.'] = kDot;
  return t;
}
constexpr auto kHostClass = make_host_class();

// Bit (previous * 8 + current) is set for the pairs a hostname never has:
// an empty label ("..", a leading '.'), a label starting or ending in '-'.
constexpr std::uint64_t bad_pair(unsigned prev, unsigned cur) { return std::uint64_t{1} << (prev * 8 + cur); }
constexpr std::uint64_t kBadPairs = bad_pair(kDot, kDot) | bad_pair(kDot, kDash) | bad_pair(kDash, kDot);

}  // namespace

HostRun scan_hostname(std::string_view s) {
  const char* b = s.data();
  const char* e = b + s.size();
  const char* p = b;
  unsigned prev = kDot;  // the first label starts here
  std::uint64_t bad = 0;
  for (; p < e; ++p) {
    unsigned c = kHostClass[static_cast<unsigned char>(*p)];
    if (c == kEnd) break;
    bad |= kBadPairs >> (prev * 8 + c);
    prev = c;
  }
  HostRun run{static_cast<std::size_t>(p - b), false};
  if (run.size == 0 || run.size > 255 || (bad & 1) || prev == kDash) return run;
  // A numeric top label means an IPv4 address (toplabel starts with ALPHA);
  // after a trailing dot, the label before it decides.
  const char* top_end = prev == kDot ? p - 1 : p;
  const char* q = top_end;
  while (q > b && kHostClass[static_cast<unsigned char>(q[-1])] == kDigit) --q;
  bool numeric_top = q < top_end && (q == b || q[-1] == '.');
  if (prev == kDot) {
    run.valid = run.size > 1 && !numeric_top;
  } else {
    run.valid = !numeric_top || is_ipv4({b, run.size});
  }
  return run;
}

bool is_hostname(std::string_view s) {
  HostRun run = scan_hostname(s);
  return run.valid && run.size == s.size();
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  std::uint64_t v = 0;
  if (s.size() > 5 || !chars::parse_uint(s, 65535, v)) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace callwire::sip::host
