// `callwire credential-lists list|create|delete` and
// `callwire credential-lists credentials list|create|delete --list CL…`.
#include <CLI/CLI.hpp>

#include "cli/admin/commands.hpp"
#include "cli/admin/table.hpp"

namespace callwire::cli::admin {

namespace {

std::string lists_path(const ApiClient& api) { return api.account_path() + "/SIP/CredentialLists"; }
std::string credentials_path(const ApiClient& api, const std::string& list) {
  return lists_path(api) + "/" + list + "/Credentials";
}

Table list_table() { return Table({"SID", "FRIENDLY NAME", "DATE CREATED"}); }
void add_list_row(Table& t, const nlohmann::json& l) {
  t.add_row({cell(l, "sid"), cell(l, "friendly_name"), cell(l, "date_created")});
}

Table credential_table() { return Table({"SID", "USERNAME", "DATE CREATED"}); }
void add_credential_row(Table& t, const nlohmann::json& c) {
  t.add_row({cell(c, "sid"), cell(c, "username"), cell(c, "date_created")});
}

void add_credential_commands(CLI::App& group, const std::shared_ptr<Session>& session) {
  auto* creds = group.add_subcommand("credentials", "Manage the usernames/passwords of a credential list");
  creds->require_subcommand(1);

  auto* list = creds->add_subcommand("list", "List a credential list's credentials (never their passwords)");
  auto list_sid = std::make_shared<std::string>();
  list->add_option("--list", *list_sid, "Credential list SID (CL…)")->required();
  add_page_size_flag(*list, *session);
  define_command(*list, session, true, [session, list_sid](ApiClient& api, std::ostream& out) -> Status {
    auto items = api.list(list_path(credentials_path(api, *list_sid), *session), "credentials");
    if (!items) return std::unexpected(items.error());
    auto table = credential_table();
    for (const auto& c : *items) add_credential_row(table, c);
    table.print(out);
    return {};
  });

  auto* create = creds->add_subcommand("create", "Add a username/password to a credential list");
  auto create_list = std::make_shared<std::string>();
  create->add_option("--list", *create_list, "Credential list SID (CL…)")->required();
  auto form = std::make_shared<FormOptions>();
  form->add(*create, "--username", "Username", "SIP username")->required();
  // The environment variable keeps the password out of `ps` listings.
  form->add(*create, "--password", "Password", "At least 12 characters with upper and lower case and a digit")
      ->envname("CALLWIRE_SIP_PASSWORD")
      ->required();
  define_command(*create, session, true, [create_list, form](ApiClient& api, std::ostream& out) -> Status {
    auto c = api.post(credentials_path(api, *create_list) + ".json", form->params());
    if (!c) return std::unexpected(c.error());
    auto table = credential_table();
    add_credential_row(table, *c);
    table.print(out);
    return {};
  });

  auto* del = creds->add_subcommand("delete", "Remove a credential from its list");
  auto del_list = std::make_shared<std::string>();
  auto sid = std::make_shared<std::string>();
  del->add_option("--list", *del_list, "Credential list SID (CL…)")->required();
  del->add_option("sid", *sid, "Credential SID (CR…)")->required();
  define_command(*del, session, true, [del_list, sid](ApiClient& api, std::ostream& out) -> Status {
    auto done = api.del(item_path(credentials_path(api, *del_list), *sid));
    if (!done) return std::unexpected(done.error());
    out << "Deleted " << *sid << "\n";
    return {};
  });
}

}  // namespace

void add_credential_list_commands(CLI::App& app, const std::shared_ptr<Session>& session) {
  auto* group = app.add_subcommand("credential-lists", "Manage SIP credential lists through the REST API");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "List the credential lists");
  add_page_size_flag(*list, *session);
  define_command(*list, session, true, [session](ApiClient& api, std::ostream& out) -> Status {
    auto items = api.list(list_path(lists_path(api), *session), "credential_lists");
    if (!items) return std::unexpected(items.error());
    auto table = list_table();
    for (const auto& l : *items) add_list_row(table, l);
    table.print(out);
    return {};
  });

  auto* create = group->add_subcommand("create", "Create a credential list");
  auto form = std::make_shared<FormOptions>();
  form->add(*create, "friendly-name", "FriendlyName", "Name of the list")->required();
  define_command(*create, session, true, [form](ApiClient& api, std::ostream& out) -> Status {
    auto l = api.post(lists_path(api) + ".json", form->params());
    if (!l) return std::unexpected(l.error());
    auto table = list_table();
    add_list_row(table, *l);
    table.print(out);
    return {};
  });

  auto* del = group->add_subcommand("delete", "Delete a credential list");
  auto sid = std::make_shared<std::string>();
  del->add_option("sid", *sid, "Credential list SID (CL…)")->required();
  define_command(*del, session, true, [sid](ApiClient& api, std::ostream& out) -> Status {
    auto done = api.del(item_path(lists_path(api), *sid));
    if (!done) return std::unexpected(done.error());
    out << "Deleted " << *sid << "\n";
    return {};
  });

  add_credential_commands(*group, session);
}

}  // namespace callwire::cli::admin
