// The `callwire` binary: parses the command line, validates the config and
// hands it to the subcommand. Configuration errors exit with status 2.
#include <exception>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include "cli/admin/admin.hpp"
#include "cli/config.hpp"
#include "cli/serve.hpp"

int main(int argc, char** argv) {
  using namespace callwire::cli;

  CLI::App app{"callwire: self-hosted SIP Domains with Twilio-style webhooks", "callwire"};
  app.require_subcommand(1);

  ServeConfig cfg;
  auto* serve = app.add_subcommand("serve", "Run the SIP server (until SIGINT/SIGTERM)");
  add_serve_flags(*serve, cfg);
  auto* version = app.add_subcommand("version", "Print the version");
  std::optional<int> admin_exit;  // set when an operator command (domains, accounts, …) ran
  admin::add_admin_commands(app, admin_exit);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help or the error
    return rc == 0 ? 0 : 2;
  }
  if (admin_exit) return *admin_exit;

  if (version->parsed()) {
    std::cout << "callwire " << CALLWIRE_VERSION << "\n";
    return 0;
  }

  if (auto ok = validate(cfg); !ok) {
    std::cerr << "callwire serve: " << ok.error().what() << "\n";
    return 2;
  }
  // Startup may throw (e.g. a port already in use): report it plainly.
  try {
    return run_serve(cfg);
  } catch (const std::exception& e) {
    std::cerr << "callwire serve: " << e.what() << "\n";
    return 1;
  }
}
