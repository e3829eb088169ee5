#pragma once
// Line scanning for the message parser, 16 bytes at a time with SSE2.
// Private to callwire_sip_message.
//
// Precondition: the buffer stays readable for kPadding bytes past `end`, and
// those bytes hold none of the bytes searched for. The parser's owned block
// ends with a NUL and zero padding for exactly this (header values lie
// inside it), so the loops need no scalar tail.
#include <cstddef>
#include <cstdint>

#include "sip/message/chars.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace callwire::sip::lines {

// EolMap reads 64 bytes from any position up to `end`.
inline constexpr std::size_t kPadding = 64;

#if defined(__SSE2__)

// The first byte equal to A or B in [p, end), or end.
template <char A, char B>
inline const char* find_either(const char* p, const char* end) {
  const __m128i a = _mm_set1_epi8(A);
  const __m128i b = _mm_set1_epi8(B);
  for (; p < end; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)))) {
      const char* r = p + __builtin_ctz(static_cast<unsigned>(mask));
      return r < end ? r : end;
    }
  }
  return end;
}

// The first CR or LF in [p, end), or end.
inline const char* find_eol(const char* p, const char* end) { return find_either<'\r', '\n'>(p, end); }

// A header line's colon and line end in one pass: returns the first ':',
// CR or LF in [p, end) (or end); when that is a ':', `eol` is the first CR
// or LF after it (or end). Most lines need one or two 16-byte loads.
inline const char* find_colon_and_eol(const char* p, const char* end, const char*& eol) {
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i colon = _mm_set1_epi8(':');
  for (; p < end; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    auto e = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
    auto c = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, colon)));
    if ((e | c) == 0) continue;
    unsigned at = static_cast<unsigned>(__builtin_ctz(e | c));
    const char* first = p + at;
    if (first >= end) return end;
    if (!(c >> at & 1)) return first;  // a line end before any colon
    e &= ~((2u << at) - 1);            // line ends after the colon
    eol = e ? p + __builtin_ctz(e) : find_eol(p + 16, end);
    if (eol > end) eol = end;
    return first;
  }
  return end;
}

// The line ends of a block from bit masks, 64 bytes at a time: a
// message's line ends cost one mask per 64 bytes instead of a search per
// line. The masks mark every byte up to '\r' (CR, LF, and the rare TAB or
// other control byte, which find() steps over): one compare per 16 bytes
// instead of two. Each find(q) needs q <= end (the block's end, whose NUL
// ends every search) and q past the previous answer (at the first, q >= p),
// as a parser moving forward asks.
class EolMap {
 public:
  EolMap(const char* p, const char* end) : base_(p), end_(end), bits_(mask64(p)) {}

  // The first CR or LF in [q, end), or end.
  const char* find(const char* q) {
    while (true) {
      if (q - base_ >= 64) {
        base_ = q;
        bits_ = mask64(q);
      }
      std::uint64_t m = bits_ >> (q - base_);
      while (m == 0) {
        base_ += 64;
        if (base_ >= end_) return end_;
        q = base_;
        m = bits_ = mask64(q);
      }
      const char* c = q + __builtin_ctzll(m);
      if (*c == '\n' || *c == '\r') [[likely]]
        return c;
      if (c >= end_) return end_;
      q = c + 1;
    }
  }

 private:
  static std::uint64_t mask16(const char* p) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i low = _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8('\r')), _mm_setzero_si128());
    return static_cast<std::uint32_t>(_mm_movemask_epi8(low));
  }
  static std::uint64_t mask64(const char* p) {
    return mask16(p) | mask16(p + 16) << 16 | mask16(p + 32) << 32 | mask16(p + 48) << 48;
  }

  const char* base_;
  const char* end_;
  std::uint64_t bits_;
};

// The first ':' among the 16 bytes at p as a bit mask (0: none there).
inline unsigned colon16(const char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
}

constexpr bool alnum_in(std::uint32_t bit) {
  for (int c = 0; c < 256; ++c)
    if (chars::is(static_cast<char>(c), chars::kAlpha | chars::kDigit) && !chars::is(static_cast<char>(c), bit))
      return false;
  return true;
}

// chars::all_have(s, Bit) for [p, p + n), 16 bytes a step when they are
// all letters, digits or one of Common (a few characters of the class that
// its usual values use); a step with anything else is checked against the
// table. Common must lie in the class (checked at compile time).
template <std::uint32_t Bit, char... Common>
inline bool all_in(const char* p, std::size_t n) {
  static_assert(alnum_in(Bit) && (chars::is(Common, Bit) && ...));
  const __m128i zero = _mm_setzero_si128();
  for (std::size_t i = 0; i < n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i good = _mm_or_si128(_mm_cmpeq_epi8(_mm_subs_epu8(letter, _mm_set1_epi8(25)), zero),
                                _mm_cmpeq_epi8(_mm_subs_epu8(digit, _mm_set1_epi8(9)), zero));
    ((good = _mm_or_si128(good, _mm_cmpeq_epi8(v, _mm_set1_epi8(Common)))), ...);
    std::size_t k = n - i < 16 ? n - i : 16;
    unsigned want = (1u << k) - 1;
    if ((static_cast<unsigned>(_mm_movemask_epi8(good)) & want) == want) continue;
    if (!chars::all_have({p + i, k}, Bit)) return false;
  }
  return true;
}

// Letters and digits among the 16 bytes at p, as a bit mask.
inline unsigned alnum16(__m128i v) {
  const __m128i zero = _mm_setzero_si128();
  __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(_mm_subs_epu8(letter, _mm_set1_epi8(25)), zero),
                                                              _mm_cmpeq_epi8(_mm_subs_epu8(digit, _mm_set1_epi8(9)), zero))));
}

// chars::span(p, e, Bit) for a class holding all letters and digits: 16
// bytes a step while at least 16 are left (the loads never pass e, so any
// buffer will do), skipping letters, digits and Common at once; a byte
// outside those is looked up in the table. Common must lie in the class.
template <std::uint32_t Bit, char... Common>
inline const char* span(const char* p, const char* e) {
  static_assert(alnum_in(Bit) && (chars::is(Common, Bit) && ...));
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    unsigned good = alnum16(v);
    ((good |= static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(Common))))), ...);
    unsigned other = ~good & 0xffff;
    if (other == 0) {
      p += 16;
      continue;
    }
    p += __builtin_ctz(other);
    if (!chars::is(*p, Bit)) return p;
    ++p;
  }
  return chars::span(p, e, Bit);
}

#else  // the same, a byte at a time

template <char A, char B>
inline const char* find_either(const char* p, const char* end) {
  while (p < end && *p != A && *p != B) ++p;
  return p;
}

inline const char* find_eol(const char* p, const char* end) { return find_either<'\r', '\n'>(p, end); }

inline const char* find_colon_and_eol(const char* p, const char* end, const char*& eol) {
  while (p < end && *p != '\r' && *p != '\n' && *p != ':') ++p;
  if (p < end && *p == ':') eol = find_eol(p + 1, end);
  return p;
}

class EolMap {
 public:
  EolMap(const char*, const char* end) : end_(end) {}
  const char* find(const char* q) { return find_eol(q, end_); }

 private:
  const char* end_;
};

template <std::uint32_t Bit, char... Common>
inline const char* span(const char* p, const char* e) {
  return chars::span(p, e, Bit);
}

inline unsigned colon16(const char* p) {
  unsigned m = 0;
  for (unsigned i = 0; i < 16; ++i) m |= unsigned{p[i] == ':'} << i;
  return m;
}

template <std::uint32_t Bit, char... Common>
inline bool all_in(const char* p, std::size_t n) {
  return chars::all_have({p, n}, Bit);
}

#endif

// The eager checks of long values, with the characters their usual values
// use besides letters and digits.
inline bool callid_chars(const char* p, std::size_t n) { return all_in<chars::kCallId, '@', '.', '-'>(p, n); }
inline bool uric_chars(const char* p, std::size_t n) { return all_in<chars::kUric, '@', '.', ':', '+'>(p, n); }

}  // namespace callwire::sip::lines
