#pragma once
// Process settings of `callwire serve`: one typed tree with defaults, filled
// from flags (each with a CALLWIRE_* environment variable), validated once,
// then handed to the components as const&.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace CLI {
class App;
}

namespace callwire::cli {

// An address to bind. `host` is an IP literal without brackets; port 0 lets
// the kernel pick a free port.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;

  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

inline constexpr std::uint16_t kDefaultSipPort = 5060;
inline constexpr std::uint16_t kDefaultSipsPort = 5061;
inline constexpr std::uint16_t kDefaultHttpPort = 8080;

struct ServeConfig {
  std::vector<ListenAddress> sip_listen{{"0.0.0.0", kDefaultSipPort}};  // UDP and TCP on each
  std::vector<ListenAddress> sips_listen;                              // TLS; none by default
  std::string tls_cert, tls_key;                                       // PEM files, required with sips_listen
  ListenAddress http_listen{"127.0.0.1", kDefaultHttpPort};
  std::string data_dir = "./var";
  std::string db_url;                       // postgres://… ; empty = SQLite in data_dir
  std::string secret_key_file;              // AES-256-GCM key of trunk passwords; empty = <data_dir>/secret.key
  bool recording_media_auth = false;        // Twilio's "Enforce HTTP Auth on Media URLs"
  std::string sip_domain_base = "localhost";  // SIP domains are <name>.sip.<base>
  std::size_t http_threads = 4;             // blocking pool running REST handlers
  std::string log_level = "info";   // trace|debug|info|warn|error|off
  std::string log_layers;           // per-layer overrides: "sip=debug,tx=trace"
  std::string public_address;       // host written in Via/Contact/SDP behind NAT; empty = listener's
  std::size_t workers = 0;          // 0 = one per core
  std::uint32_t t1_ms = 500, t2_ms = 4000, t4_ms = 5000;  // RFC 3261 timers
  std::size_t max_message_size = 65535;
  unsigned tcp_idle_timeout_s = 600;
  std::size_t udp_receive_buffer = 4 * 1024 * 1024;

  // Inbound calls (contract 8, 9).
  std::vector<std::string> edges;           // extra edge labels besides Twilio's
  bool srtp_on_insecure_domains = false;     // answer RTP/SAVP offers on domains without Secure
  bool acl_miss_403 = false;                // IP ACL miss: 403 + X-Twilio-Error instead of silence
  int reject_status = 404;                  // <Reject reason="rejected">: 404 or 603
  unsigned session_min_se_s = 90;           // RFC 4028: smaller Session-Expires in an INVITE gets 422
  unsigned session_expires_s = 1800;        // RFC 4028: the interval our INVITEs ask for
  unsigned nonce_lifetime_s = 300;          // digest nonces expire (then stale=true)
  bool digest_sha256 = false;               // also challenge with SHA-256 (RFC 8760)
  std::string nonce_secret;                 // HMAC key of nonces; share it between nodes; empty = random
  int auth_failures_per_minute = 10;        // then the source is blocked for auth_block_s
  unsigned auth_block_s = 600;
  int invites_per_second = 50;              // per source; then blocked for flood_block_s
  unsigned flood_block_s = 60;
  bool allow_scanners = false;              // keep requests from known scanner user agents
  std::string webhook_ca_file;              // extra CA bundle trusted for HTTPS webhooks
  bool webhook_refuse_private = false;      // SSRF guard: refuse webhooks to private/loopback addresses
  unsigned webhook_connect_timeout_ms = 5000;
  unsigned webhook_timeout_ms = 15000;
  int webhook_retries = 1;

  // Media (RTP).
  std::string rtp_ports = "10000-20000";  // UDP range, split between the workers
  std::string media_address;  // c= of our SDP; empty: --public-address, else the SIP listener, else 127.0.0.1

  bool demo = false;  // create demo.sip.<base> once (make run)
};

// Parses "ADDR:PORT", "[V6]:PORT", "ADDR", "[V6]" or a bare IPv6 address;
// a missing port is `default_port`. ADDR must be an IP literal.
[[nodiscard]] Result<ListenAddress> parse_listen_address(std::string_view text, std::uint16_t default_port);

// "ADDR:PORT", with IPv6 in brackets.
std::string to_string(const ListenAddress& address);

// Registers the `serve` flags on `serve`, writing into `cfg`. A malformed
// address fails the parse (CLI::ValidationError) with the reason.
void add_serve_flags(CLI::App& serve, ServeConfig& cfg);

// Checks the whole tree; the error detail names the flag and what is wrong.
[[nodiscard]] Result<void> validate(const ServeConfig& cfg);

}  // namespace callwire::cli
