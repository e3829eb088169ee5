#include "dial/e164.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "dial/errc.hpp"

namespace callwire::dial {

namespace {

constexpr bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')';
}

// "+" (when `plus`) and the digits of `text`, separators dropped; the error
// names the first character that is neither.
Result<std::string> digits_of(std::string_view text, bool& plus) {
  std::string digits;
  plus = false;
  const std::string_view t = trim(text);
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (is_separator(c)) {
      continue;
    } else if (c == '+') {
      return fail(Errc::InvalidNumber, fmt::format("'{}' is not a phone number: '+' may only come first", text));
    } else {
      const auto shown = static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f
                             ? fmt::format("\\x{:02x}", static_cast<unsigned char>(c))
                             : std::string(1, c);
      return fail(Errc::InvalidNumber,
                  fmt::format("'{}' is not a phone number: '{}' is not a digit", text.substr(0, 64), shown));
    }
  }
  return digits;
}

}  // namespace

Result<std::string> normalize_number(std::string_view text) {
  bool plus = false;
  auto digits = digits_of(text, plus);
  if (!digits) return std::unexpected(digits.error());
  if (digits->empty()) return fail(Errc::InvalidNumber, "empty phone number");
  if (digits->size() < kMinE164Digits) {
    return fail(Errc::InvalidNumber,
                fmt::format("'{}' is too short for an international (E.164) number: {} digits, at least {} needed",
                            text, digits->size(), kMinE164Digits));
  }
  if (digits->size() > kMaxE164Digits) {
    return fail(Errc::InvalidNumber, fmt::format("'{}' is too long for an E.164 number: {} digits, at most {}",
                                                 text.substr(0, 64), digits->size(), kMaxE164Digits));
  }
  if ((*digits)[0] == '0') {
    return fail(Errc::InvalidNumber,
                fmt::format("'{}' is not an international number: country codes never start with 0 (write +<country "
                            "code><number>)",
                            text));
  }
  return "+" + *digits;
}

Result<NumberFormat> parse_number_format(std::string_view text) {
  if (iequals(text, "e164")) return NumberFormat::E164;
  if (iequals(text, "e164-without-plus")) return NumberFormat::E164WithoutPlus;
  return fail(Errc::InvalidNumber,
              fmt::format("unknown number format '{}' (expected e164 or e164-without-plus)", text.substr(0, 64)));
}

std::string_view to_string(NumberFormat format) {
  return format == NumberFormat::E164 ? "e164" : "e164-without-plus";
}

std::string format_for_trunk(std::string_view e164, NumberFormat format) {
  if (format == NumberFormat::E164WithoutPlus && e164.starts_with('+')) e164.remove_prefix(1);
  return std::string(e164);
}

Result<std::string> normalize_prefix(std::string_view text) {
  bool plus = false;
  auto digits = digits_of(text, plus);
  if (!digits) return std::unexpected(digits.error());
  if (!plus) {
    return fail(Errc::InvalidNumber,
                fmt::format("number prefix '{}' must start with '+' and a country code", text.substr(0, 64)));
  }
  if (digits->empty() || digits->size() > kMaxE164Digits || (*digits)[0] == '0') {
    return fail(Errc::InvalidNumber, fmt::format("number prefix '{}' must be '+' and 1 to {} digits, not starting "
                                                 "with 0",
                                                 text.substr(0, 64), kMaxE164Digits));
  }
  return "+" + *digits;
}

}  // namespace callwire::dial
