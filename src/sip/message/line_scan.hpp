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

// The parser's block has this much zeroed room after the message: a scan
// may read 64 bytes from any position up to `end`.
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

// The first ':' among the 16 bytes at p as a bit mask (0: none there).
inline unsigned colon16(const char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
}

// The bytes up to '\r' (CR, LF, NUL, TAB and the other controls) among the
// 16 at p, as a bit mask.
inline unsigned ctl16(const char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8('\r')), _mm_setzero_si128())));
}

// 16 bytes loaded once and looked at several ways (a header line's start).
struct Block16 {
  __m128i v;
};
inline Block16 load16(const char* p) { return {_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))}; }
// The ':' bytes among them, as a bit mask.
inline unsigned colons(Block16 b) {
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v, _mm_set1_epi8(':'))));
}
// The bytes up to '\r' among them (as ctl16).
inline unsigned controls(Block16 b) {
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(b.v, _mm_set1_epi8('\r')), _mm_setzero_si128())));
}

// The first byte up to '\r' at or after q: 16 bytes a step. The NUL at
// the block's end stops it. The header loop looks at the byte itself.
inline const char* first_control(const char* q) {
  while (true) {
    if (unsigned m = ctl16(q)) return q + __builtin_ctz(m);
    q += 16;
  }
}

// The first CR or LF in [q, end), or end: 16 bytes a step, a control byte
// that is neither (TAB, NUL) stepped over. q <= end; the NUL at end stops
// the scan.
inline const char* line_end(const char* q, const char* end) {
  while (true) {
    unsigned m = ctl16(q);
    while (m != 0) {
      const char* c = q + __builtin_ctz(m);
      if (*c == '\n' || *c == '\r') [[likely]]
        return c;
      if (c >= end) return end;
      m &= m - 1;
    }
    q += 16;
  }
}

constexpr bool alnum_in(std::uint32_t bit) {
  for (int c = 0; c < 256; ++c)
    if (chars::is(static_cast<char>(c), chars::kAlpha | chars::kDigit) && !chars::is(static_cast<char>(c), bit))
      return false;
  return true;
}

// 0xff at the letters, digits and Common among the 16 bytes of v: the
// classes' matches OR-ed before one movemask.
template <char... Common>
[[gnu::always_inline]] inline unsigned alnum_or16(__m128i v) {
  const __m128i zero = _mm_setzero_si128();
  __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  __m128i good = _mm_or_si128(_mm_cmpeq_epi8(_mm_subs_epu8(letter, _mm_set1_epi8(25)), zero),
                              _mm_cmpeq_epi8(_mm_subs_epu8(digit, _mm_set1_epi8(9)), zero));
  ((good = _mm_or_si128(good, _mm_cmpeq_epi8(v, _mm_set1_epi8(Common)))), ...);
  return static_cast<unsigned>(_mm_movemask_epi8(good));
}

// chars::all_have(s, Bit) for [p, p + n), 16 bytes a step when they are
// all letters, digits or one of Common (a few characters of the class that
// its usual values use); a step with anything else is checked against the
// table. Common must lie in the class (checked at compile time).
template <std::uint32_t Bit, char... Common>
[[gnu::always_inline]] inline bool all_in(const char* p, std::size_t n) {
  static_assert(alnum_in(Bit) && (chars::is(Common, Bit) && ...));
  auto good16 = [](const char* q) {
    return alnum_or16<Common...>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q)));
  };
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16)
    if (good16(p + i) != 0xffff && !chars::all_have({p + i, 16}, Bit)) return false;
  if (i == n) return true;
  unsigned want = (1u << (n - i)) - 1;
  return (good16(p + i) & want) == want || chars::all_have({p + i, n - i}, Bit);
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
    unsigned other = ~alnum_or16<Common...>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) & 0xffff;
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

// lines::span for text followed by 16 readable bytes (a value in the
// parser's block): 16 bytes a step up to e, without a scalar tail.
template <std::uint32_t Bit, char... Common>
inline const char* span_padded(const char* p, const char* e) {
  static_assert(alnum_in(Bit) && (chars::is(Common, Bit) && ...));
  while (p < e) {
    unsigned good = alnum_or16<Common...>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    for (unsigned other = ~good & 0xffff; other != 0; other &= other - 1) {
      const char* q = p + __builtin_ctz(other);
      if (q >= e) return e;
      if (!chars::is(*q, Bit)) return q;
    }
    p += 16;
  }
  return e;
}

#else  // the same, a byte at a time

template <char A, char B>
inline const char* find_either(const char* p, const char* end) {
  while (p < end && *p != A && *p != B) ++p;
  return p;
}

inline const char* find_eol(const char* p, const char* end) { return find_either<'\r', '\n'>(p, end); }


template <std::uint32_t Bit, char... Common>
inline const char* span(const char* p, const char* e) {
  return chars::span(p, e, Bit);
}

template <std::uint32_t Bit, char... Common>
inline const char* span_padded(const char* p, const char* e) {
  return chars::span(p, e, Bit);
}

inline unsigned colon16(const char* p) {
  unsigned m = 0;
  for (unsigned i = 0; i < 16; ++i) m |= unsigned{p[i] == ':'} << i;
  return m;
}

inline unsigned ctl16(const char* p) {
  unsigned m = 0;
  for (unsigned i = 0; i < 16; ++i) m |= unsigned{static_cast<unsigned char>(p[i]) <= '\r'} << i;
  return m;
}

struct Block16 {
  const char* p;
};
inline Block16 load16(const char* p) { return {p}; }
inline unsigned colons(Block16 b) { return colon16(b.p); }
inline unsigned controls(Block16 b) { return ctl16(b.p); }

inline const char* line_end(const char* q, const char* end) {
  while (q < end && *q != '\r' && *q != '\n') ++q;
  return q;
}

inline const char* first_control(const char* q) {
  while (static_cast<unsigned char>(*q) > '\r') ++q;
  return q;
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
