#pragma once
// SIP domain names (contract §2.4): "<labels>.sip.<base>", letters, digits
// and inner hyphens per label, at most 63 characters per label and 253 in
// all, compared and stored lower-case.
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"

namespace callwire::api {

struct DomainName {
  std::string name;    // the whole name, lower-case: "foo.acme.sip.localhost"
  std::string prefix;  // the part the user chose: "foo.acme"
};

// Checks `text` against the rules above with `suffix` = ".sip.<base>";
// any failure is 400 21231 with a message saying what is wrong.
ApiResult<DomainName> parse_domain_name(std::string_view text, std::string_view suffix);

// The name with its first label removed, when what is left still has a
// label of its own before the suffix: "foo.acme.sip.x" → "acme.sip.x";
// nullopt for a top-level name like "acme.sip.x".
std::optional<std::string> parent_domain_name(const DomainName& name, std::string_view suffix);

// The account SID a name is reserved for ("ac….sip.<base>" → "AC…"), or
// nullopt when its prefix is not an account SID.
std::optional<std::string> reserved_account_sid(std::string_view name, std::string_view suffix);

}  // namespace callwire::api
