#pragma once
// `callwire serve --demo` (and `make run`): a ready-to-call domain on a
// fresh install, created once. demo.sip.<base> is mapped to a credential
// list (one generated user) and an IP ACL for 127.0.0.1, and its Voice URL
// is the built-in message twimlet with the congratulations text.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/store.hpp"

namespace callwire::cli {

struct DemoDomain {
  std::string domain_name;
  std::string username;
  std::string password;  // only on the run that created it (the store keeps digests)
  bool created = false;
};

// `http_base` is "http://127.0.0.1:8080" (where the twimlet is served);
// `realm` the digest realm credentials are hashed with.
[[nodiscard]] Result<DemoDomain> ensure_demo_domain(store::Store& store, std::string_view sip_domain_base,
                                                    std::string_view http_base, std::string_view realm);

}  // namespace callwire::cli
