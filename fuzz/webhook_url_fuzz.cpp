// Fuzzes the webhook URL rules: parse_webhook_url (validation and the
// fragment overrides of contract 9.4), GET query merging and signing.
// Properties: a parsed URL is the input's prefix before '#', its overrides
// are within range, parsing it again (with those overrides as defaults) gives
// the same result, and the GET URL built from it still parses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "webhook/request.hpp"
#include "webhook/signature.hpp"

using namespace callwire::webhook;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_webhook_url(text);
  if (!parsed) {
    int code = parsed.error().code.value();
    if (code != 11100 && code != 11243) __builtin_trap();
    return 0;
  }
  const Overrides& o = parsed->overrides;
  if (text.substr(0, text.find('#')) != parsed->url_without_fragment) __builtin_trap();
  if (o.connect_timeout_ms < 100 || o.connect_timeout_ms > 10000 || o.read_timeout_ms < 100 ||
      o.read_timeout_ms > 15000 || o.total_timeout_ms < 100 || o.total_timeout_ms > 15000 || o.retries < 0 ||
      o.retries > 5) {
    __builtin_trap();
  }
  for (std::string_view kind : {"ct", "rt", "4xx", "5xx"}) (void)retry_policy_covers(o.retry_policy, kind);

  auto again = parse_webhook_url(parsed->url_without_fragment, o);
  if (!again || again->url_without_fragment != parsed->url_without_fragment ||
      again->overrides.retries != o.retries || again->overrides.retry_policy != o.retry_policy) {
    __builtin_trap();
  }

  // The same bytes as a parameter value, merged into the query as for GET.
  Params params = {{"Fuzz", std::string(text)}, {std::string(text), "v"}};
  std::string get_url = append_query(parsed->url_without_fragment, params);
  if (!parse_webhook_url(get_url)) __builtin_trap();
  (void)sign(get_url, {}, text);
  (void)sign(parsed->url_without_fragment, params, "token");
  return 0;
}
