// <Play> media as fetched. The first byte picks the Content-Type label and
// the output rate (or, with its top bit set, reads the rest as HTTP
// response headers for the cache policy); the rest is the body. Properties:
// decoding never crashes and fails only with an audio error that has an
// alert code; what it accepts is at the asked rate, non-empty and within
// the duration limit. A cache policy is never fresh unless storable, and
// its revalidation headers echo the validators.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "media/audio/cache_policy.hpp"
#include "media/audio/decoder.hpp"

using namespace callwire::media::audio;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void fuzz_headers(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (!text.empty() && headers.size() < 32) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  const auto now = std::chrono::system_clock::time_point{} + std::chrono::hours(500000);
  const auto p = CachePolicy::from_headers(headers, now);
  check(p.storable() || !p.fresh(now));
  check(p.lifetime.count() >= 0 && p.initial_age.count() >= 0);
  const auto reval = p.revalidation_headers();
  check(reval.size() == (p.etag.empty() ? 0u : 1u) + (p.last_modified.empty() ? 0u : 1u));
  const auto later = now + std::chrono::seconds(90);
  const auto r = p.revalidated(std::span(headers).subspan(headers.size() / 2), later);
  check(r.storable() || !r.fresh(later));
  for (const auto& [name, value] : headers) (void)parse_http_date(value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::span<const std::uint8_t> body(data + 1, size - 1);
  if (selector & 0x80) {
    fuzz_headers(std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
    return 0;
  }
  static constexpr std::array<std::string_view, 8> kTypes{
      "audio/wav", "audio/mpeg", "audio/aiff", "audio/ulaw", "audio/x-gsm", "application/octet-stream", "text/html", ""};
  static constexpr std::array<int, 4> kRates{8000, 16000, 48000, 11025};
  DecodeLimits limits;
  limits.max_duration = std::chrono::seconds(120);  // keeps each run short
  const int rate = kRates[(selector >> 3) & 3];
  const auto r = decode_audio(body, kTypes[selector & 7], rate, limits);
  if (r) {
    check(r->sample_rate == static_cast<std::uint32_t>(rate));
    check(!r->samples.empty());
    check(r->samples.size() <= static_cast<std::size_t>(120 * rate));
  } else {
    check(alert_code(r.error().code) != 0);
  }
  return 0;
}
