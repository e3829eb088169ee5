#pragma once
// Request methods the router knows. Anything else parses as Method::Other and
// is answered 405 (or 404) by the router.
#include <optional>
#include <string_view>

namespace callwire::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

std::string_view to_string(Method m);
// Exact, case-sensitive match ("GET"); anything else is Method::Other.
Method parse_method(std::string_view text);

}  // namespace callwire::http
