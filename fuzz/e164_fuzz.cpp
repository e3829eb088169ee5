// Fuzzes phone-number normalization and the trunk plan (dial/): a
// normalized number is "+" and 8..15 digits and normalizes to itself; the
// first line of the input is a number, each further line a trunk's prefix
// list, and the plan must only hold enabled, matching trunks, most specific
// match first.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dial/e164.hpp"
#include "dial/trunk_plan.hpp"

using namespace callwire;
using namespace callwire::dial;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size() && lines.size() < 20;) {
    const auto nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  auto number = normalize_number(lines[0]);
  if (number) {
    if (number->size() < kMinE164Digits + 1 || number->size() > kMaxE164Digits + 1 || (*number)[0] != '+')
      __builtin_trap();
    auto again = normalize_number(*number);
    if (!again || *again != *number) __builtin_trap();
    if (format_for_trunk(*number, NumberFormat::E164WithoutPlus) != number->substr(1)) __builtin_trap();
  }
  (void)normalize_prefix(lines[0]);
  (void)parse_number_format(lines[0]);

  std::vector<store::Trunk> trunks;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    store::Trunk t;
    t.sid = "BY" + std::to_string(i);
    t.enabled = lines[i].size() % 3 != 0;
    t.priority = static_cast<int>(lines[i].size() % 4);
    t.weight = static_cast<int>(lines[i].size() % 5);
    std::string_view rest = lines[i];
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (auto p = normalize_prefix(rest.substr(0, comma))) t.number_prefixes.push_back(*p);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    trunks.push_back(std::move(t));
  }
  const std::string e164 = number ? *number : "+14155551234";
  std::uint64_t state = size;
  RandomSource random = [&state] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  if (auto plan = plan_trunks(trunks, e164, std::nullopt, random)) {
    std::size_t last = SIZE_MAX;
    for (const auto& t : *plan) {
      auto m = match_length(t, e164);
      if (!t.enabled || !m || *m > last) __builtin_trap();
      last = *m;
    }
  }
  return 0;
}
