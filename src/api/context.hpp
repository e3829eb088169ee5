#pragma once
// What every resource handler shares, and the wrappers that authenticate a
// request and turn ApiErrors into responses. Internal to the api layer.
#include <functional>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "api/api_config.hpp"
#include "api/api_error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace callwire::api {

struct Context {
  store::Store& store;
  ApiConfig config;
  std::shared_ptr<spdlog::logger> log;
};

// The authenticated caller and the account the path names.
struct Scope {
  store::Account caller;
  store::Account target;
};

using Reply = ApiResult<http::Response>;

// Writes are refused on a closed account's resources (403 20005); reads are not.
enum class Access { Read, Write };

using CallerHandler = std::function<Reply(const Context&, const http::Request&, const store::Account& caller)>;
using ScopedHandler = std::function<Reply(const Context&, const http::Request&, const Scope&)>;

// For routes without {AccountSid} (Accounts.json): authentication only.
http::Handler with_caller(const Context& ctx, CallerHandler fn);
// For routes under /2010-04-01/Accounts/{AccountSid}: authentication, then
// the path's account checked against the caller.
http::Handler with_scope(const Context& ctx, Access access, ScopedHandler fn);

// The route capture `name` as a SID with `prefix` (hex lowercased); a
// malformed one is an unknown resource: 404 for the request's path.
ApiResult<std::string> sid_capture(const http::Request& request, std::string_view name, std::string_view prefix);

// "http(s)://<Host>" of the request (X-Forwarded-Proto: https honoured; a
// Host with unexpected characters becomes "localhost"), for absolute URLs
// that must lead back to this server.
std::string request_base(const http::Request& request);

// Route registration per resource family.
void add_account_routes(http::Router& router, const Context& ctx);
void add_domain_routes(http::Router& router, const Context& ctx);
void add_credential_list_routes(http::Router& router, const Context& ctx);
void add_ip_acl_routes(http::Router& router, const Context& ctx);
void add_mapping_routes(http::Router& router, const Context& ctx);
void add_call_routes(http::Router& router, const Context& ctx);
void add_alert_routes(http::Router& router, const Context& ctx);
void add_recording_routes(http::Router& router, const Context& ctx);
// callwire's extension: outbound trunks (SIP/Trunks).
void add_trunk_routes(http::Router& router, const Context& ctx);

}  // namespace callwire::api
