#pragma once
// Line scanning for the message parser, 16 bytes at a time with SSE2.
// Private to callwire_sip_message.
//
// Precondition: the buffer stays readable for kPadding bytes past `end`, and
// those bytes hold none of the bytes searched for. The parser's owned block
// ends with a NUL and zero padding for exactly this (header values lie
// inside it), so the loops need no scalar tail.
#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace callwire::sip::lines {

inline constexpr std::size_t kPadding = 16;

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

#endif

}  // namespace callwire::sip::lines
