#pragma once
// One way of handling errors: anything that handles network or user input
// returns Result<T>. The Error says what went wrong and, through its
// category, how the peer should hear about it (see sip::status_for).
#include <expected>
#include <string>
#include <system_error>
#include <utility>

namespace callwire {

struct Error {
  std::error_code code;
  std::string detail;  // human-readable; safe to send as a Reason text

  Error() = default;
  Error(std::error_code c, std::string d = {}) : code(c), detail(std::move(d)) {}

  // "detail" when present, else the category's message for the code.
  std::string what() const { return detail.empty() ? code.message() : detail; }
};

template <class T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(std::error_code code, std::string detail = {}) {
  return std::unexpected<Error>(Error{code, std::move(detail)});
}

template <class E>
  requires std::is_error_code_enum_v<E>
inline std::unexpected<Error> fail(E e, std::string detail = {}) {
  return std::unexpected<Error>(Error{make_error_code(e), std::move(detail)});
}

}  // namespace callwire
