#pragma once
// X-Twilio-Signature (contract 9.7): Base64(HMAC-SHA1(auth token, URL +
// the POST parameters sorted by name then value, each as name followed by
// value, no separators)). For GET the parameters are in the URL: pass them
// merged into `url` and an empty `params`.
//
// Identical (name, value) pairs are signed once, as the helper libraries'
// validators do (twilio-node collects repeated values in a Set, twilio-python
// in a set), so a request that repeats a pair still validates. Sorting is by
// bytes, which equals the validators' order for the ASCII names Twilio uses.
#include <string>
#include <string_view>

#include "webhook/request.hpp"

namespace callwire::webhook {

// The exact string that is HMAC'd (exposed for tests and debugging).
std::string string_to_sign(std::string_view url, const Params& params);

std::string sign(std::string_view url, const Params& params, std::string_view auth_token);

}  // namespace callwire::webhook
