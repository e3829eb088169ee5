#pragma once
// The digest exchange of one authenticated call, as `callwire serve` runs it
// (INVITE -> 407 challenge -> INVITE with Proxy-Authorization -> verify),
// for auth_bench (Google Benchmark) and auth_count (callgrind driver).

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "auth/digest.hpp"
#include "core/digest_hash.hpp"
#include "sip/message/message.hpp"

namespace callwire::bench {

class DigestScenario {
 public:
  static constexpr std::string_view kRealm = "sip.example.com";
  static constexpr std::string_view kRuri = "sip:+14155550100@acme.sip.example.com";
  static constexpr std::string_view kSource = "192.0.2.1";

  DigestScenario() : auth_(config()) {
    users_.push_back(user("bob", "Other-Pass-456", "CL2"));
    users_.push_back(user("alice", "Secret-Pass-123", "CL1"));
  }

  auth::DigestAuthenticator& authenticator() { return auth_; }
  const std::vector<store::DigestUser>& users() const { return users_; }
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000);
  }

  // The nonce of a fresh 407 challenge.
  static std::string nonce_of(const std::string& challenge) {
    auto at = challenge.find("nonce=\"") + 7;
    return challenge.substr(at, challenge.find('"', at) - at);
  }

  // The INVITE answering `nonce` with alice's password (MD5, qop=auth).
  sip::Message answer(std::string_view nonce) const {
    const std::string ha1 = users_[1].ha1_md5;
    const std::string ha2 = hex("INVITE:" + std::string(kRuri));
    const std::string response = hex(ha1 + ":" + std::string(nonce) + ":00000001:0a4f113b:auth:" + ha2);
    std::string m = "INVITE " + std::string(kRuri) + " SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-2\r\n"
                    "Max-Forwards: 70\r\n"
                    "From: <sip:alice@192.0.2.1>;tag=1\r\n"
                    "To: <" + std::string(kRuri) + ">\r\n"
                    "Call-ID: c1@192.0.2.1\r\n"
                    "CSeq: 2 INVITE\r\n"
                    "Proxy-Authorization: Digest username=\"alice\", realm=\"" + std::string(kRealm) +
                    "\", nonce=\"" + std::string(nonce) + "\", uri=\"" + std::string(kRuri) +
                    "\", response=\"" + response + "\", algorithm=MD5, cnonce=\"0a4f113b\", opaque=\"" +
                    std::string(auth_.opaque()) + "\", qop=auth, nc=00000001\r\n"
                    "Content-Length: 0\r\n\r\n";
    auto parsed = sip::Message::parse(m);
    if (!parsed) std::abort();
    return std::move(*parsed);
  }

  static std::string hex(std::string_view s) { return hash_hex(HashAlgorithm::Md5, {s}); }

 private:
  static auth::DigestConfig config() {
    auth::DigestConfig c;
    c.realm = std::string(kRealm);
    c.secret = "0123456789abcdef0123456789abcdef";
    c.max_tracked_nonces = 1 << 20;
    return c;
  }
  static store::DigestUser user(std::string name, std::string_view password, std::string sid) {
    return {name, hex(name + ":" + std::string(kRealm) + ":" + std::string(password)), "", std::move(sid)};
  }

  auth::DigestAuthenticator auth_;
  std::vector<store::DigestUser> users_;
};

}  // namespace callwire::bench
