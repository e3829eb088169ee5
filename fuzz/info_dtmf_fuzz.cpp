// SIP INFO key bodies from callers. The input is "content-type\nbody".
// Properties: never crashes; a key found is one a caller can press
// (0-9, *, #, A-D).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "calls/info_dtmf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nl = input.find('\n');
  std::string_view type = input.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  if (auto key = callwire::calls::info_dtmf_key(type, body)) {
    char c = *key;
    bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
    if (!ok) std::abort();
  }
  return 0;
}
