#include "api/api.hpp"

#include <algorithm>
#include <cctype>

#include "api/auth.hpp"
#include "api/validation.hpp"
#include "api/context.hpp"
#include "api/twimlets.hpp"
#include "core/log.hpp"

namespace callwire::api {

namespace {

http::Response render(Reply reply) {
  if (reply) return std::move(*reply);
  return to_response(reply.error());
}

}  // namespace

ApiResult<std::string> sid_capture(const http::Request& request, std::string_view name, std::string_view prefix) {
  auto sid = normalize_sid(request.capture(name), prefix);
  if (!sid) return not_found(request.path());
  return std::move(*sid);
}

std::string request_base(const http::Request& req) {
  std::string host(req.header("Host").value_or(""));
  const bool safe = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == ':' || c == '[' || c == ']';
  });
  if (!safe) host = "localhost";
  const bool https = req.header("X-Forwarded-Proto").value_or("") == "https";
  return (https ? "https://" : "http://") + host;
}

http::Handler with_caller(const Context& ctx, CallerHandler fn) {
  return [&ctx, fn = std::move(fn)](const http::Request& request) {
    auto caller = authenticate(ctx.store.accounts(), request);
    if (!caller) return to_response(caller.error());
    return render(fn(ctx, request, *caller));
  };
}

http::Handler with_scope(const Context& ctx, Access access, ScopedHandler fn) {
  return [&ctx, access, fn = std::move(fn)](const http::Request& request) {
    auto caller = authenticate(ctx.store.accounts(), request);
    if (!caller) return to_response(caller.error());
    auto target = authorize_account(ctx.store.accounts(), *caller, request.capture("AccountSid"), request.path());
    if (!target) return to_response(target.error());
    if (access == Access::Write && target->status == store::kAccountClosed) {
      return to_response({403, kCodeAccountNotActive, "Account not active: account " + target->sid + " is closed"});
    }
    Scope scope{std::move(*caller), std::move(*target)};
    return render(fn(ctx, request, scope));
  };
}

namespace {

// Domain names are stored lower-case; so is the suffix they are checked against.
ApiConfig normalized(ApiConfig config) {
  for (auto& c : config.sip_domain_base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return config;
}

}  // namespace

Api::Api(store::Store& store, ApiConfig config)
    : ctx_(std::make_unique<Context>(Context{store, normalized(std::move(config)), log::get("api")})) {}

Api::~Api() = default;

void Api::add_routes(http::Router& router) const {
  add_account_routes(router, *ctx_);
  add_domain_routes(router, *ctx_);
  add_credential_list_routes(router, *ctx_);
  add_ip_acl_routes(router, *ctx_);
  add_mapping_routes(router, *ctx_);
  add_call_routes(router, *ctx_);
  add_alert_routes(router, *ctx_);
  add_recording_routes(router, *ctx_);
  add_trunk_routes(router, *ctx_);
  add_twimlet_routes(router);  // no credentials, as twimlets.com
}

http::Router Api::make_router() const {
  http::Router router;
  add_routes(router);
  return router;
}

const ApiConfig& Api::config() const { return ctx_->config; }

}  // namespace callwire::api
