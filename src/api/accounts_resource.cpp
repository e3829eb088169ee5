// /2010-04-01/Accounts.json and /2010-04-01/Accounts/{AccountSid}.json
// (contract §6): the caller and its sub-accounts.
#include <ctime>

#include <fmt/format.h>

#include "api/context.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

constexpr std::size_t kAccountNameMax = 64;
constexpr std::string_view kAccountsPath = "/2010-04-01/Accounts";

bool is_status(std::string_view s) {
  return s == store::kAccountActive || s == store::kAccountSuspended || s == store::kAccountClosed;
}

// "SubAccount Created at 2024-01-31 09:05 pm" (UTC), Twilio's default name.
std::string default_subaccount_name() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  const int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  return fmt::format("SubAccount Created at {:04}-{:02}-{:02} {:02}:{:02} {}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, hour12, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm");
}

Reply list_accounts(const Context& ctx, const http::Request& req, const store::Account& caller) {
  const std::string path = std::string(kAccountsPath) + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  store::AccountFilter filter;
  http::Params filters;
  if (auto v = req.query().get("FriendlyName")) {
    filter.friendly_name = std::string(*v);
    filters.add("FriendlyName", std::string(*v));
  }
  if (auto v = req.query().get("Status")) {
    if (!is_status(*v)) return bad_request("Invalid Status: it must be active, suspended or closed");
    filter.status = std::string(*v);
    filters.add("Status", std::string(*v));
  }

  store::Page<store::Account> page;
  if (caller.is_main()) {
    auto read = read_page<store::Account>(*q, [&](const store::PageRequest& pr) {
      return ctx.store.accounts().list_children(caller.sid, filter, pr);
    });
    if (!read) return std::unexpected(from_store(read.error(), path));
    page = std::move(*read);
  } else if ((!filter.friendly_name || *filter.friendly_name == caller.friendly_name) &&
             (!filter.status || *filter.status == caller.status) && !q->has_token && q->page == 0) {
    // A sub-account sees only itself.
    page.items.push_back(caller);
    page.last_seq = caller.seq;
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : page.items) items.push_back(account_json(a));
  return http::json_response(
      200, page_envelope(path, filters, *q, "accounts", std::move(items), page.has_more, page.last_seq));
}

Reply create_subaccount(const Context& ctx, const http::Request& req, const store::Account& caller) {
  const std::string path = std::string(kAccountsPath) + ".json";
  if (!caller.is_main()) return api_fail(403, kCodeAuthenticate, "A sub-account cannot create sub-accounts");
  store::Account account;
  account.owner_account_sid = caller.sid;
  if (auto v = req.form().get("FriendlyName"); v && !v->empty()) {
    if (auto ok = check_friendly_name(*v, kAccountNameMax); !ok) return std::unexpected(ok.error());
    account.friendly_name = std::string(*v);
  } else {
    account.friendly_name = default_subaccount_name();
  }
  auto created = ctx.store.accounts().create_subaccount(account);
  if (!created) return std::unexpected(from_store(created.error(), path));
  ctx.log->info("account {} created sub-account {}", caller.sid, created->sid);
  return http::json_response(201, account_json(*created));
}

Reply fetch_account(const Context&, const http::Request&, const Scope& scope) {
  return http::json_response(200, account_json(scope.target));
}

Reply update_account(const Context& ctx, const http::Request& req, const Scope& scope) {
  const std::string path = paths::account(scope.target.sid) + ".json";
  store::Account account = scope.target;
  if (auto v = req.form().get("FriendlyName")) {
    if (auto ok = check_friendly_name(*v, kAccountNameMax); !ok) return std::unexpected(ok.error());
    account.friendly_name = std::string(*v);
  }
  if (auto v = req.form().get("Status")) {
    if (!is_status(*v)) return bad_request("Invalid Status: it must be active, suspended or closed");
    if (*v != account.status) {
      if (account.is_main()) {
        // Nobody could reactivate it: the main account is managed by the operator.
        return bad_request("The main account's Status cannot be changed through the API");
      }
      if (!scope.caller.is_main()) {
        return api_fail(403, kCodeAuthenticate, "Only the main account can change a sub-account's Status");
      }
      if (account.status == store::kAccountClosed) return bad_request("A closed account cannot be reopened");
      account.status = std::string(*v);
    }
  }
  if (account.status == store::kAccountClosed && scope.target.status == store::kAccountClosed &&
      account.friendly_name != scope.target.friendly_name) {
    return api_fail(403, kCodeAccountNotActive, "Account not active: account " + account.sid + " is closed");
  }
  auto updated = ctx.store.accounts().update(account);
  if (!updated) return std::unexpected(from_store(updated.error(), path));
  if (updated->status != scope.target.status) {
    ctx.log->info("account {} set status of {} to {}", scope.caller.sid, updated->sid, updated->status);
  }
  return http::json_response(200, account_json(*updated));
}

}  // namespace

void add_account_routes(http::Router& router, const Context& ctx) {
  const std::string collection = std::string(kAccountsPath) + ".json";
  const std::string instance = std::string(kAccountsPath) + "/{AccountSid}.json";
  router.add(http::Method::Get, collection, with_caller(ctx, list_accounts));
  router.add(http::Method::Post, collection, with_caller(ctx, create_subaccount));
  router.add(http::Method::Get, instance, with_scope(ctx, Access::Read, fetch_account));
  router.add(http::Method::Post, instance, with_scope(ctx, Access::Read, update_account));
}

}  // namespace callwire::api
