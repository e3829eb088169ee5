#pragma once
// Generic ";name=value" parameters of URIs and header values, and
// comma-separated header lists. Views point into the caller's text.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace callwire::sip {

struct Param {
  std::string_view name;
  std::string_view value;  // raw: quoted-strings keep their quotes; "" when absent
  bool has_value = false;
};

using Params = std::vector<Param>;

// Parses "; a=b ;c ;d=\"q s\"" (leading ';' required for each param, LWS
// allowed around ';' and '=' as RFC 3261 §25.1 says for header params).
[[nodiscard]] Result<Params> parse_header_params(std::string_view text);
// Parses URI params ";a=b;c" (no LWS, escaped characters allowed).
[[nodiscard]] Result<Params> parse_uri_params(std::string_view text);

// Case-insensitive lookup by name.
const Param* find_param(const Params& params, std::string_view name);
const Param* find_param(std::span<const Param> params, std::string_view name);

// Splits a header value at top-level commas (not inside quotes or <>), trims
// LWS around each element; empty elements are dropped.
std::vector<std::string_view> split_list(std::string_view value);

// Removes the quotes and backslash escapes of a quoted-string; returns the
// text unchanged when it is not quoted.
std::string unquote(std::string_view text);
// Decodes %HH escapes of URI components.
std::string unescape(std::string_view text);

}  // namespace callwire::sip
