#pragma once
// The value of From, To, Contact, Route, Record-Route, Reply-To, ...:
// name-addr ("Bob" <sip:bob@x>;tag=1) or addr-spec (sip:bob@x;tag=1), where
// parameters after an addr-spec belong to the header, not the URI (§20).
#include <string_view>

#include "core/result.hpp"
#include "sip/message/params.hpp"
#include "sip/message/uri.hpp"

namespace callwire::sip {

struct NameAddr {
  std::string_view display_name;  // raw, quotes kept; "" when absent
  bool angle_brackets = false;    // written as <uri>
  std::string_view uri_text;      // without the brackets
  Uri uri;
  Params params;                  // header params (tag, expires, q, lr ...)

  std::string_view tag() const {
    auto* p = find_param(params, "tag");
    return p ? p->value : std::string_view{};
  }
};

// Parses one name-addr/addr-spec with its params. "*" is accepted for
// Contact (uri_text == "*", uri.scheme Other) when allow_star is set.
[[nodiscard]] Result<NameAddr> parse_name_addr(std::string_view text, bool allow_star = false);

}  // namespace callwire::sip
