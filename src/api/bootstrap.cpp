#include "api/bootstrap.hpp"

#include <system_error>

#include "api/validation.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

std::unexpected<Error> invalid(std::string detail) {
  return fail(std::make_error_code(std::errc::invalid_argument), std::move(detail));
}

}  // namespace

bool is_auth_token(std::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

Result<MainAccount> ensure_main_account(store::AccountStore& accounts, std::optional<std::string> sid,
                                        std::optional<std::string> auth_token) {
  if (sid.has_value() != auth_token.has_value()) {
    return invalid("CALLWIRE_ACCOUNT_SID and CALLWIRE_AUTH_TOKEN must be set together (or neither)");
  }
  if (sid) {
    auto normal = normalize_sid(*sid, "AC");
    if (!normal) return invalid("CALLWIRE_ACCOUNT_SID must be AC followed by 32 hex digits");
    sid = *normal;
    // Never echo the token itself.
    if (!is_auth_token(*auth_token)) return invalid("CALLWIRE_AUTH_TOKEN must be 32 hex digits");
  }
  auto existing = accounts.main_account();
  bool created = false;
  if (!existing) {
    if (!store::is(existing.error(), store::Errc::NotFound)) return std::unexpected(existing.error());
    created = true;
  }
  auto account = accounts.ensure_main_account(sid, auth_token);
  if (!account) {
    if (store::is(account.error(), store::Errc::Conflict)) {
      return invalid("the store already has a main account (" + (existing ? existing->sid : std::string("?")) +
                     ") with other credentials than CALLWIRE_ACCOUNT_SID / CALLWIRE_AUTH_TOKEN");
    }
    return std::unexpected(account.error());
  }
  return MainAccount{std::move(*account), created};
}

}  // namespace callwire::api
