#pragma once
// The REST client behind the operator commands: http::Client with Basic auth,
// JSON bodies, the API's error JSON turned into a printable Error, and list
// collections followed page by page through next_page_uri.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "http/client.hpp"
#include "http/params.hpp"

namespace callwire::cli::admin {

// Where and as whom to call the API (flags with CALLWIRE_* env equivalents).
struct Connection {
  std::string api_url = "http://127.0.0.1:8080";
  std::string account_sid;
  std::string auth_token;
  std::string subaccount;  // path account for resources; empty = account_sid
};

class ApiClient {
 public:
  // Fails (with a message for the operator) on a bad URL or missing credentials.
  [[nodiscard]] static Result<ApiClient> connect(const Connection& connection);

  // "/2010-04-01/Accounts/{AC}": the account whose resources are managed.
  const std::string& account_path() const { return account_path_; }

  // A 2xx answer gives its JSON (null for an empty body); anything else is an
  // Error whose detail is the API's message with its code and HTTP status.
  [[nodiscard]] Result<nlohmann::json> get(std::string_view target);
  [[nodiscard]] Result<nlohmann::json> post(std::string_view target, const http::Params& form);
  [[nodiscard]] Result<nlohmann::json> del(std::string_view target);

  // Every item of a list collection: the items under `key` on each page,
  // following next_page_uri up to `max_pages` pages.
  [[nodiscard]] Result<std::vector<nlohmann::json>> list(std::string_view target, std::string_view key,
                                                         std::size_t max_pages = 10'000);

 private:
  ApiClient(http::Client client, std::string account_path);
  Result<nlohmann::json> call(http::Method method, std::string_view target, const http::Params& form);

  http::Client client_;
  std::string account_path_;
};

}  // namespace callwire::cli::admin
