#include "api/auth.hpp"

#include <openssl/crypto.h>

#include "api/validation.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

std::unexpected<ApiError> unauthorized() { return api_fail(401, kCodeAuthenticate, "Authenticate"); }

}  // namespace

bool token_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

ApiResult<store::Account> authenticate(store::AccountStore& accounts, const http::Request& request) {
  const auto& creds = request.basic_auth();
  if (!creds) return unauthorized();
  auto sid = normalize_sid(creds->user, "AC");
  if (!sid) return unauthorized();
  auto account = accounts.fetch(*sid);
  if (!account) {
    if (store::is(account.error(), store::Errc::NotFound)) return unauthorized();
    return std::unexpected(from_store(account.error(), request.path()));
  }
  if (!token_equals(account->auth_token, creds->password)) return unauthorized();
  if (account->status != store::kAccountActive) {
    return api_fail(403, kCodeAccountNotActive, "Account not active: this account is " + account->status);
  }
  return std::move(*account);
}

ApiResult<store::Account> authorize_account(store::AccountStore& accounts, const store::Account& caller,
                                            std::string_view path_sid, std::string_view path) {
  auto sid = normalize_sid(path_sid, "AC");
  if (!sid) return not_found(path);
  if (*sid == caller.sid) return caller;
  if (!caller.is_main()) return not_found(path);
  auto target = accounts.fetch(*sid);
  if (!target) return std::unexpected(from_store(target.error(), path));
  if (target->owner_account_sid != caller.sid) return not_found(path);
  return std::move(*target);
}

}  // namespace callwire::api
