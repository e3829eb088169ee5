// `callwire accounts list|create|update`.
#include <CLI/CLI.hpp>

#include "cli/admin/commands.hpp"
#include "cli/admin/table.hpp"
#include "http/form.hpp"

namespace callwire::cli::admin {

namespace {

constexpr const char* kAccounts = "/2010-04-01/Accounts";

Table account_table() { return Table({"SID", "FRIENDLY NAME", "STATUS", "OWNER ACCOUNT", "DATE CREATED"}); }
void add_account_row(Table& t, const nlohmann::json& a) {
  t.add_row({cell(a, "sid"), cell(a, "friendly_name"), cell(a, "status"), cell(a, "owner_account_sid"),
             cell(a, "date_created")});
}

}  // namespace

void add_account_commands(CLI::App& app, const std::shared_ptr<Session>& session) {
  auto* group = app.add_subcommand("accounts", "Manage the account and its sub-accounts through the REST API");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "List your account and its sub-accounts");
  auto filters = std::make_shared<FormOptions>();
  filters->add(*list, "--friendly-name", "FriendlyName", "Only accounts with exactly this name");
  filters->add(*list, "--status", "Status", "Only accounts in this status (active, suspended, closed)");
  add_page_size_flag(*list, *session);
  define_command(*list, session, false, [session, filters](ApiClient& api, std::ostream& out) -> Status {
    auto query = filters->params();
    query.add("PageSize", std::to_string(session->page_size));
    auto items = api.list(http::build_query(std::string(kAccounts) + ".json", query), "accounts");
    if (!items) return std::unexpected(items.error());
    auto table = account_table();
    for (const auto& a : *items) add_account_row(table, a);
    table.print(out);
    return {};
  });

  auto* create = group->add_subcommand("create", "Create a sub-account (its auth token is shown once)");
  auto form = std::make_shared<FormOptions>();
  form->add(*create, "--friendly-name", "FriendlyName", "Name of the sub-account");
  define_command(*create, session, false, [form](ApiClient& api, std::ostream& out) -> Status {
    auto a = api.post(std::string(kAccounts) + ".json", form->params());
    if (!a) return std::unexpected(a.error());
    Table table({"SID", "FRIENDLY NAME", "STATUS", "AUTH TOKEN"});
    table.add_row({cell(*a, "sid"), cell(*a, "friendly_name"), cell(*a, "status"), cell(*a, "auth_token")});
    table.print(out);
    return {};
  });

  auto* update = group->add_subcommand("update", "Rename, suspend, reactivate or close an account");
  auto sid = std::make_shared<std::string>();
  update->add_option("sid", *sid, "Account SID (AC…)")->required();
  auto changes = std::make_shared<FormOptions>();
  changes->add(*update, "--friendly-name", "FriendlyName", "New name");
  changes->add(*update, "--status", "Status", "active, suspended or closed (closing is permanent)");
  define_command(*update, session, false, [sid, changes](ApiClient& api, std::ostream& out) -> Status {
    auto a = api.post(item_path(kAccounts, *sid), changes->params());
    if (!a) return std::unexpected(a.error());
    auto table = account_table();
    add_account_row(table, *a);
    table.print(out);
    return {};
  });
}

}  // namespace callwire::cli::admin
