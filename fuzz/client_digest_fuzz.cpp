// Fuzzes the digest challenges a far end sends to callwire's outgoing calls
// (sip/stack client_digest): WWW-Authenticate / Proxy-Authenticate values
// from carriers and SIP endpoints. A parsed challenge must also be
// answerable: the credentials written for it read back (same auth-param
// syntax) with the same realm and nonce, whatever escapes they needed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/stack/client_digest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  std::string_view value(reinterpret_cast<const char*>(data), size);
  auto challenge = callwire::sip::parse_digest_challenge(value);
  if (!challenge) return 0;
  callwire::sip::DigestAnswer answer{"alice", "secret", "INVITE", "sip:bob@example.com", "0a4f113b", 1, "v=0\r\n"};
  std::string credentials = callwire::sip::digest_credentials(*challenge, answer);
  auto back = callwire::sip::parse_digest_challenge(credentials);
  if (!back || back->nonce != challenge->nonce || back->realm != challenge->realm) std::abort();
  if (callwire::sip::digest_response(*challenge, answer).empty()) std::abort();
  return 0;
}
