#pragma once
// Who is calling and which account the path names (contract §1.1, §6).
//
// - Credentials: HTTP Basic "AccountSid:AuthToken". Missing, malformed or
//   wrong → 401 20003 "Authenticate" (with WWW-Authenticate). The token is
//   compared in constant time.
// - A suspended or closed caller → 403 20005 for every request.
// - The path's {AccountSid} must be the caller itself or, for the main
//   account, one of its sub-accounts. Anything else → 404 20404, the answer
//   for an unknown SID, so other accounts' SIDs cannot be probed.
#include <string_view>

#include "api/api_error.hpp"
#include "http/request.hpp"
#include "store/account_store.hpp"

namespace callwire::api {

// Constant-time equality (length is not secret: tokens are 32 hex digits).
bool token_equals(std::string_view a, std::string_view b);

ApiResult<store::Account> authenticate(store::AccountStore& accounts, const http::Request& request);

// The account named `path_sid` if `caller` may act on it; `path` is only
// used in the 404 message.
ApiResult<store::Account> authorize_account(store::AccountStore& accounts, const store::Account& caller,
                                            std::string_view path_sid, std::string_view path);

}  // namespace callwire::api
