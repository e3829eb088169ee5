// Fuzzes the digest credentials parser, and the authenticator on an INVITE
// carrying the input as its Proxy-Authorization header (when it fits on one
// header line), with the input's own parsed username as a known user.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/digest.hpp"
#include "auth/digest_credentials.hpp"

using namespace callwire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto creds = auth::parse_digest_credentials(text);
  if (creds && (creds->username.size() > auth::kMaxCredentialsParam || creds->nonce.size() > auth::kMaxCredentialsParam)) {
    __builtin_trap();  // bounds must hold
  }

  if (text.find_first_of("\r\n") != std::string_view::npos || size > 2048) return 0;
  std::string msg =
      "INVITE sip:+14155550100@acme.sip.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:a@192.0.2.1>;tag=1\r\nTo: <sip:b@acme.sip.example.com>\r\n"
      "Call-ID: c1\r\nCSeq: 1 INVITE\r\nProxy-Authorization: ";
  msg.append(text).append("\r\nContent-Length: 0\r\n\r\n");
  auto m = sip::Message::parse(msg);
  if (!m) return 0;
  static auth::DigestAuthenticator authenticator(auth::DigestConfig{"sip.example.com", "fuzz-secret"});
  std::vector<store::DigestUser> users;
  std::string name = creds ? creds->username : "alice";
  users.push_back({name, std::string(32, 'a'), std::string(64, 'b'), "CL1"});
  auto r = authenticator.verify(*m, "Proxy-Authorization", "192.0.2.1", users,
                                std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000));
  // A random input cannot know a valid HMAC nonce and the right response.
  if (r.verdict == auth::DigestVerdict::Ok) __builtin_trap();
  return 0;
}
