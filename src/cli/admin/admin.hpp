#pragma once
// Operator subcommands (`callwire domains|credential-lists|ip-acls|accounts
// …`). They are thin REST clients: every change goes through the API, like
// any other client's, so the API stays the single way in.
#include <optional>

namespace CLI {
class App;
}

namespace callwire::cli::admin {

// Adds the subcommands to `app`. The one that runs does so while `app.parse`
// finishes and stores its exit status in `exit_code` (0 on success, 1 when
// the API refused or could not be reached); `exit_code` must outlive parsing.
void add_admin_commands(CLI::App& app, std::optional<int>& exit_code);

}  // namespace callwire::cli::admin
