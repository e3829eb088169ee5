#pragma once
// Date query parameters of the log resources (Calls' StartTime/EndTime,
// Alerts' StartDate/EndDate) and ISO 8601 output for the v1 Monitor API.
//
// A value names an interval: "2024-03-01" the whole UTC day, and
// "2024-03-01T10:00:00Z" (fractions dropped; "+hh:mm", "-hh:mm", "+hhmm"
// offsets accepted) that one second. "Name" = inside the interval,
// "Name>" = on or after its start, "Name<" = on or before it (before its end).
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "http/params.hpp"
#include "store/models.hpp"

namespace callwire::api {

struct DateSpan {
  store::Timestamp begin;  // inclusive
  store::Timestamp end;    // exclusive
};

// 400 20001 naming `param` when `text` is neither form (or not a real date).
ApiResult<DateSpan> parse_date_param(std::string_view param, std::string_view text);

// `name`, `name>` and `name<` of `query` onto [after, before); several bounds
// narrow each other. The ones given are copied to `kept` (for paging URIs).
ApiResult<void> apply_date_filters(const http::Params& query, std::string_view name,
                                   std::optional<store::Timestamp>& after, std::optional<store::Timestamp>& before,
                                   http::Params& kept);

// "2015-07-30T20:00:00Z".
std::string format_iso8601(store::Timestamp t);

}  // namespace callwire::api
