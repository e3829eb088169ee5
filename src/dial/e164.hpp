#pragma once
// Phone numbers for <Dial><Number> and bare <Dial> bodies, normalized to
// E.164 ("+" and 8..15 digits) before routing.
//
// Rules (docs/compatibility.md, outbound trunks):
// - spaces, tabs, '-', '.', '(' and ')' are visual separators and dropped;
// - a leading "+" marks the number international; "00" is *not* taken as an
//   international prefix (it is national dialling in some countries), nor are
//   national formats guessed: callwire knows no caller country;
// - digits without "+" are taken as already international when there are at
//   least 8 of them ("14155551234" → "+14155551234"), because apps often
//   drop the plus; shorter ones (short codes, extensions) are refused;
// - after that, 8..15 digits (ITU-T E.164 allows 15; the shortest real
//   international numbers have 8) and nothing else: letters, '*', '#', a
//   second '+' or an empty number are refused with a message naming the
//   problem.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::dial {

inline constexpr std::size_t kMinE164Digits = 8;
inline constexpr std::size_t kMaxE164Digits = 15;

// "+14155551234" or Errc::InvalidNumber with the reason.
[[nodiscard]] Result<std::string> normalize_number(std::string_view text);

enum class NumberFormat { E164, E164WithoutPlus };

// "e164" | "e164-without-plus" (store::kTrunkNumberFormat*), any case →
// else Errc::InvalidNumber.
[[nodiscard]] Result<NumberFormat> parse_number_format(std::string_view text);
std::string_view to_string(NumberFormat format);

// The number as a trunk's carrier wants it: "+14155551234" or
// "14155551234". `e164` must come from normalize_number().
std::string format_for_trunk(std::string_view e164, NumberFormat format);

// A trunk's NumberPrefixes entry: "+" and 1..15 digits (separators allowed
// and dropped, as in numbers) → "+44 20" gives "+4420"; else InvalidNumber.
[[nodiscard]] Result<std::string> normalize_prefix(std::string_view text);

}  // namespace callwire::dial
