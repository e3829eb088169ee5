// `callwire ip-acls list|create|delete` and
// `callwire ip-acls ip-addresses list|create|delete --list AL…`.
#include <CLI/CLI.hpp>

#include "cli/admin/commands.hpp"
#include "cli/admin/table.hpp"

namespace callwire::cli::admin {

namespace {

std::string acls_path(const ApiClient& api) { return api.account_path() + "/SIP/IpAccessControlLists"; }
std::string addresses_path(const ApiClient& api, const std::string& acl) {
  return acls_path(api) + "/" + acl + "/IpAddresses";
}

Table acl_table() { return Table({"SID", "FRIENDLY NAME", "DATE CREATED"}); }
void add_acl_row(Table& t, const nlohmann::json& l) {
  t.add_row({cell(l, "sid"), cell(l, "friendly_name"), cell(l, "date_created")});
}

Table address_table() { return Table({"SID", "IP ADDRESS", "CIDR PREFIX", "FRIENDLY NAME"}); }
void add_address_row(Table& t, const nlohmann::json& a) {
  t.add_row({cell(a, "sid"), cell(a, "ip_address"), cell(a, "cidr_prefix_length"), cell(a, "friendly_name")});
}

void add_address_commands(CLI::App& group, const std::shared_ptr<Session>& session) {
  auto* ips = group.add_subcommand("ip-addresses", "Manage the addresses of an IP access control list");
  ips->require_subcommand(1);

  auto* list = ips->add_subcommand("list", "List an ACL's addresses");
  auto list_acl = std::make_shared<std::string>();
  list->add_option("--list", *list_acl, "IP access control list SID (AL…)")->required();
  add_page_size_flag(*list, *session);
  define_command(*list, session, true, [session, list_acl](ApiClient& api, std::ostream& out) -> Status {
    auto items = api.list(list_path(addresses_path(api, *list_acl), *session), "ip_addresses");
    if (!items) return std::unexpected(items.error());
    auto table = address_table();
    for (const auto& a : *items) add_address_row(table, a);
    table.print(out);
    return {};
  });

  auto* create = ips->add_subcommand("create", "Add an address (or a CIDR range) to an ACL");
  auto create_acl = std::make_shared<std::string>();
  create->add_option("--list", *create_acl, "IP access control list SID (AL…)")->required();
  auto form = std::make_shared<FormOptions>();
  auto* ip = form->add(*create, "--ip", "IpAddress", "IPv4 or IPv6 address (no wildcards)");
  ip->required();
  form->add(*create, "--cidr", "CidrPrefixLength", "Prefix length of a range, e.g. 24");
  auto* name = form->add(*create, "--friendly-name", "FriendlyName", "Name of the entry (default: the address)");
  define_command(*create, session, true, [create_acl, form, ip, name](ApiClient& api, std::ostream& out) -> Status {
    auto params = form->params();
    // FriendlyName is required by the API; the address is a sensible name.
    if (name->count() == 0) params.add("FriendlyName", ip->as<std::string>());
    auto a = api.post(addresses_path(api, *create_acl) + ".json", params);
    if (!a) return std::unexpected(a.error());
    auto table = address_table();
    add_address_row(table, *a);
    table.print(out);
    return {};
  });

  auto* del = ips->add_subcommand("delete", "Remove an address from its ACL");
  auto del_acl = std::make_shared<std::string>();
  auto sid = std::make_shared<std::string>();
  del->add_option("--list", *del_acl, "IP access control list SID (AL…)")->required();
  del->add_option("sid", *sid, "IP address SID (IP…)")->required();
  define_command(*del, session, true, [del_acl, sid](ApiClient& api, std::ostream& out) -> Status {
    auto done = api.del(item_path(addresses_path(api, *del_acl), *sid));
    if (!done) return std::unexpected(done.error());
    out << "Deleted " << *sid << "\n";
    return {};
  });
}

}  // namespace

void add_ip_acl_commands(CLI::App& app, const std::shared_ptr<Session>& session) {
  auto* group = app.add_subcommand("ip-acls", "Manage IP access control lists through the REST API");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "List the IP access control lists");
  add_page_size_flag(*list, *session);
  define_command(*list, session, true, [session](ApiClient& api, std::ostream& out) -> Status {
    auto items = api.list(list_path(acls_path(api), *session), "ip_access_control_lists");
    if (!items) return std::unexpected(items.error());
    auto table = acl_table();
    for (const auto& l : *items) add_acl_row(table, l);
    table.print(out);
    return {};
  });

  auto* create = group->add_subcommand("create", "Create an IP access control list");
  auto form = std::make_shared<FormOptions>();
  form->add(*create, "friendly-name", "FriendlyName", "Name of the list")->required();
  define_command(*create, session, true, [form](ApiClient& api, std::ostream& out) -> Status {
    auto l = api.post(acls_path(api) + ".json", form->params());
    if (!l) return std::unexpected(l.error());
    auto table = acl_table();
    add_acl_row(table, *l);
    table.print(out);
    return {};
  });

  auto* del = group->add_subcommand("delete", "Delete an IP access control list");
  auto sid = std::make_shared<std::string>();
  del->add_option("sid", *sid, "IP access control list SID (AL…)")->required();
  define_command(*del, session, true, [sid](ApiClient& api, std::ostream& out) -> Status {
    auto done = api.del(item_path(acls_path(api), *sid));
    if (!done) return std::unexpected(done.error());
    out << "Deleted " << *sid << "\n";
    return {};
  });

  add_address_commands(*group, session);
}

}  // namespace callwire::cli::admin
