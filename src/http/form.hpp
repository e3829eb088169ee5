#pragma once
// application/x-www-form-urlencoded and URL percent-encoding (RFC 3986 §2.1,
// WHATWG URL "application/x-www-form-urlencoded").
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/params.hpp"

namespace callwire::http {

// Decodes %XX escapes; with `plus_is_space` (form bodies and query strings)
// '+' becomes ' '. A '%' without two hex digits fails (Errc::BadPercentEncoding).
// The result is bytes: invalid UTF-8 is kept as is for the caller to judge.
[[nodiscard]] Result<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Encodes every byte except ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX
// (upper-case hex). Space becomes %20, which every decoder reads as a space.
std::string percent_encode(std::string_view text);

// Parses "a=1&b=x+y&a=%C3%A9" into [(a,1),(b,"x y"),(a,"é")]. Empty pieces
// ("a=1&&b=2", a trailing '&') are skipped; "a" and "a=" both give an empty
// value. Bad escapes fail with Errc::BadFormBody naming the parameter.
[[nodiscard]] Result<Params> parse_form(std::string_view text);

// The inverse of parse_form: "a=1&b=x%20y" (names and values percent_encode'd).
std::string form_encode(const Params& params);

// "path?query" with the params form-encoded; just `path` when there are none.
// Used for next_page_uri and friends.
std::string build_query(std::string_view path, const Params& params);

}  // namespace callwire::http
