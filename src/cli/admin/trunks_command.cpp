// `callwire trunks create|list|show|update|delete`: outbound trunks, the
// callwire extension at …/SIP/Trunks. One carrier takes one command:
//   callwire trunks create --uri sip:carrier.example.net --username u --password p
#include <algorithm>
#include <cctype>

#include <CLI/CLI.hpp>

#include "cli/admin/commands.hpp"
#include "cli/admin/table.hpp"

namespace callwire::cli::admin {

namespace {

Table trunk_table() {
  return Table({"SID", "FRIENDLY NAME", "TERMINATION URI", "PREFIXES", "PRIORITY", "WEIGHT", "MAX CALLS", "CALLER ID",
                "FORMAT", "USERNAME", "PASSWORD", "ENABLED"});
}

std::string prefixes_cell(const nlohmann::json& t) {
  auto it = t.find("number_prefixes");
  if (it == t.end() || !it->is_array() || it->empty()) return "all";
  std::string out;
  for (const auto& p : *it) {
    if (!out.empty()) out += ',';
    out += p.is_string() ? p.get<std::string>() : p.dump();
  }
  return out;
}

void add_trunk_row(Table& table, const nlohmann::json& t) {
  const bool password = t.value("password_set", false);
  table.add_row({cell(t, "sid"), cell(t, "friendly_name"), cell(t, "termination_uri"), prefixes_cell(t),
                 cell(t, "priority"), cell(t, "weight"), cell(t, "max_concurrent_calls"), cell(t, "caller_id"),
                 cell(t, "number_format"), cell(t, "username"), password ? "set" : "-", cell(t, "enabled")});
}

std::string collection(const ApiClient& api) { return api.account_path() + "/SIP/Trunks"; }

// A SID is used as given; anything else must be exactly one trunk's friendly
// name or termination URI.
Result<std::string> resolve_sid(ApiClient& api, const Session& session, const std::string& which) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (which.size() == 34 && which.starts_with("BY") && std::all_of(which.begin() + 2, which.end(), hex)) return which;
  auto items = api.list(list_path(collection(api), session), "trunks");
  if (!items) return std::unexpected(items.error());
  std::vector<std::string> found;
  for (const auto& t : *items) {
    if (cell(t, "friendly_name") == which || cell(t, "termination_uri") == which) found.push_back(cell(t, "sid"));
  }
  if (found.size() == 1) return found.front();
  const auto reason = found.empty() ? "no trunk named " + which + " in this account"
                                    : std::to_string(found.size()) + " trunks are named " + which + ": give the SID";
  return std::unexpected(Error{std::make_error_code(std::errc::no_such_file_or_directory), reason});
}

// The fields create and update share.
void add_fields(FormOptions& form, CLI::App& cmd) {
  form.add(cmd, "--friendly-name", "FriendlyName", "Name shown in lists (default: the URI)");
  form.add(cmd, "--username", "Username", "Digest username the carrier expects");
  form.add(cmd, "--password", "Password", "Digest password (stored encrypted, never shown; \"\" removes it)")
      ->envname("CALLWIRE_TRUNK_PASSWORD");
  form.add(cmd, "--prefixes", "NumberPrefixes", "Comma-separated E.164 prefixes, e.g. +1,+4420 (\"\" = every number)");
  form.add(cmd, "--priority", "Priority", "Lower is tried first (default 10)");
  form.add(cmd, "--weight", "Weight", "Share among trunks of equal priority (default 10)");
  form.add(cmd, "--max-calls", "MaxConcurrentCalls", "Concurrent calls per node, 0 = unlimited");
  form.add(cmd, "--caller-id", "CallerId", "From number when <Dial callerId> is absent (\"\" = none)");
  form.add(cmd, "--number-format", "NumberFormat", "e164 (+14155551234) or e164-without-plus (14155551234)");
  form.add(cmd, "--enabled", "Enabled", "true or false");
}

Status print_one(const Result<nlohmann::json>& t, std::ostream& out) {
  if (!t) return std::unexpected(t.error());
  auto table = trunk_table();
  add_trunk_row(table, *t);
  table.print(out);
  return {};
}

}  // namespace

void add_trunk_commands(CLI::App& app, const std::shared_ptr<Session>& session) {
  auto* group = app.add_subcommand("trunks", "Manage outbound trunks (callwire extension) through the REST API");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "List the outbound trunks");
  add_page_size_flag(*list, *session);
  define_command(*list, session, true, [session](ApiClient& api, std::ostream& out) -> Status {
    auto items = api.list(list_path(collection(api), *session), "trunks");
    if (!items) return std::unexpected(items.error());
    auto table = trunk_table();
    for (const auto& t : *items) add_trunk_row(table, t);
    table.print(out);
    return {};
  });

  auto* create = group->add_subcommand("create", "Create an outbound trunk");
  auto create_form = std::make_shared<FormOptions>();
  create_form->add(*create, "--uri", "TerminationUri", "sip:host[:port][;transport=udp|tcp|tls]")->required();
  add_fields(*create_form, *create);
  define_command(*create, session, true, [create_form](ApiClient& api, std::ostream& out) -> Status {
    return print_one(api.post(collection(api) + ".json", create_form->params()), out);
  });

  auto* show = group->add_subcommand("show", "Show one outbound trunk");
  auto show_which = std::make_shared<std::string>();
  show->add_option("trunk", *show_which, "Trunk SID (BY…), friendly name or URI")->required();
  define_command(*show, session, true, [session, show_which](ApiClient& api, std::ostream& out) -> Status {
    auto sid = resolve_sid(api, *session, *show_which);
    if (!sid) return std::unexpected(sid.error());
    return print_one(api.get(item_path(collection(api), *sid)), out);
  });

  auto* update = group->add_subcommand("update", "Change an outbound trunk (only the flags given)");
  auto update_which = std::make_shared<std::string>();
  update->add_option("trunk", *update_which, "Trunk SID (BY…), friendly name or URI")->required();
  auto update_form = std::make_shared<FormOptions>();
  update_form->add(*update, "--uri", "TerminationUri", "sip:host[:port][;transport=udp|tcp|tls]");
  add_fields(*update_form, *update);
  define_command(*update, session, true,
                 [session, update_which, update_form](ApiClient& api, std::ostream& out) -> Status {
                   auto sid = resolve_sid(api, *session, *update_which);
                   if (!sid) return std::unexpected(sid.error());
                   return print_one(api.post(item_path(collection(api), *sid), update_form->params()), out);
                 });

  auto* del = group->add_subcommand("delete", "Delete an outbound trunk");
  auto del_which = std::make_shared<std::string>();
  del->add_option("trunk", *del_which, "Trunk SID (BY…), friendly name or URI")->required();
  define_command(*del, session, true, [session, del_which](ApiClient& api, std::ostream& out) -> Status {
    auto sid = resolve_sid(api, *session, *del_which);
    if (!sid) return std::unexpected(sid.error());
    auto done = api.del(item_path(collection(api), *sid));
    if (!done) return std::unexpected(done.error());
    out << "Deleted " << *sid << "\n";
    return {};
  });
}

}  // namespace callwire::cli::admin
