#pragma once
// What every operator command shares: the connection flags, the form flags
// that become request parameters only when given, and running the action
// once CLI11 has parsed the command line.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/admin/api_client.hpp"
#include "core/result.hpp"
#include "http/params.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace callwire::cli::admin {

// State of one `callwire` run, shared by every command it registered.
struct Session {
  Connection connection;
  int page_size = 50;  // PageSize of list requests (every page is fetched)
  std::optional<int>* exit_code = nullptr;
};

using Action = std::function<Status(ApiClient& api, std::ostream& out)>;

// Adds --api, --account-sid, --auth-token (and --subaccount when
// `account_scoped`) to `cmd`, and makes `action` run when `cmd` is chosen.
// Errors print as "callwire <command>: <message>" and give exit status 1.
void define_command(CLI::App& cmd, const std::shared_ptr<Session>& session, bool account_scoped, Action action);

// Adds --page-size to a list command.
void add_page_size_flag(CLI::App& cmd, Session& session);

// "<collection>.json?PageSize=<n>".
std::string list_path(const std::string& collection, const Session& session);

// Flags whose values are sent as form parameters, only when given (an empty
// value given explicitly is sent: it clears a field).
class FormOptions {
 public:
  CLI::Option* add(CLI::App& cmd, const std::string& flag, std::string param, const std::string& help);
  http::Params params() const;

 private:
  struct Entry {
    std::string param;
    std::string value;
    CLI::Option* option = nullptr;
  };
  std::deque<Entry> entries_;  // stable addresses: CLI11 writes into `value`
};

// The path of an item under a collection path ("…/SIP/Domains" + sid + ".json").
std::string item_path(const std::string& collection, const std::string& sid);

}  // namespace callwire::cli::admin
