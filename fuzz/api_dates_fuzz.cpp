// Date query parameters of the call and alert lists (StartTime, EndDate, …):
// parse_date_param must never crash, and whatever it accepts is a non-empty
// interval whose start formats back to a date it accepts again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/dates.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto span = callwire::api::parse_date_param("StartTime", text);
  if (!span) return 0;
  if (!(span->begin < span->end)) __builtin_trap();
  auto again = callwire::api::parse_date_param("StartTime", callwire::api::format_iso8601(span->begin));
  if (!again || again->begin != span->begin) __builtin_trap();
  return 0;
}
