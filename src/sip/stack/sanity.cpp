#include "sip/stack/sanity.hpp"

#include <string>

#include "sip/message/params.hpp"
#include "sip/message/uri.hpp"
#include "sip/stack/capabilities.hpp"

namespace callwire::sip {

namespace {

bool tag_supported(std::string_view tag) {
  for (auto supported : split_list(kSupported)) {
    if (supported == tag) return true;  // option tags compare case-sensitively (§19.2)
  }
  return false;
}

}  // namespace

std::optional<Refusal> check_request(const Message& request) {
  if (request.top_via().branch().empty()) {
    return Refusal{400, "Missing branch parameter in top Via", {}};
  }

  auto uri = parse_uri(request.request_uri());
  if (!uri) {
    return Refusal{400, "Malformed Request-URI: " + uri.error().what(), {}};
  }
  if (uri->scheme == Scheme::Other) {
    return Refusal{416, "Request-URI scheme " + std::string(uri->scheme_text) + " is not supported", {}};
  }

  // §8.2.2.3: Require is not processed for ACK and CANCEL.
  if (request.method() != Method::Ack && request.method() != Method::Cancel) {
    std::string unsupported;
    for (auto tag : request.values(HeaderId::Require)) {
      if (tag_supported(tag)) continue;
      if (!unsupported.empty()) unsupported += ", ";
      unsupported += tag;
    }
    if (!unsupported.empty()) {
      return Refusal{420, "Unsupported extension required: " + unsupported, {{"Unsupported", unsupported}}};
    }
  }
  return std::nullopt;
}

}  // namespace callwire::sip
