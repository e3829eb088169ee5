#include "media/codec/fmtp.hpp"
#include "core/text.hpp"

#include <charconv>

namespace callwire::media::codec {

namespace {
}  // namespace

std::optional<std::string_view> fmtp_value(std::string_view fmtp, std::string_view key) {
  while (!fmtp.empty()) {
    const auto semi = fmtp.find(';');
    const std::string_view item = fmtp.substr(0, semi);
    fmtp = semi == std::string_view::npos ? std::string_view{} : fmtp.substr(semi + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(trim(item.substr(0, eq)), key)) return trim(item.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<unsigned long> fmtp_uint(std::string_view fmtp, std::string_view key) {
  const auto v = fmtp_value(fmtp, key);
  if (!v || v->empty()) return std::nullopt;
  unsigned long n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size()) return std::nullopt;
  return n;
}

}  // namespace callwire::media::codec
