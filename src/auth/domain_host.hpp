#pragma once
// Request-URI host → SIP Domain name (contract 8.1). Every edge form of a
// domain selects the same Domain: "{label}.sip.{base}" (default edge),
// "{label}.sip.{edge}.{base}" for the current edges, the legacy region
// names (us1, ie1, …), the private-interconnect "-ix" names of both, and any
// edge the operator configures. Labels may contain dots (subdomains).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace callwire::auth {

struct DomainHost {
  std::string domain_name;  // canonical lowercase "{label}.sip.{base}"
  std::string edge;         // lowercase edge label as written; "" for the plain host
};

class HostResolver {
 public:
  // `base` e.g. "example.com" or "localhost" (case and a trailing dot are
  // ignored). `extra_edges` adds edge labels to the built-in ones.
  explicit HostResolver(std::string base, std::vector<std::string> extra_edges = {});

  // The domain a host (as in a Request-URI: "Acme.SIP.Dublin.example.com:5060",
  // with or without a trailing dot) selects. nullopt when the host is not
  // "{label}.sip[.{known edge}].{base}": other suffixes, unknown edges, the
  // bare "sip.{base}", IP literals, invalid host names.
  std::optional<DomainHost> resolve(std::string_view host) const;

  bool is_edge(std::string_view label) const;  // lowercase label
  const std::string& base() const { return base_; }

 private:
  std::string base_;     // lowercase, no trailing dot
  std::string suffix_;   // ".sip." + base_
  std::unordered_set<std::string> edges_;
};

}  // namespace callwire::auth
