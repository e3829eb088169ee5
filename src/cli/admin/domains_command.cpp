// `callwire domains list|create|delete`.
#include <algorithm>
#include <cctype>

#include <CLI/CLI.hpp>

#include "cli/admin/commands.hpp"
#include "cli/admin/table.hpp"

namespace callwire::cli::admin {

namespace {

Table domain_table() { return Table({"SID", "DOMAIN NAME", "FRIENDLY NAME", "AUTH TYPE", "VOICE URL", "SIP REGISTRATION"}); }

void add_domain_row(Table& table, const nlohmann::json& d) {
  table.add_row({cell(d, "sid"), cell(d, "domain_name"), cell(d, "friendly_name"), cell(d, "auth_type"),
                 cell(d, "voice_url"), cell(d, "sip_registration")});
}

std::string collection(const ApiClient& api) { return api.account_path() + "/SIP/Domains"; }

// A SID is used as given; a domain name is looked up (case-insensitively, as
// host names compare) among the account's domains.
Result<std::string> resolve_sid(ApiClient& api, const Session& session, const std::string& which) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (which.size() == 34 && which.starts_with("SD") && std::all_of(which.begin() + 2, which.end(), hex)) return which;
  auto items = api.list(list_path(collection(api), session), "domains");
  if (!items) return std::unexpected(items.error());
  for (const auto& d : *items) {
    auto name = cell(d, "domain_name");
    if (name.size() == which.size() && std::equal(name.begin(), name.end(), which.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return cell(d, "sid");
    }
  }
  return std::unexpected(Error{std::make_error_code(std::errc::no_such_file_or_directory),
                               "no domain named " + which + " in this account"});
}

}  // namespace

void add_domain_commands(CLI::App& app, const std::shared_ptr<Session>& session) {
  auto* group = app.add_subcommand("domains", "Manage SIP domains through the REST API");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "List the SIP domains");
  add_page_size_flag(*list, *session);
  define_command(*list, session, true, [session](ApiClient& api, std::ostream& out) -> Status {
    auto items = api.list(list_path(collection(api), *session), "domains");
    if (!items) return std::unexpected(items.error());
    auto table = domain_table();
    for (const auto& d : *items) add_domain_row(table, d);
    table.print(out);
    return {};
  });

  auto* create = group->add_subcommand("create", "Create a SIP domain");
  auto form = std::make_shared<FormOptions>();
  form->add(*create, "name", "DomainName", "Full domain name, e.g. demo.sip.localhost")->required();
  form->add(*create, "--friendly-name", "FriendlyName", "Name shown in lists");
  form->add(*create, "--voice-url", "VoiceUrl", "Webhook fetched when a call arrives");
  form->add(*create, "--voice-method", "VoiceMethod", "GET or POST");
  form->add(*create, "--voice-fallback-url", "VoiceFallbackUrl", "Webhook used when the voice URL fails");
  form->add(*create, "--voice-fallback-method", "VoiceFallbackMethod", "GET or POST");
  form->add(*create, "--voice-status-callback-url", "VoiceStatusCallbackUrl", "Receives call status events");
  form->add(*create, "--voice-status-callback-method", "VoiceStatusCallbackMethod", "GET or POST");
  form->add(*create, "--sip-registration", "SipRegistration", "true to accept REGISTER");
  form->add(*create, "--secure", "Secure", "true to require TLS and SRTP");
  form->add(*create, "--emergency-calling", "EmergencyCallingEnabled", "true or false");
  define_command(*create, session, true, [form](ApiClient& api, std::ostream& out) -> Status {
    auto d = api.post(collection(api) + ".json", form->params());
    if (!d) return std::unexpected(d.error());
    auto table = domain_table();
    add_domain_row(table, *d);
    table.print(out);
    return {};
  });

  auto* del = group->add_subcommand("delete", "Delete a SIP domain");
  auto which = std::make_shared<std::string>();
  del->add_option("domain", *which, "Domain SID (SD…) or domain name")->required();
  define_command(*del, session, true, [session, which](ApiClient& api, std::ostream& out) -> Status {
    auto sid = resolve_sid(api, *session, *which);
    if (!sid) return std::unexpected(sid.error());
    auto done = api.del(item_path(collection(api), *sid));
    if (!done) return std::unexpected(done.error());
    out << "Deleted " << *sid << "\n";
    return {};
  });
}

}  // namespace callwire::cli::admin
