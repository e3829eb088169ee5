#include "store/sql/value.hpp"

#include "store/errc.hpp"

namespace callwire::store::sql {

Status check_text(std::string_view text) {
  // UTF-8 validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c == 0) return fail(Errc::Invalid, "text contains a NUL byte");
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    std::uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return fail(Errc::Invalid, "text is not valid UTF-8");
    }
    if (end - p <= extra) return fail(Errc::Invalid, "text is not valid UTF-8");
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xc0) != 0x80) return fail(Errc::Invalid, "text is not valid UTF-8");
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    const bool overlong = (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
    if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return fail(Errc::Invalid, "text is not valid UTF-8");
    p += extra + 1;
  }
  return {};
}

}  // namespace callwire::store::sql
