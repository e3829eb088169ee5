#include "cli/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

namespace callwire::cli {
namespace {

// Parses `args` (after "serve") into a fresh config, as main() does.
struct Parsed {
  ServeConfig cfg;
  bool ok = false;
  std::string error;
};

Parsed parse(std::vector<std::string> args) {
  Parsed out;
  CLI::App app{"test", "callwire"};
  auto* serve = app.add_subcommand("serve");
  add_serve_flags(*serve, out.cfg);
  args.insert(args.begin(), "serve");
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector reversed
  try {
    app.parse(args);
    out.ok = true;
  } catch (const CLI::ParseError& e) {
    out.error = e.what();
  }
  return out;
}

// Sets an environment variable for the lifetime of the guard.
struct EnvGuard {
  std::string name;
  EnvGuard(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
  ~EnvGuard() { ::unsetenv(name.c_str()); }
};

std::string error_of(const ServeConfig& cfg) {
  auto r = validate(cfg);
  return r ? std::string() : r.error().what();
}

TEST(ListenAddress, ParsesEveryForm) {
  struct Case {
    const char* text;
    const char* host;
    std::uint16_t port;
  };
  const Case cases[] = {
      {"0.0.0.0:5060", "0.0.0.0", 5060}, {"127.0.0.1", "127.0.0.1", 7},  {"[::1]:5070", "::1", 5070},
      {"[::]", "::", 7},                 {"::1", "::1", 7},              {"fe80::1:2", "fe80::1:2", 7},
      {"10.0.0.1:0", "10.0.0.1", 0},     {"1.2.3.4:65535", "1.2.3.4", 65535},
  };
  for (const auto& c : cases) {
    auto a = parse_listen_address(c.text, 7);
    ASSERT_TRUE(a) << c.text << ": " << a.error().what();
    EXPECT_EQ(a->host, c.host) << c.text;
    EXPECT_EQ(a->port, c.port) << c.text;
  }
}

TEST(ListenAddress, RejectsMalformed) {
  const char* bad[] = {"",          ":5060",         "localhost:5060", "1.2.3.4:",  "1.2.3.4:65536", "1.2.3.4:50x",
                       "[::1",      "[::1]5060",     "[1.2.3.4]:5060", "1.2.3:5060", "[::1]:",       "1.2.3.4:-1",
                       "999.1.1.1", "example.com"};
  for (const char* text : bad) EXPECT_FALSE(parse_listen_address(text, 5060)) << "'" << text << "'";
}

TEST(ListenAddress, ErrorNamesTheProblem) {
  auto a = parse_listen_address("1.2.3.4:99999", 5060);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().what().find("port '99999'"), std::string::npos) << a.error().what();
  auto b = parse_listen_address("sip.example.com:5060", 5060);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().what().find("not an IP address"), std::string::npos) << b.error().what();
}

TEST(ListenAddress, FormatsWithBracketsForIpv6) {
  EXPECT_EQ(to_string(ListenAddress{"::1", 5060}), "[::1]:5060");
  EXPECT_EQ(to_string(ListenAddress{"127.0.0.1", 8080}), "127.0.0.1:8080");
}

TEST(ServeFlags, DefaultsMatchTheDocumentedOnes) {
  auto p = parse({});
  ASSERT_TRUE(p.ok) << p.error;
  const auto& c = p.cfg;
  ASSERT_EQ(c.sip_listen.size(), 1u);
  EXPECT_EQ(c.sip_listen[0], (ListenAddress{"0.0.0.0", 5060}));
  EXPECT_TRUE(c.sips_listen.empty());
  EXPECT_EQ(c.http_listen, (ListenAddress{"127.0.0.1", 8080}));
  EXPECT_EQ(c.data_dir, "./var");
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.workers, 0u);
  EXPECT_EQ(c.t1_ms, 500u);
  EXPECT_EQ(c.t2_ms, 4000u);
  EXPECT_EQ(c.t4_ms, 5000u);
  EXPECT_EQ(c.max_message_size, 65535u);
  EXPECT_EQ(c.tcp_idle_timeout_s, 600u);
  EXPECT_EQ(error_of(c), "");
}

TEST(ServeFlags, EveryFlagLandsInItsField) {
  auto p = parse({"--sip-listen", "127.0.0.1:5070", "--sip-listen", "[::1]", "--http-listen", "0.0.0.0:9000",
                  "--data", "/tmp/cw", "--log-level", "debug", "--log-layers", "sip=trace,tx=warn",
                  "--public-address", "pbx.example.com", "--workers", "3", "--sip-t1", "250", "--sip-t2", "2000",
                  "--sip-t4", "3000", "--sip-max-message-size", "4096", "--sip-tcp-idle-timeout", "30"});
  ASSERT_TRUE(p.ok) << p.error;
  const auto& c = p.cfg;
  ASSERT_EQ(c.sip_listen.size(), 2u);  // replaces the default, does not append to it
  EXPECT_EQ(c.sip_listen[0], (ListenAddress{"127.0.0.1", 5070}));
  EXPECT_EQ(c.sip_listen[1], (ListenAddress{"::1", 5060}));
  EXPECT_EQ(c.http_listen, (ListenAddress{"0.0.0.0", 9000}));
  EXPECT_EQ(c.data_dir, "/tmp/cw");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.log_layers, "sip=trace,tx=warn");
  EXPECT_EQ(c.public_address, "pbx.example.com");
  EXPECT_EQ(c.workers, 3u);
  EXPECT_EQ(c.t1_ms, 250u);
  EXPECT_EQ(c.t2_ms, 2000u);
  EXPECT_EQ(c.t4_ms, 3000u);
  EXPECT_EQ(c.max_message_size, 4096u);
  EXPECT_EQ(c.tcp_idle_timeout_s, 30u);
  EXPECT_EQ(error_of(c), "");
}

TEST(ServeFlags, CommaSeparatedAndSipsDefaultPort) {
  auto p = parse({"--sip-listen", "127.0.0.1:5070,127.0.0.2", "--sips-listen", "127.0.0.1"});
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.cfg.sip_listen.size(), 2u);
  EXPECT_EQ(p.cfg.sip_listen[1], (ListenAddress{"127.0.0.2", 5060}));
  ASSERT_EQ(p.cfg.sips_listen.size(), 1u);
  EXPECT_EQ(p.cfg.sips_listen[0], (ListenAddress{"127.0.0.1", 5061}));
}

TEST(ServeFlags, BadAddressFailsTheParseWithTheReason) {
  auto p = parse({"--sip-listen", "nowhere:5060"});
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("not an IP address"), std::string::npos) << p.error;
  auto q = parse({"--http-listen", "1.2.3.4:http"});
  EXPECT_FALSE(q.ok);
  EXPECT_NE(q.error.find("port 'http'"), std::string::npos) << q.error;
}

TEST(ServeFlags, NegativeOrTextNumbersFailTheParse) {
  EXPECT_FALSE(parse({"--sip-t1", "-5"}).ok);
  EXPECT_FALSE(parse({"--workers", "many"}).ok);
}

TEST(ServeFlags, EnvironmentVariablesFillTheConfig) {
  EnvGuard a("CALLWIRE_SIP_LISTEN", "127.0.0.1:6000,[::1]:6001");
  EnvGuard b("CALLWIRE_HTTP_LISTEN", "127.0.0.1:9999");
  EnvGuard c("CALLWIRE_DATA", "/srv/callwire");
  EnvGuard d("CALLWIRE_LOG_LEVEL", "warn");
  EnvGuard e("CALLWIRE_PUBLIC_ADDRESS", "203.0.113.7");
  EnvGuard f("CALLWIRE_SIP_T1", "100");
  auto p = parse({});
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.cfg.sip_listen.size(), 2u);
  EXPECT_EQ(p.cfg.sip_listen[0], (ListenAddress{"127.0.0.1", 6000}));
  EXPECT_EQ(p.cfg.sip_listen[1], (ListenAddress{"::1", 6001}));
  EXPECT_EQ(p.cfg.http_listen, (ListenAddress{"127.0.0.1", 9999}));
  EXPECT_EQ(p.cfg.data_dir, "/srv/callwire");
  EXPECT_EQ(p.cfg.log_level, "warn");
  EXPECT_EQ(p.cfg.public_address, "203.0.113.7");
  EXPECT_EQ(p.cfg.t1_ms, 100u);
}

TEST(ServeFlags, FlagBeatsEnvironment) {
  EnvGuard a("CALLWIRE_DATA", "/from/env");
  auto p = parse({"--data", "/from/flag"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.cfg.data_dir, "/from/flag");
}

// A PEM-looking pair in a temporary folder; validate() only checks presence.
struct TlsFiles {
  std::filesystem::path dir;
  std::string cert, key;
  TlsFiles() {
    dir = std::filesystem::temp_directory_path() / ("callwire-cli-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    cert = (dir / "cert.pem").string();
    key = (dir / "key.pem").string();
    std::ofstream(cert) << "-----BEGIN CERTIFICATE-----\n";
    std::ofstream(key) << "-----BEGIN PRIVATE KEY-----\n";
  }
  ~TlsFiles() { std::filesystem::remove_all(dir); }
};

TEST(Validate, SipsNeedsCertificateAndKey) {
  ServeConfig c;
  c.sips_listen = {{"127.0.0.1", 5061}};
  EXPECT_NE(error_of(c).find("--sips-listen needs --tls-cert"), std::string::npos) << error_of(c);

  TlsFiles files;
  c.tls_cert = files.cert;
  EXPECT_NE(error_of(c).find("together"), std::string::npos) << error_of(c);
  c.tls_key = files.key;
  EXPECT_EQ(error_of(c), "");
  c.tls_key = (files.dir / "missing.pem").string();
  EXPECT_NE(error_of(c).find("--tls-key: file"), std::string::npos) << error_of(c);
  c.tls_key = files.dir.string();
  EXPECT_NE(error_of(c).find("is not a file"), std::string::npos) << error_of(c);
}

TEST(Validate, TimersMustBeOrdered) {
  ServeConfig c;
  c.t1_ms = 5000;
  c.t2_ms = 4000;
  EXPECT_NE(error_of(c).find("--sip-t1 (5000 ms) must not be larger than --sip-t2 (4000 ms)"), std::string::npos)
      << error_of(c);
  ServeConfig zero_t1;
  zero_t1.t1_ms = 0;
  EXPECT_NE(error_of(zero_t1).find("--sip-t1"), std::string::npos);
  ServeConfig zero_t4;
  zero_t4.t4_ms = 0;
  EXPECT_NE(error_of(zero_t4).find("--sip-t4"), std::string::npos);
}

TEST(Validate, RejectsBadValues) {
  struct Case {
    void (*apply)(ServeConfig&);
    const char* expect;
  };
  const Case cases[] = {
      {[](ServeConfig& c) { c.sip_listen = {{"nowhere", 5060}}; }, "--sip-listen: 'nowhere' is not an IP"},
      {[](ServeConfig& c) { c.sip_listen.clear(); }, "at least one SIP listen address"},
      {[](ServeConfig& c) { c.sip_listen = {{"127.0.0.1", 5060}, {"127.0.0.1", 5060}}; }, "already used by"},
      {[](ServeConfig& c) { c.http_listen = {"0.0.0.0", 5060}; }, "--http-listen: 0.0.0.0:5060 is already used"},
      {[](ServeConfig& c) { c.data_dir.clear(); }, "--data"},
      {[](ServeConfig& c) { c.log_level = "verbose"; }, "--log-level: 'verbose'"},
      {[](ServeConfig& c) { c.log_layers = "sip"; }, "--log-layers: 'sip' is not LAYER=LEVEL"},
      {[](ServeConfig& c) { c.log_layers = "sip=debug,tx=loud"; }, "'loud' is not a level"},
      {[](ServeConfig& c) { c.public_address = "bad host"; }, "--public-address"},
      {[](ServeConfig& c) { c.public_address = "-x.example.com"; }, "--public-address"},
      {[](ServeConfig& c) { c.workers = 5000; }, "--workers"},
      {[](ServeConfig& c) { c.max_message_size = 100; }, "--sip-max-message-size"},
      {[](ServeConfig& c) { c.tcp_idle_timeout_s = 0; }, "--sip-tcp-idle-timeout"},
  };
  for (const auto& k : cases) {
    ServeConfig c;
    k.apply(c);
    auto err = error_of(c);
    EXPECT_NE(err.find(k.expect), std::string::npos) << "expected '" << k.expect << "', got '" << err << "'";
  }
}

TEST(Validate, AcceptsGoodVariants) {
  ServeConfig c;
  c.public_address = "203.0.113.9";
  EXPECT_EQ(error_of(c), "");
  c.public_address = "[2001:db8::1]";
  EXPECT_EQ(error_of(c), "");
  c.public_address = "sip.example.com";
  EXPECT_EQ(error_of(c), "");
  c.log_layers = "sip=debug,tx=trace,dialog=off";
  EXPECT_EQ(error_of(c), "");
  c.sip_listen = {{"0.0.0.0", 0}, {"0.0.0.0", 0}};  // port 0 twice: two free ports
  EXPECT_EQ(error_of(c), "");
}

TEST(ServeFlags, StoreAndApiFlags) {
  auto d = parse({});
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.cfg.db_url, "");
  EXPECT_EQ(d.cfg.sip_domain_base, "localhost");
  EXPECT_EQ(d.cfg.http_threads, 4u);

  auto p = parse({"--db", "postgres://callwire@127.0.0.1:5432/callwire", "--sip-domain-base", "example.com",
                  "--http-threads", "8"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.cfg.db_url, "postgres://callwire@127.0.0.1:5432/callwire");
  EXPECT_EQ(p.cfg.sip_domain_base, "example.com");
  EXPECT_EQ(p.cfg.http_threads, 8u);
  EXPECT_EQ(error_of(p.cfg), "");

  EnvGuard db("CALLWIRE_DB", "postgresql://h/db");
  EnvGuard base("CALLWIRE_SIP_DOMAIN_BASE", "voice.example.org");
  EnvGuard threads("CALLWIRE_HTTP_THREADS", "2");
  auto e = parse({});
  ASSERT_TRUE(e.ok) << e.error;
  EXPECT_EQ(e.cfg.db_url, "postgresql://h/db");
  EXPECT_EQ(e.cfg.sip_domain_base, "voice.example.org");
  EXPECT_EQ(e.cfg.http_threads, 2u);
}

TEST(Validate, StoreAndApiValues) {
  struct Case {
    void (*apply)(ServeConfig&);
    const char* expect;
  };
  const Case cases[] = {
      {[](ServeConfig& c) { c.db_url = "mysql://h/db"; }, "--db: only PostgreSQL URLs"},
      {[](ServeConfig& c) { c.db_url = "/var/lib/callwire.db"; }, "--db"},
      {[](ServeConfig& c) { c.sip_domain_base = ""; }, "--sip-domain-base"},
      {[](ServeConfig& c) { c.sip_domain_base = "bad_base"; }, "--sip-domain-base: 'bad_base'"},
      {[](ServeConfig& c) { c.sip_domain_base = "example.com."; }, "--sip-domain-base"},
      {[](ServeConfig& c) { c.sip_domain_base = "127.0.0.1"; }, "--sip-domain-base"},
      {[](ServeConfig& c) { c.sip_domain_base = std::string(200, 'a'); }, "--sip-domain-base"},
      {[](ServeConfig& c) { c.http_threads = 0; }, "--http-threads: 0"},
      {[](ServeConfig& c) { c.http_threads = 1000; }, "--http-threads"},
  };
  for (const auto& k : cases) {
    ServeConfig c;
    k.apply(c);
    auto err = error_of(c);
    EXPECT_NE(err.find(k.expect), std::string::npos) << "expected '" << k.expect << "', got '" << err << "'";
  }
  ServeConfig ok;
  ok.sip_domain_base = "Example.COM";
  EXPECT_EQ(error_of(ok), "");
}

}  // namespace
}  // namespace callwire::cli
