// a=fmtp parameter text from SDP. The input is "key\nfmtp". Properties:
// never crashes; a value found lies inside the fmtp text and has no
// surrounding blanks; fmtp_uint agrees with fmtp_value (a number only when
// the whole value is decimal digits that fit).
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "media/codec/fmtp.hpp"

using namespace callwire::media::codec;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void probe(std::string_view fmtp, std::string_view key) {
  const auto v = fmtp_value(fmtp, key);
  const auto n = fmtp_uint(fmtp, key);
  if (!v) {
    check(!n);
    return;
  }
  check(v->data() >= fmtp.data() && v->data() + v->size() <= fmtp.data() + fmtp.size());
  if (!v->empty()) check(v->front() != ' ' && v->front() != '\t' && v->back() != ' ' && v->back() != '\t');
  if (n) {
    unsigned long again = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), again);
    check(ec == std::errc{} && end == v->data() + v->size() && again == *n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto nl = in.find('\n');
  const std::string_view key = nl == std::string_view::npos ? std::string_view{} : in.substr(0, nl);
  const std::string_view fmtp = nl == std::string_view::npos ? in : in.substr(nl + 1);
  probe(fmtp, key);
  static constexpr std::array<std::string_view, 8> kKeys{"maxplaybackrate", "useinbandfec", "stereo", "ptime",
                                                         "maxaveragebitrate", "annexb", "bitrate", "mode"};
  for (const auto k : kKeys) probe(fmtp, k);
  return 0;
}
