#include "cli/admin/admin.hpp"

#include <CLI/CLI.hpp>

#include "cli/admin/commands.hpp"

namespace callwire::cli::admin {

void add_admin_commands(CLI::App& app, std::optional<int>& exit_code) {
  auto session = std::make_shared<Session>();
  session->exit_code = &exit_code;
  add_domain_commands(app, session);
  add_credential_list_commands(app, session);
  add_ip_acl_commands(app, session);
  add_account_commands(app, session);
  add_trunk_commands(app, session);
}

}  // namespace callwire::cli::admin
