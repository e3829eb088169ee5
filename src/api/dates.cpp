#include "api/dates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace callwire::api {

namespace {

using namespace std::chrono;

// Years 0001-9999: an offset may push an instant past them
// (9999-12-31T23:59:59-01:00), and no ISO 8601 answer could name it again.
bool in_range(sys_seconds t) {
  constexpr sys_seconds kFirst = sys_days{year{1} / January / 1};
  constexpr sys_seconds kEnd = sys_days{year{10000} / January / 1};
  return t >= kFirst && t < kEnd;
}

// Exactly `n` ASCII digits at `s[pos]`, advancing pos.
std::optional<int> digits(std::string_view s, std::size_t& pos, int n) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return std::nullopt;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  return v;
}

bool take(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<DateSpan> parse(std::string_view s) {
  std::size_t pos = 0;
  auto y = digits(s, pos, 4);
  if (!y || !take(s, pos, '-')) return std::nullopt;
  auto m = digits(s, pos, 2);
  if (!m || !take(s, pos, '-')) return std::nullopt;
  auto d = digits(s, pos, 2);
  if (!d) return std::nullopt;
  const year_month_day ymd{year(*y), month(static_cast<unsigned>(*m)), day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  const sys_seconds midnight{sys_days(ymd).time_since_epoch()};
  if (pos == s.size()) {
    if (!in_range(midnight)) return std::nullopt;
    return DateSpan{midnight, midnight + days(1)};
  }

  if (!take(s, pos, 'T') && !take(s, pos, 't')) return std::nullopt;
  auto hh = digits(s, pos, 2);
  if (!hh || !take(s, pos, ':')) return std::nullopt;
  auto mm = digits(s, pos, 2);
  if (!mm || !take(s, pos, ':')) return std::nullopt;
  auto ss = digits(s, pos, 2);
  if (!ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;
  if (take(s, pos, '.')) {
    const auto start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
  }
  seconds offset{0};
  if (take(s, pos, 'Z') || take(s, pos, 'z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos++] == '-' ? -1 : 1;
    auto oh = digits(s, pos, 2);
    if (!oh) return std::nullopt;
    take(s, pos, ':');
    auto om = digits(s, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset = sign * (hours(*oh) + minutes(*om));
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  if (pos != s.size()) return std::nullopt;
  const sys_seconds t = midnight + hours(*hh) + minutes(*mm) + seconds(*ss) - offset;
  if (!in_range(t)) return std::nullopt;
  return DateSpan{t, t + seconds(1)};
}

}  // namespace

ApiResult<DateSpan> parse_date_param(std::string_view param, std::string_view text) {
  if (auto span = parse(text)) return *span;
  return bad_request(fmt::format("Invalid value for {}: expected a date YYYY-MM-DD or an ISO 8601 date-time "
                                 "such as 2015-07-30T20:00:00Z",
                                 param));
}

ApiResult<void> apply_date_filters(const http::Params& query, std::string_view name,
                                   std::optional<store::Timestamp>& after, std::optional<store::Timestamp>& before,
                                   http::Params& kept) {
  const std::string base(name);
  for (const std::string op : {"", ">", "<"}) {
    const std::string param = base + op;
    auto v = query.get(param);
    if (!v) continue;
    auto span = parse_date_param(param, *v);
    if (!span) return std::unexpected(span.error());
    if (op != "<") after = after ? std::max(*after, span->begin) : span->begin;
    if (op != ">") before = before ? std::min(*before, span->end) : span->end;
    kept.add(param, std::string(*v));
  }
  return {};
}

std::string format_iso8601(store::Timestamp t) {
  const auto day_point = floor<days>(t);
  const year_month_day ymd{day_point};
  const hh_mm_ss<seconds> time{t - day_point};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

}  // namespace callwire::api
