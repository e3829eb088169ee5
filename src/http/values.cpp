#include "http/values.hpp"

#include <array>
#include <cstdio>

#include "http/errc.hpp"
#include "http/headers.hpp"

namespace callwire::http {

namespace {

using namespace std::chrono;

constexpr std::array<const char*, 7> kWeekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A small cursor over the date text.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  void skip_spaces() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
  bool literal(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  // Exactly `min`..`max` digits.
  std::optional<int> digits(std::size_t min, std::size_t max) {
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < max) v = v * 10 + (s[i++] - '0');
    if (i - start < min) return std::nullopt;
    if (i < s.size() && is_digit(s[i])) return std::nullopt;  // more digits than allowed
    return v;
  }
  std::string_view word() {
    std::size_t start = i;
    while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
    return s.substr(start, i - start);
  }
};

}  // namespace

Result<bool> parse_bool(std::string_view text) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  return fail(Errc::BadBoolean);
}

Result<std::int64_t> parse_int(std::string_view text, std::int64_t min, std::int64_t max) {
  bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty()) return fail(Errc::BadInteger);
  // Accumulate as a negative number: its range includes INT64_MIN.
  std::int64_t v = 0;
  bool overflow = false;
  for (char c : digits) {
    if (!is_digit(c)) return fail(Errc::BadInteger);
    int d = c - '0';
    if (v < (std::numeric_limits<std::int64_t>::min() + d) / 10) overflow = true;
    if (!overflow) v = v * 10 - d;
  }
  if (!overflow && !negative) {
    if (v == std::numeric_limits<std::int64_t>::min()) overflow = true;
    else v = -v;
  }
  if (overflow || v < min || v > max) return fail(Errc::OutOfRange);
  return v;
}

std::string format_rfc2822(system_clock::time_point t) {
  auto secs = floor<seconds>(t);
  auto day = floor<days>(secs);
  year_month_day ymd{day};
  hh_mm_ss hms{secs - day};
  weekday wd{day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kWeekdays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<system_clock::time_point> parse_rfc2822(std::string_view text) {
  Cursor c{text};
  auto bad = [] { return fail(Errc::BadDate); };
  c.skip_spaces();
  // Optional "Fri,"
  if (c.i < text.size() && !is_digit(text[c.i])) {
    auto w = c.word();
    bool known = false;
    for (auto* d : kWeekdays) known = known || w == d;
    if (!known || !c.literal(',')) return bad();
    c.skip_spaces();
  }
  auto dd = c.digits(1, 2);
  if (!dd) return bad();
  c.skip_spaces();
  auto mon = c.word();
  int month = 0;
  for (int m = 0; m < 12; ++m) {
    if (mon == kMonths[m]) month = m + 1;
  }
  if (month == 0) return bad();
  c.skip_spaces();
  auto yyyy = c.digits(4, 4);
  if (!yyyy) return bad();
  c.skip_spaces();
  auto hh = c.digits(2, 2);
  if (!hh || !c.literal(':')) return bad();
  auto mm = c.digits(2, 2);
  if (!mm) return bad();
  int ss = 0;
  if (c.literal(':')) {
    auto s = c.digits(2, 2);
    if (!s) return bad();
    ss = *s;
  }
  if (*hh > 23 || *mm > 59 || ss > 60) return bad();
  c.skip_spaces();
  int offset_minutes = 0;
  if (c.i < text.size() && (text[c.i] == '+' || text[c.i] == '-')) {
    int sign = text[c.i] == '-' ? -1 : 1;
    ++c.i;
    auto z = c.digits(4, 4);
    if (!z || *z % 100 > 59) return bad();
    offset_minutes = sign * ((*z / 100) * 60 + *z % 100);
  } else {
    auto zone = c.word();
    if (zone != "GMT" && zone != "UT" && zone != "UTC") return bad();
  }
  c.skip_spaces();
  if (!c.done()) return bad();

  year_month_day ymd{year{*yyyy}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(*dd)}};
  if (!ymd.ok()) return bad();
  auto tp = sys_days{ymd} + hours{*hh} + minutes{*mm} + seconds{ss} - minutes{offset_minutes};
  return time_point_cast<system_clock::duration>(tp);
}

}  // namespace callwire::http
