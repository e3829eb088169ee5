#pragma once
// Settings of the REST API, filled by `callwire serve` from its flags.
#include <cstddef>
#include <string>

namespace callwire::api {

// Published per-account limits (contract §7). Exceeding one is a 400; kept
// configurable because the error code is not confirmed.
struct ApiLimits {
  std::size_t domains_per_account = 100;
  std::size_t credential_lists_per_account = 100;
  std::size_t credentials_per_list = 1000;
  std::size_t ip_access_control_lists_per_account = 1000;
  std::size_t ip_addresses_per_list = 100;
  std::size_t registration_credential_lists_per_domain = 100;
};

struct ApiConfig {
  // Domains are named "<label>.sip.<base>"; the digest realm is "sip.<base>".
  std::string sip_domain_base = "localhost";
  ApiLimits limits;
  // The data directory (`callwire serve --data`): recording media are read
  // from and deleted in <data_dir>/recordings/<AccountSid>/<RecordingSid>.wav.
  std::string data_dir = "./var";
  // Twilio's "Enforce HTTP Auth on Media URLs" (off by default, as on
  // Twilio): when true, GET of a recording's media needs the same HTTP Basic
  // credentials as the rest of the API.
  bool recording_media_require_auth = false;

  std::string domain_suffix() const { return ".sip." + sip_domain_base; }
  std::string realm() const { return "sip." + sip_domain_base; }
};

}  // namespace callwire::api
