#include "media/audio/cache_policy.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace callwire::media::audio {

namespace {

using std::chrono::seconds;

constexpr seconds kMaxDelta{std::int64_t{1} << 31};  // RFC 9111 1.2.2
constexpr seconds kMaxHeuristic{24 * 3600};

// A delta-seconds value; nullopt if not digits. Huge values saturate.
std::optional<seconds> delta_seconds(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec == std::errc::result_out_of_range || n > static_cast<std::uint64_t>(kMaxDelta.count())) return kMaxDelta;
  return seconds(static_cast<std::int64_t>(n));
}

std::optional<int> number(std::string_view t) {
  int n = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || p != t.data() + t.size() || t.size() > 4) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // The three forms share their pieces; only the order differs, so take
  // tokens by shape: month name, hh:mm:ss, then day before year.
  static constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  std::optional<int> month, day, year, hh, mm, ss;
  int tokens = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto sep = [](char c) { return c == ' ' || c == ',' || c == '-' || c == '\t'; };
    while (i < text.size() && sep(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !sep(text[j])) ++j;
    if (j == i) break;
    const std::string_view t = text.substr(i, j - i);
    i = j;
    if (++tokens > 8) return std::nullopt;
    if (t.find(':') != std::string_view::npos) {
      if (t.size() != 8 || t[2] != ':' || t[5] != ':') return std::nullopt;
      hh = number(t.substr(0, 2));
      mm = number(t.substr(3, 2));
      ss = number(t.substr(6, 2));
      if (!hh || !mm || !ss) return std::nullopt;
    } else if (std::isdigit(static_cast<unsigned char>(t.front()))) {
      const auto n = number(t);
      if (!n) return std::nullopt;
      if (!day) day = n;
      else if (!year) year = t.size() == 2 ? (*n < 70 ? 2000 + *n : 1900 + *n) : *n;
      else return std::nullopt;
    } else if (t.size() == 3) {
      for (std::size_t m = 0; m < kMonths.size(); ++m)
        if (iequals(t, kMonths[m])) month = static_cast<int>(m) + 1;
    }
  }
  if (!month || !day || !year || !hh || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  // The clock's nanosecond range ends in 2262: dates before the web are
  // invalid, far-future ones (Expires: 9999) mean "a long time".
  if (*year < 1900) return std::nullopt;
  if (*year > 2200) year = 2200;
  const std::chrono::year_month_day ymd{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                        std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd) + std::chrono::hours(*hh) + std::chrono::minutes(*mm) + seconds(*ss);
}

CachePolicy CachePolicy::from_headers(Headers headers, Clock::time_point now) {
  CachePolicy p;
  p.apply(headers, now);
  return p;
}

namespace {
constexpr std::array<std::string_view, 6> kCachingHeaders{"Cache-Control", "Expires", "Date",
                                                          "Age",           "ETag",    "Last-Modified"};

bool caching_header(std::string_view name) {
  return std::any_of(kCachingHeaders.begin(), kCachingHeaders.end(),
                     [&](std::string_view h) { return iequals(h, name); });
}
}  // namespace

void CachePolicy::apply(Headers headers, Clock::time_point now) {
  *this = CachePolicy{};
  received = now;
  for (const auto& h : headers)
    if (caching_header(h.first) && stored_.size() < 64) stored_.push_back(h);
  std::optional<seconds> max_age, s_maxage, age_header;
  std::optional<Clock::time_point> date, expires;
  bool expires_invalid = false;
  for (const auto& [name, raw] : headers) {
    const std::string_view value = trim(raw);
    if (iequals(name, "Cache-Control")) {
      std::size_t pos = 0;
      while (pos <= value.size()) {
        // Directives split on commas outside quotes.
        std::size_t end = pos;
        bool quoted = false;
        while (end < value.size() && (quoted || value[end] != ',')) {
          if (value[end] == '"') quoted = !quoted;
          ++end;
        }
        const std::string_view d = trim(value.substr(pos, end - pos));
        pos = end + 1;
        const auto eq = d.find('=');
        const std::string_view key = trim(d.substr(0, eq));
        const std::string_view arg = eq == std::string_view::npos ? std::string_view{} : d.substr(eq + 1);
        // An unreadable max-age means stale (RFC 9111 4.2.1).
        if (iequals(key, "max-age")) max_age = delta_seconds(arg).value_or(seconds(0));
        else if (iequals(key, "s-maxage")) s_maxage = delta_seconds(arg).value_or(seconds(0));
        else if (iequals(key, "no-store")) no_store = true;
        else if (iequals(key, "no-cache")) no_cache = true;  // a field list still means: ask each time
        else if (iequals(key, "must-revalidate") || iequals(key, "proxy-revalidate")) must_revalidate = true;
        else if (iequals(key, "private")) private_ = true;
      }
    } else if (iequals(name, "Expires")) {
      expires = parse_http_date(value);
      expires_invalid = !expires;
    } else if (iequals(name, "Date")) {
      date = parse_http_date(value);
    } else if (iequals(name, "Age")) {
      age_header = delta_seconds(value);
    } else if (iequals(name, "ETag")) {
      etag = std::string(value);
    } else if (iequals(name, "Last-Modified")) {
      last_modified = std::string(value);
    }
  }
  // s-maxage also implies proxy-revalidate for a shared cache.
  if (s_maxage) must_revalidate = true;

  const Clock::time_point date_value = date.value_or(now);
  const seconds apparent = std::max(seconds(0), std::chrono::duration_cast<seconds>(now - date_value));
  initial_age = std::max(apparent, age_header.value_or(seconds(0)));

  if (s_maxage) {
    lifetime = *s_maxage;
  } else if (max_age) {
    lifetime = *max_age;
  } else if (expires_invalid) {
    lifetime = seconds(0);
  } else if (expires) {
    lifetime = std::max(seconds(0), std::chrono::duration_cast<seconds>(*expires - date_value));
  } else if (const auto lm = parse_http_date(last_modified); lm && *lm < date_value) {
    lifetime = std::min(kMaxHeuristic, std::chrono::duration_cast<seconds>(date_value - *lm) / 10);
  } else {
    lifetime = seconds(0);
  }
}

std::chrono::seconds CachePolicy::age(Clock::time_point now) const {
  const auto resident = std::max(seconds(0), std::chrono::duration_cast<seconds>(now - received));
  return initial_age + resident;
}

bool CachePolicy::fresh(Clock::time_point now) const {
  return storable() && !no_cache && age(now) < lifetime;
}

std::vector<std::pair<std::string, std::string>> CachePolicy::revalidation_headers() const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!etag.empty()) out.emplace_back("If-None-Match", etag);
  if (!last_modified.empty()) out.emplace_back("If-Modified-Since", last_modified);
  return out;
}

CachePolicy CachePolicy::revalidated(Headers not_modified_headers, Clock::time_point now) const {
  // Each header the 304 carries replaces the stored one of that name; Date
  // and Age described the old response and go in any case.
  std::vector<std::pair<std::string, std::string>> merged;
  for (const auto& h : stored_) {
    if (iequals(h.first, "Date") || iequals(h.first, "Age")) continue;
    const bool replaced = std::any_of(not_modified_headers.begin(), not_modified_headers.end(),
                                      [&](const auto& n) { return iequals(n.first, h.first); });
    if (!replaced) merged.push_back(h);
  }
  merged.insert(merged.end(), not_modified_headers.begin(), not_modified_headers.end());
  return from_headers(merged, now);
}

}  // namespace callwire::media::audio
