#pragma once
// Errors of the webhook layer. The values are Twilio's error codes (contract
// 10.13), so `error.code.value()` is what goes into a debugger alert.
#include <system_error>

#include "core/result.hpp"

namespace callwire::webhook {

enum class Errc {
  BadUrl = 11100,          // not an absolute http(s) URL, or a bad fragment override
  BadRetryPolicy = 11243,  // `rp` in the URL fragment names no known policy
};

const std::error_category& webhook_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), webhook_category()}; }

}  // namespace callwire::webhook

template <>
struct std::is_error_code_enum<callwire::webhook::Errc> : std::true_type {};
