#pragma once
// One registration function per resource group (one file each).
#include <memory>

#include "cli/admin/command.hpp"

namespace CLI {
class App;
}

namespace callwire::cli::admin {

void add_domain_commands(CLI::App& app, const std::shared_ptr<Session>& session);
void add_credential_list_commands(CLI::App& app, const std::shared_ptr<Session>& session);
void add_ip_acl_commands(CLI::App& app, const std::shared_ptr<Session>& session);
void add_account_commands(CLI::App& app, const std::shared_ptr<Session>& session);
void add_trunk_commands(CLI::App& app, const std::shared_ptr<Session>& session);

}  // namespace callwire::cli::admin
