#include "cli/admin/command.hpp"

#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

namespace callwire::cli::admin {

namespace {

std::string command_name(const CLI::App& cmd) {
  std::string name = cmd.get_name();
  for (auto* p = cmd.get_parent(); p != nullptr; p = p->get_parent()) name = p->get_name() + " " + name;
  return name;
}

}  // namespace

void define_command(CLI::App& cmd, const std::shared_ptr<Session>& session, bool account_scoped, Action action) {
  auto& c = session->connection;
  cmd.add_option("--api", c.api_url, "Base URL of the callwire REST API")
      ->envname("CALLWIRE_API_URL")
      ->capture_default_str();
  cmd.add_option("--account-sid", c.account_sid, "Account SID to authenticate with")->envname("CALLWIRE_ACCOUNT_SID");
  cmd.add_option("--auth-token", c.auth_token, "Auth token of that account")->envname("CALLWIRE_AUTH_TOKEN");
  if (account_scoped) {
    cmd.add_option("--subaccount", c.subaccount, "Manage this sub-account's resources (default: your own)");
  }
  cmd.callback([&cmd, session, action = std::move(action)] {
    const std::string name = command_name(cmd);
    int status = 1;
    try {
      auto api = ApiClient::connect(session->connection);
      if (!api) {
        std::cerr << name << ": " << api.error().what() << "\n";
      } else if (auto done = action(*api, std::cout); !done) {
        std::cerr << name << ": " << done.error().what() << "\n";
      } else {
        status = 0;
      }
    } catch (const std::exception& e) {  // e.g. a JSON type the API should never send
      std::cerr << name << ": " << e.what() << "\n";
    }
    std::cout.flush();
    *session->exit_code = status;
  });
}

CLI::Option* FormOptions::add(CLI::App& cmd, const std::string& flag, std::string param, const std::string& help) {
  auto& entry = entries_.emplace_back(Entry{std::move(param), {}, nullptr});
  entry.option = cmd.add_option(flag, entry.value, help);
  return entry.option;
}

http::Params FormOptions::params() const {
  http::Params out;
  for (const auto& e : entries_) {
    if (e.option->count() > 0) out.add(e.param, e.value);
  }
  return out;
}

void add_page_size_flag(CLI::App& cmd, Session& session) {
  cmd.add_option("--page-size", session.page_size, "Items per request; every page is fetched")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
}

std::string list_path(const std::string& collection, const Session& session) {
  return collection + ".json?PageSize=" + std::to_string(session.page_size);
}

std::string item_path(const std::string& collection, const std::string& sid) { return collection + "/" + sid + ".json"; }

}  // namespace callwire::cli::admin
