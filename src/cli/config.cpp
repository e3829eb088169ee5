#include "cli/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace callwire::cli {

namespace {

std::unexpected<Error> invalid(std::string detail) {
  return fail(std::make_error_code(std::errc::invalid_argument), std::move(detail));
}

bool is_ipv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

bool is_ip(const std::string& s) { return is_ipv4(s) || is_ipv6(s); }

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  if (s.back() == '.') s.remove_suffix(1);
  while (!s.empty()) {
    auto dot = s.find('.');
    auto label = s.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
    if (s.empty()) return false;  // "a..b" or trailing dot after the first strip
  }
  return true;
}

constexpr std::array kLogLevels{"trace", "debug", "info", "warn", "error", "off"};

bool is_log_level(std::string_view level) {
  return std::find(kLogLevels.begin(), kLogLevels.end(), level) != kLogLevels.end();
}

Result<void> check_log_layers(std::string_view spec) {
  while (!spec.empty()) {
    auto comma = spec.find(',');
    auto item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return invalid(fmt::format("--log-layers: '{}' is not LAYER=LEVEL (e.g. sip=debug,tx=trace)", item));
    auto layer = item.substr(0, eq);
    auto level = item.substr(eq + 1);
    if (!std::all_of(layer.begin(), layer.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; }))
      return invalid(fmt::format("--log-layers: '{}' is not a layer name", layer));
    if (!is_log_level(level))
      return invalid(fmt::format("--log-layers: '{}' is not a level (trace, debug, info, warn, error, off)", level));
  }
  return {};
}

Result<void> check_address(std::string_view flag, const ListenAddress& a) {
  if (!is_ip(a.host))
    return invalid(fmt::format("{}: '{}' is not an IP address (use e.g. 0.0.0.0, 127.0.0.1, ::1)", flag, a.host));
  return {};
}

Result<void> check_file(std::string_view flag, const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return invalid(fmt::format("{}: file '{}' does not exist", flag, path));
  if (!std::filesystem::is_regular_file(status)) return invalid(fmt::format("{}: '{}' is not a file", flag, path));
  return {};
}

// Parses every value of a repeatable address flag; a bad one fails the parse
// with the reason, since the typed config cannot hold it.
std::function<void(const std::vector<std::string>&)> address_list(std::vector<ListenAddress>& out,
                                                                  std::string flag, std::uint16_t default_port) {
  return [&out, flag = std::move(flag), default_port](const std::vector<std::string>& values) {
    std::vector<ListenAddress> parsed;
    for (const auto& v : values) {
      auto a = parse_listen_address(v, default_port);
      if (!a) throw CLI::ValidationError(flag, a.error().what());
      parsed.push_back(*a);
    }
    out = std::move(parsed);
  };
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text, std::uint16_t default_port) {
  std::string_view host = text;
  std::string_view port;
  bool has_port = false;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return invalid(fmt::format("'{}': missing ']' after the IPv6 address", text));
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return invalid(fmt::format("'{}': expected ':PORT' after ']'", text));
      port = rest.substr(1);
      has_port = true;
    }
    if (!is_ipv6(std::string(host))) return invalid(fmt::format("'{}': '{}' is not an IPv6 address", text, host));
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    auto colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    has_port = true;
  }
  // More than one colon without brackets: a bare IPv6 address, default port.
  if (host.empty()) return invalid(fmt::format("'{}': missing address (use e.g. 0.0.0.0:5060)", text));
  if (!is_ip(std::string(host)))
    return invalid(fmt::format("'{}': '{}' is not an IP address (use e.g. 0.0.0.0, 127.0.0.1, [::1])", text, host));

  ListenAddress out{std::string(host), default_port};
  if (has_port) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535)
      return invalid(fmt::format("'{}': port '{}' is not a number from 0 to 65535", text, port));
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

std::string to_string(const ListenAddress& address) {
  if (address.host.find(':') != std::string::npos) return fmt::format("[{}]:{}", address.host, address.port);
  return fmt::format("{}:{}", address.host, address.port);
}

void add_serve_flags(CLI::App& serve, ServeConfig& cfg) {
  serve.add_option_function<std::vector<std::string>>(
           "--sip-listen", address_list(cfg.sip_listen, "--sip-listen", kDefaultSipPort),
           "SIP over UDP and TCP on ADDR:PORT (repeatable or comma-separated; port defaults to 5060)")
      ->envname("CALLWIRE_SIP_LISTEN")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->default_str("0.0.0.0:5060")
      ->type_name("ADDR:PORT");
  serve.add_option_function<std::vector<std::string>>(
           "--sips-listen", address_list(cfg.sips_listen, "--sips-listen", kDefaultSipsPort),
           "SIP over TLS on ADDR:PORT (repeatable; port defaults to 5061; needs --tls-cert and --tls-key)")
      ->envname("CALLWIRE_SIPS_LISTEN")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("ADDR:PORT");
  serve.add_option("--tls-cert", cfg.tls_cert, "TLS certificate chain (PEM) for --sips-listen")
      ->envname("CALLWIRE_TLS_CERT")
      ->type_name("FILE");
  serve.add_option("--tls-key", cfg.tls_key, "TLS private key (PEM) for --sips-listen")
      ->envname("CALLWIRE_TLS_KEY")
      ->type_name("FILE");
  serve.add_option_function<std::string>(
           "--http-listen",
           [&cfg](const std::string& v) {
             auto a = parse_listen_address(v, kDefaultHttpPort);
             if (!a) throw CLI::ValidationError("--http-listen", a.error().what());
             cfg.http_listen = *a;
           },
           "REST API and webhook endpoints on ADDR:PORT")
      ->envname("CALLWIRE_HTTP_LISTEN")
      ->default_str(to_string(cfg.http_listen))
      ->type_name("ADDR:PORT");
  serve.add_option("--data", cfg.data_dir, "Directory for the database and recordings")
      ->envname("CALLWIRE_DATA")
      ->capture_default_str()
      ->type_name("DIR");
  serve.add_flag("--recording-media-auth", cfg.recording_media_auth,
                 "Require HTTP Basic credentials for recording media URLs (off: served without, as Twilio does)")
      ->envname("CALLWIRE_RECORDING_MEDIA_AUTH");
  serve.add_option("--db", cfg.db_url,
                   "PostgreSQL database URL (postgres://user@host:port/db); default: SQLite in --data")
      ->envname("CALLWIRE_DB")
      ->type_name("URL");
  serve.add_option("--secret-key-file", cfg.secret_key_file,
                   "Key that encrypts trunk passwords at rest (32 bytes or 64 hex digits; created 0600 when "
                   "missing); default: DIR/secret.key in --data. Nodes sharing --db need the same file")
      ->envname("CALLWIRE_SECRET_KEY_FILE")
      ->type_name("FILE");
  serve.add_option("--sip-domain-base", cfg.sip_domain_base,
                   "SIP domains are named NAME.sip.BASE; the digest realm is sip.BASE")
      ->envname("CALLWIRE_SIP_DOMAIN_BASE")
      ->capture_default_str()
      ->type_name("BASE");
  serve.add_option("--http-threads", cfg.http_threads, "Threads running REST API handlers (database calls)")
      ->envname("CALLWIRE_HTTP_THREADS")
      ->capture_default_str()
      ->type_name("N");
  serve.add_option("--log-level", cfg.log_level, "Log level: trace, debug, info, warn, error, off")
      ->envname("CALLWIRE_LOG_LEVEL")
      ->capture_default_str()
      ->type_name("LEVEL");
  serve.add_option("--log-layers", cfg.log_layers, "Per-layer log levels, e.g. sip=debug,tx=trace")
      ->envname("CALLWIRE_LOG_LAYERS")
      ->type_name("LAYER=LEVEL,...");
  serve.add_option("--public-address", cfg.public_address,
                   "Host name or IP written in Via/Contact/SDP when behind NAT (default: the listener's address)")
      ->envname("CALLWIRE_PUBLIC_ADDRESS")
      ->type_name("HOST");
  serve.add_option("--rtp-ports", cfg.rtp_ports, "UDP port range for RTP/RTCP, split between the workers")
      ->envname("CALLWIRE_RTP_PORTS")
      ->capture_default_str()
      ->type_name("FIRST-LAST");
  serve.add_option("--media-address", cfg.media_address,
                   "IP address written in SDP c= (default: --public-address, else the SIP listen address, "
                   "else 127.0.0.1)")
      ->envname("CALLWIRE_MEDIA_ADDRESS")
      ->type_name("IP");
  serve.add_flag("--demo", cfg.demo,
                 "Create (once) the domain demo.sip.<base>, callable from 127.0.0.1 with a generated password, "
                 "answering with the message twimlet")
      ->envname("CALLWIRE_DEMO");
  serve.add_option("--workers", cfg.workers, "Worker threads; 0 = one per core")
      ->envname("CALLWIRE_WORKERS")
      ->capture_default_str()
      ->type_name("N");
  serve.add_option("--sip-t1", cfg.t1_ms, "SIP timer T1 (RTT estimate) in ms")
      ->envname("CALLWIRE_SIP_T1")
      ->capture_default_str()
      ->type_name("MS");
  serve.add_option("--sip-t2", cfg.t2_ms, "SIP timer T2 (max non-INVITE retransmit interval) in ms")
      ->envname("CALLWIRE_SIP_T2")
      ->capture_default_str()
      ->type_name("MS");
  serve.add_option("--sip-t4", cfg.t4_ms, "SIP timer T4 (max message lifetime in the network) in ms")
      ->envname("CALLWIRE_SIP_T4")
      ->capture_default_str()
      ->type_name("MS");
  serve.add_option("--sip-max-message-size", cfg.max_message_size,
                   "Largest SIP message accepted, in bytes (larger ones get 513 or are dropped)")
      ->envname("CALLWIRE_SIP_MAX_MESSAGE_SIZE")
      ->capture_default_str()
      ->type_name("BYTES");
  serve.add_option("--sip-udp-receive-buffer", cfg.udp_receive_buffer,
                   "Receive buffer of each SIP UDP socket, in bytes (0: the system's default); "
                   "capped by net.core.rmem_max unless callwire has CAP_NET_ADMIN")
      ->envname("CALLWIRE_SIP_UDP_RECEIVE_BUFFER")
      ->capture_default_str()
      ->type_name("BYTES");
  serve.add_option("--sip-tcp-idle-timeout", cfg.tcp_idle_timeout_s,
                   "Close TCP/TLS connections idle for this many seconds")
      ->envname("CALLWIRE_SIP_TCP_IDLE_TIMEOUT")
      ->capture_default_str()
      ->type_name("SECONDS");

  serve.add_option("--edge", cfg.edges, "Extra edge label accepted in <name>.sip.<edge>.<base> (repeatable)")
      ->envname("CALLWIRE_EDGES")
      ->delimiter(',')
      ->type_name("NAME");
  serve.add_flag("--acl-miss-403", cfg.acl_miss_403,
                 "Answer an IP ACL miss with 403 + X-Twilio-Error 32201 instead of dropping it silently")
      ->envname("CALLWIRE_ACL_MISS_403");
  serve.add_flag("--srtp-on-insecure-domains", cfg.srtp_on_insecure_domains,
                 "Answer RTP/SAVP offers with SDES-SRTP on domains without Secure (default: 488, RTP only)")
      ->envname("CALLWIRE_SRTP_ON_INSECURE_DOMAINS");
  serve.add_option("--reject-status", cfg.reject_status, "SIP status of <Reject reason=\"rejected\">: 404 or 603")
      ->envname("CALLWIRE_REJECT_STATUS")
      ->capture_default_str();
  serve.add_option("--session-min-se", cfg.session_min_se_s,
                   "RFC 4028 Min-SE: an INVITE asking for a shorter Session-Expires is refused with 422")
      ->envname("CALLWIRE_SESSION_MIN_SE")
      ->capture_default_str()
      ->type_name("SECONDS");
  serve.add_option("--session-expires", cfg.session_expires_s,
                   "RFC 4028 Session-Expires our INVITEs ask for (at least --session-min-se)")
      ->envname("CALLWIRE_SESSION_EXPIRES")
      ->capture_default_str()
      ->type_name("SECONDS");
  serve.add_option("--nonce-lifetime", cfg.nonce_lifetime_s, "Digest nonce lifetime in seconds (then stale=true)")
      ->envname("CALLWIRE_NONCE_LIFETIME")
      ->capture_default_str()
      ->type_name("SECONDS");
  serve.add_flag("--digest-sha256", cfg.digest_sha256, "Also challenge with SHA-256 digest (RFC 8760), before MD5")
      ->envname("CALLWIRE_DIGEST_SHA256");
  serve.add_option("--nonce-secret", cfg.nonce_secret,
                   "Key that signs digest nonces; give every node behind one load balancer the same (default: random)")
      ->envname("CALLWIRE_NONCE_SECRET")
      ->type_name("TEXT");
  serve.add_option("--auth-failures-per-minute", cfg.auth_failures_per_minute,
                   "Failed digest attempts per source and minute before it is blocked")
      ->envname("CALLWIRE_AUTH_FAILURES_PER_MINUTE")
      ->capture_default_str();
  serve.add_option("--auth-block", cfg.auth_block_s, "How long a source with too many failures is blocked, seconds")
      ->envname("CALLWIRE_AUTH_BLOCK")
      ->capture_default_str()
      ->type_name("SECONDS");
  serve.add_option("--invites-per-second", cfg.invites_per_second,
                   "New INVITEs per source and second before it is treated as a flood")
      ->envname("CALLWIRE_INVITES_PER_SECOND")
      ->capture_default_str();
  serve.add_option("--flood-block", cfg.flood_block_s, "How long a flooding source is blocked, seconds")
      ->envname("CALLWIRE_FLOOD_BLOCK")
      ->capture_default_str()
      ->type_name("SECONDS");
  serve.add_flag("--allow-scanners", cfg.allow_scanners,
                 "Do not drop requests from known scanner user agents (friendly-scanner, sipvicious, ...)")
      ->envname("CALLWIRE_ALLOW_SCANNERS");
  serve.add_option("--webhook-ca-file", cfg.webhook_ca_file, "Extra CA bundle (PEM) trusted for HTTPS webhooks")
      ->envname("CALLWIRE_WEBHOOK_CA_FILE")
      ->type_name("FILE");
  serve.add_flag("--webhook-refuse-private", cfg.webhook_refuse_private,
                 "Refuse webhook URLs that resolve to loopback, link-local or private addresses (multi-tenant)")
      ->envname("CALLWIRE_WEBHOOK_REFUSE_PRIVATE");
  serve.add_option("--webhook-connect-timeout", cfg.webhook_connect_timeout_ms,
                   "Webhook connect timeout in ms (URL fragment ct= overrides)")
      ->envname("CALLWIRE_WEBHOOK_CONNECT_TIMEOUT")
      ->capture_default_str()
      ->type_name("MS");
  serve.add_option("--webhook-timeout", cfg.webhook_timeout_ms,
                   "Webhook whole-request timeout in ms (URL fragment rt=/tt= override)")
      ->envname("CALLWIRE_WEBHOOK_TIMEOUT")
      ->capture_default_str()
      ->type_name("MS");
  serve.add_option("--webhook-retries", cfg.webhook_retries, "Webhook retries after a connection failure (rc=)")
      ->envname("CALLWIRE_WEBHOOK_RETRIES")
      ->capture_default_str();
}

Result<void> validate(const ServeConfig& cfg) {
  if (cfg.sip_listen.empty() && cfg.sips_listen.empty())
    return invalid("--sip-listen: at least one SIP listen address is needed");

  // Every TCP-level bind (SIP TCP, TLS, HTTP) must be distinct.
  std::vector<std::pair<std::string_view, const ListenAddress*>> binds;
  for (const auto& a : cfg.sip_listen) binds.emplace_back("--sip-listen", &a);
  for (const auto& a : cfg.sips_listen) binds.emplace_back("--sips-listen", &a);
  binds.emplace_back("--http-listen", &cfg.http_listen);
  for (std::size_t i = 0; i < binds.size(); ++i) {
    if (auto ok = check_address(binds[i].first, *binds[i].second); !ok) return ok;
    for (std::size_t j = 0; j < i; ++j) {
      if (*binds[i].second == *binds[j].second && binds[i].second->port != 0)
        return invalid(fmt::format("{}: {} is already used by {}", binds[i].first, to_string(*binds[i].second),
                                   binds[j].first));
    }
  }

  if (cfg.tls_cert.empty() != cfg.tls_key.empty())
    return invalid("--tls-cert and --tls-key must be given together");
  if (!cfg.sips_listen.empty() && cfg.tls_cert.empty())
    return invalid("--sips-listen needs --tls-cert and --tls-key (PEM files)");
  if (!cfg.tls_cert.empty()) {
    if (auto ok = check_file("--tls-cert", cfg.tls_cert); !ok) return ok;
    if (auto ok = check_file("--tls-key", cfg.tls_key); !ok) return ok;
  }

  if (cfg.data_dir.empty()) return invalid("--data: the data directory must not be empty");
  if (!cfg.db_url.empty() && !cfg.db_url.starts_with("postgres://") && !cfg.db_url.starts_with("postgresql://"))
    return invalid("--db: only PostgreSQL URLs (postgres://… or postgresql://…) are supported; "
                   "leave it out for SQLite in --data");
  {
    std::string base = cfg.sip_domain_base;
    for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!is_hostname(base) || base.back() == '.' || is_ip(base))
      return invalid(fmt::format("--sip-domain-base: '{}' is not a host name (e.g. localhost, example.com)",
                                 cfg.sip_domain_base));
    if (base.size() + 5 > 200)
      return invalid("--sip-domain-base: too long to leave room for domain names (at most 195 characters)");
  }
  if (cfg.http_threads == 0 || cfg.http_threads > 256)
    return invalid(fmt::format("--http-threads: {} is outside 1..256", cfg.http_threads));
  if (!is_log_level(cfg.log_level))
    return invalid(fmt::format("--log-level: '{}' is not one of trace, debug, info, warn, error, off", cfg.log_level));
  if (auto ok = check_log_layers(cfg.log_layers); !ok) return ok;

  if (!cfg.public_address.empty()) {
    std::string host = cfg.public_address;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (!is_ip(host) && !is_hostname(host))
      return invalid(fmt::format("--public-address: '{}' is not a host name or IP address", cfg.public_address));
  }

  {
    unsigned first = 0, last = 0;
    char dash = 0, extra = 0;
    if (std::sscanf(cfg.rtp_ports.c_str(), "%u%c%u%c", &first, &dash, &last, &extra) != 3 || dash != '-' ||
        first == 0 || last > 65535 || first + 1 > last)
      return invalid(fmt::format("--rtp-ports: '{}' is not FIRST-LAST with 0 < FIRST < LAST <= 65535", cfg.rtp_ports));
  }
  if (!cfg.media_address.empty() && !is_ip(cfg.media_address))
    return invalid(fmt::format("--media-address: '{}' is not an IP address", cfg.media_address));

  if (cfg.reject_status != 404 && cfg.reject_status != 603)
    return invalid(fmt::format("--reject-status: {} is not 404 or 603", cfg.reject_status));
  if (cfg.session_min_se_s < 1 || cfg.session_min_se_s > 86400)
    return invalid(fmt::format("--session-min-se: {} s is outside 1..86400", cfg.session_min_se_s));
  if (cfg.session_expires_s < cfg.session_min_se_s || cfg.session_expires_s > 86400)
    return invalid(fmt::format("--session-expires: {} s is outside --session-min-se..86400", cfg.session_expires_s));
  if (cfg.nonce_lifetime_s < 10 || cfg.nonce_lifetime_s > 86400)
    return invalid(fmt::format("--nonce-lifetime: {} s is outside 10..86400", cfg.nonce_lifetime_s));
  if (cfg.auth_failures_per_minute < 1) return invalid("--auth-failures-per-minute: must be at least 1");
  if (cfg.invites_per_second < 1) return invalid("--invites-per-second: must be at least 1");
  if (!cfg.webhook_ca_file.empty()) {
    if (auto ok = check_file("--webhook-ca-file", cfg.webhook_ca_file); !ok) return ok;
  }
  if (cfg.webhook_connect_timeout_ms < 100 || cfg.webhook_connect_timeout_ms > 10000)
    return invalid(fmt::format("--webhook-connect-timeout: {} ms is outside 100..10000", cfg.webhook_connect_timeout_ms));
  if (cfg.webhook_timeout_ms < 100 || cfg.webhook_timeout_ms > 15000)
    return invalid(fmt::format("--webhook-timeout: {} ms is outside 100..15000", cfg.webhook_timeout_ms));
  if (cfg.webhook_retries < 0 || cfg.webhook_retries > 5)
    return invalid(fmt::format("--webhook-retries: {} is outside 0..5", cfg.webhook_retries));
  for (const auto& e : cfg.edges) {
    if (e.empty() || !is_hostname(e))
      return invalid(fmt::format("--edge: '{}' is not a host-name label", e));
  }

  if (cfg.workers > 1024) return invalid(fmt::format("--workers: {} is more than 1024", cfg.workers));
  if (cfg.t1_ms == 0) return invalid("--sip-t1: must be at least 1 ms");
  if (cfg.t4_ms == 0) return invalid("--sip-t4: must be at least 1 ms");
  if (cfg.t1_ms > cfg.t2_ms)
    return invalid(fmt::format("--sip-t1 ({} ms) must not be larger than --sip-t2 ({} ms)", cfg.t1_ms, cfg.t2_ms));
  if (cfg.t2_ms > 600'000) return invalid(fmt::format("--sip-t2: {} ms is more than 600000 ms", cfg.t2_ms));
  if (cfg.max_message_size < 1024 || cfg.max_message_size > 16 * 1024 * 1024)
    return invalid(fmt::format("--sip-max-message-size: {} is outside 1024..16777216 bytes", cfg.max_message_size));
  if (cfg.tcp_idle_timeout_s == 0) return invalid("--sip-tcp-idle-timeout: must be at least 1 second");
  return {};
}

}  // namespace callwire::cli
