#pragma once
// Character classes of the RFC 3261 grammar as 256-entry tables, plus the
// small scanning helpers every parser in this folder shares. Private to
// callwire_sip_message.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <string_view>

namespace callwire::sip::chars {

enum : std::uint32_t {
  kToken = 1 << 0,       // token: alphanum - . ! % * _ + ` ' ~
  kUnreserved = 1 << 1,  // alphanum - _ . ! ~ * ' ( )
  kUserExtra = 1 << 2,   // user-unreserved: & = + $ , ; ? /
  kPassExtra = 1 << 3,   // password extras: & = + $ ,
  kParamExtra = 1 << 4,  // param-unreserved: [ ] / : & + $
  kHeaderExtra = 1 << 5, // hnv-unreserved: [ ] / ? : + $
  kHost = 1 << 6,        // hostname: alphanum - . (and _ leniently)
  kWord = 1 << 7,        // word (Call-ID): token plus ( ) < > : \ " / [ ] ? { }
  kUric = 1 << 8,        // uric of absoluteURI: reserved / unreserved / escaped(%)
  kDigit = 1 << 9,
  kAlpha = 1 << 10,
  kHex = 1 << 11,
  kTelChar = 1 << 12,    // tel number: hex digits * # + and visual separators - . ( )
  kListSpecial = 1 << 13,  // what a comma-list scan must look at: " < > ,
  kCallId = 1 << 14,     // callid = word [ "@" word ]
  kScheme = 1 << 15,     // scheme chars after the first ALPHA: alphanum + - .
  kGenValue = 1 << 16,   // gen-value without quotes: token, host (IPv6 brackets, ':')
  kUriParam = 1 << 17,   // URI param chars: unreserved, param-unreserved, '%'
  kUser = 1 << 18,       // user chars without escapes: unreserved, user-unreserved
  kPlainValue = 1 << 19, // param value in its usual form: token or ':' (no quotes, brackets)
  kLabel = 1 << 20,      // hostname label chars: alphanum and '_' (kHost without '-' '.')
  kUriParamPlain = 1 << 21,  // kUriParam without '%' (no escapes to check)
};


constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> t{};
  auto add = [&](std::string_view s, std::uint32_t f) {
    for (unsigned char c : s) t[c] |= f;
  };
  for (int c = 0; c < 256; ++c) {
    bool digit = c >= '0' && c <= '9';
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit) t[c] |= kDigit | kHex | kTelChar;
    if (alpha) t[c] |= kAlpha;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) t[c] |= kHex | kTelChar;
    if (digit || alpha) t[c] |= kToken | kUnreserved | kHost | kWord | kUric;
  }
  add("-.!%*_+`'~", kToken | kWord);
  add("-_.!~*'()", kUnreserved | kWord | kUric);
  add("&=+$,;?/", kUserExtra);
  add("&=+$,", kPassExtra);
  add("[]/:&+$", kParamExtra);
  add("[]/?:+$", kHeaderExtra);
  add("-._", kHost);
  add("()<>:\\\"/[]?{}", kWord);
  add(";/?:@&=+$,%[]", kUric);
  add("*#+-.()", kTelChar);
  add("\"<>,", kListSpecial);
  for (int c = 0; c < 256; ++c)
    if (t[c] & (kAlpha | kDigit)) t[c] |= kScheme;
  add("+-.", kScheme);
  for (int c = 0; c < 256; ++c)
    if (t[c] & kWord) t[c] |= kCallId;
  t['@'] |= kCallId;
  for (int c = 0; c < 256; ++c) {
    if (t[c] & kToken) t[c] |= kGenValue;
    if (t[c] & (kUnreserved | kParamExtra)) t[c] |= kUriParam;
    if (t[c] & (kUnreserved | kUserExtra)) t[c] |= kUser;
    if (t[c] & kToken) t[c] |= kPlainValue;
    if ((t[c] & kHost) && c != '-' && c != '.') t[c] |= kLabel;
    if ((t[c] & kUriParam) && c != '%') t[c] |= kUriParamPlain;
  }
  t[':'] |= kPlainValue;
  add(":[]", kGenValue);
  add("%", kUriParam);
  return t;
}

inline constexpr std::array<std::uint32_t, 256> kTable = make_table();

constexpr bool is(char c, std::uint32_t cls) { return (kTable[static_cast<unsigned char>(c)] & cls) != 0; }
constexpr bool is_token(char c) { return is(c, kToken); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return is(c, kAlpha); }
constexpr bool is_hex(char c) { return is(c, kHex); }
// Nearly every byte tested is above SP: one compare settles it.
constexpr bool is_ws(char c) { return static_cast<unsigned char>(c) <= ' ' && (c == ' ' || c == '\t'); }
// gen-value without quotes: token / host (IPv6 reference brackets and ':').
constexpr bool is_gen_value_char(char c) { return is(c, kGenValue); }

constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Case-insensitive ASCII equality.
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Case-insensitive equality with a lowercase literal made of letters only:
// OR-ing 0x20 folds exactly the ASCII letters onto it, so the compare needs
// no table and no branch per byte.
// Names of 2 to 16 letters take two overlapping loads instead of a byte
// loop.
template <typename Word, std::size_t N>
constexpr Word letters_word(const char (&lit)[N], std::size_t at) {
  Word w = 0;
  for (std::size_t k = 0; k < sizeof(Word); ++k) w |= Word{static_cast<unsigned char>(lit[at + k])} << (8 * k);
  return w;
}

template <typename Word>
inline Word load_word(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

template <std::size_t N>
constexpr bool iequals_letters(std::string_view s, const char (&lit)[N]) {
  constexpr std::size_t n = N - 1;
  if (s.size() != n) return false;
  if !consteval {
    if constexpr (n >= 2 && n <= 16 && std::endian::native == std::endian::little) {
      using Word = std::conditional_t<(n < 4), std::uint16_t,
                                      std::conditional_t<(n < 8), std::uint32_t, std::uint64_t>>;
      constexpr Word fold = static_cast<Word>(0x2020202020202020ull);
      const Word head = letters_word<Word>(lit, 0), tail = letters_word<Word>(lit, n - sizeof(Word));
      Word a = load_word<Word>(s.data()) | fold, b = load_word<Word>(s.data() + n - sizeof(Word)) | fold;
      return ((a ^ head) | (b ^ tail)) == 0;
    }
  }
  unsigned diff = 0;
  for (std::size_t i = 0; i + 1 < N; ++i)
    diff |= static_cast<unsigned char>(s[i] | 0x20) ^ static_cast<unsigned char>(lit[i]);
  return diff == 0;
}

// True when every character of `s` is in `cls` (and `s` is not empty).
constexpr bool all_of(std::string_view s, std::uint32_t cls) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is(c, cls)) return false;
  return true;
}

// True when every character of `s` (possibly empty) has the class bit
// `bit`. AND-ing the table entries costs no branch per byte, which pays on
// long values (Call-ID, URIs) that are nearly always valid.
[[gnu::always_inline]] constexpr bool all_have(std::string_view s, std::uint32_t bit) {
  const char* p = s.data();
  std::size_t n = s.size(), i = 0;
  std::uint32_t acc = ~std::uint32_t{0};
  auto at = [&](std::size_t k) { return kTable[static_cast<unsigned char>(p[k])]; };
  for (; i + 4 <= n; i += 4) acc &= at(i) & at(i + 1) & at(i + 2) & at(i + 3);
  for (; i < n; ++i) acc &= at(i);
  return (acc & bit) != 0;
}

constexpr bool is_token(std::string_view s) { return !s.empty() && all_have(s, kToken); }

// The end of the run of characters with class bit `bit` starting at p
// (at most e). Unrolled by four with one bound check per four bytes: SIP
// runs are short, so where a run ends matters more than its middle.
constexpr const char* span(const char* p, const char* e, std::uint32_t bit) {
  auto in = [bit](const char* q) { return (kTable[static_cast<unsigned char>(*q)] & bit) != 0; };
  for (; e - p >= 4; p += 4) {
    if (!in(p)) return p;
    if (!in(p + 1)) return p + 1;
    if (!in(p + 2)) return p + 2;
    if (!in(p + 3)) return p + 3;
  }
  while (p < e && in(p)) ++p;
  return p;
}

constexpr std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_ws(s[b])) ++b;
  while (e > b && is_ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Parses 1*DIGIT; false when empty, not all digits, or above `max`.
// Leading zeros are fine ("0068").
constexpr bool parse_uint(std::string_view s, std::uint64_t max, std::uint64_t& out) {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > max) return false;
  }
  out = v;
  return true;
}

// The run of ASCII digits at p, up to 8 of them, and its value, from one
// 8-byte load (p must have 8 readable bytes). count is 8 when all 8 are
// digits (the run may go on).
struct Digits {
  unsigned count;
  std::uint32_t value;
};
inline Digits digits8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  // Below the first byte that is not a digit, no byte borrows or carries:
  // that byte is the lowest with its top bit set in one of the two.
  std::uint64_t d = x - 0x3030303030303030ull;
  std::uint64_t non = (d | (d + 0x7676767676767676ull)) & 0x8080808080808080ull;
  unsigned count = non ? static_cast<unsigned>(__builtin_ctzll(non)) / 8 : 8;
  if (count == 0) return {0, 0};
  // The digits to the top bytes, zeros (leading zeros) below; then pairs,
  // fours and eights of digits combined (little-endian: the first digit is
  // the lowest byte).
  d <<= 8 * (8 - count);
  d = ((d & 0x0f0f0f0f0f0f0f0full) * 2561) >> 8;
  d = ((d & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
  d = ((d & 0x0000ffff0000ffffull) * 42949672960001ull) >> 32;
  return {count, static_cast<std::uint32_t>(d)};
}

// Escapes of `%HH` are well formed everywhere in `s`.
constexpr bool escapes_ok(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
    i += 2;
  }
  return true;
}

// A short, printable excerpt of untrusted input for error details: at most
// `max` bytes, control and non-ASCII bytes shown as '?'.
std::string excerpt(std::string_view s, std::size_t max = 64);

}  // namespace callwire::sip::chars
