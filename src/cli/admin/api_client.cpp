#include "cli/admin/api_client.hpp"

#include <system_error>

#include <fmt/format.h>

namespace callwire::cli::admin {

namespace {

constexpr std::string_view kVersion = "/2010-04-01";

Error operator_error(std::string message) { return Error{std::make_error_code(std::errc::invalid_argument), std::move(message)}; }

// "Domain x already exists. (error 21232, HTTP 400)"; a body that is not the
// API's error JSON is quoted (shortened) instead.
Error api_error(const http::ClientResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    std::string text = body["message"].get<std::string>();
    if (body.contains("code") && body["code"].is_number_integer()) {
      text += fmt::format(" (error {}, HTTP {})", body["code"].get<long long>(), response.status);
    } else {
      text += fmt::format(" (HTTP {})", response.status);
    }
    return Error{std::make_error_code(std::errc::protocol_error), std::move(text)};
  }
  std::string excerpt = response.body.substr(0, 200);
  return Error{std::make_error_code(std::errc::protocol_error),
               fmt::format("HTTP {}{}{}", response.status, excerpt.empty() ? "" : ": ", excerpt)};
}

}  // namespace

ApiClient::ApiClient(http::Client client, std::string account_path)
    : client_(std::move(client)), account_path_(std::move(account_path)) {}

Result<ApiClient> ApiClient::connect(const Connection& connection) {
  if (connection.account_sid.empty() || connection.auth_token.empty()) {
    return std::unexpected(operator_error(
        "credentials missing: give --account-sid and --auth-token (or CALLWIRE_ACCOUNT_SID and CALLWIRE_AUTH_TOKEN)"));
  }
  auto client = http::Client::from_url(connection.api_url);
  if (!client) {
    return std::unexpected(operator_error(fmt::format("bad --api URL '{}': {}", connection.api_url, client.error().what())));
  }
  client->set_basic_auth(connection.account_sid, connection.auth_token);
  const auto& account = connection.subaccount.empty() ? connection.account_sid : connection.subaccount;
  return ApiClient(std::move(*client), fmt::format("{}/Accounts/{}", kVersion, account));
}

Result<nlohmann::json> ApiClient::call(http::Method method, std::string_view target, const http::Params& form) {
  auto response = client_.request(method, target, form);
  if (!response) {
    return std::unexpected(Error{response.error().code, fmt::format("cannot reach the API ({} {}): {}",
                                                                     http::to_string(method), target,
                                                                     response.error().what())});
  }
  if (response->status < 200 || response->status >= 300) return std::unexpected(api_error(*response));
  if (response->body.empty()) return nlohmann::json();
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (body.is_discarded()) {
    return std::unexpected(Error{std::make_error_code(std::errc::protocol_error),
                                 fmt::format("the API answered {} {} with a body that is not JSON",
                                             http::to_string(method), target)});
  }
  return body;
}

Result<nlohmann::json> ApiClient::get(std::string_view target) { return call(http::Method::Get, target, {}); }

Result<nlohmann::json> ApiClient::post(std::string_view target, const http::Params& form) {
  return call(http::Method::Post, target, form);
}

Result<nlohmann::json> ApiClient::del(std::string_view target) { return call(http::Method::Delete, target, {}); }

Result<std::vector<nlohmann::json>> ApiClient::list(std::string_view target, std::string_view key,
                                                     std::size_t max_pages) {
  std::vector<nlohmann::json> items;
  std::string next(target);
  for (std::size_t page = 0; page < max_pages; ++page) {
    auto body = get(next);
    if (!body) return std::unexpected(body.error());
    auto found = body->find(key);
    if (found == body->end() || !found->is_array()) {
      return std::unexpected(Error{std::make_error_code(std::errc::protocol_error),
                                   fmt::format("the answer to GET {} has no '{}' list", next, key)});
    }
    for (auto& item : *found) items.push_back(std::move(item));
    auto uri = body->find("next_page_uri");
    if (uri == body->end() || !uri->is_string() || uri->get<std::string>().empty()) return items;
    if (uri->get<std::string>() == next) {
      return std::unexpected(Error{std::make_error_code(std::errc::protocol_error),
                                   fmt::format("next_page_uri of {} points at the same page", next)});
    }
    next = uri->get<std::string>();
  }
  return std::unexpected(Error{std::make_error_code(std::errc::value_too_large),
                               fmt::format("GET {}: more than {} pages", target, max_pages)});
}

}  // namespace callwire::cli::admin
