#pragma once
// The main account at startup (issue: an empty store gets one; given
// credentials are used, otherwise generated ones are shown once).
#include <optional>
#include <string>

#include "core/result.hpp"
#include "store/account_store.hpp"

namespace callwire::api {

struct MainAccount {
  store::Account account;
  bool created = false;  // true only on the run that created it
};

// `sid` (AC + 32 hex) and `auth_token` (32 hex) come from CALLWIRE_ACCOUNT_SID
// and CALLWIRE_AUTH_TOKEN: both or neither. Fails with invalid_argument on a
// malformed value, and when the store's main account has other credentials.
[[nodiscard]] Result<MainAccount> ensure_main_account(store::AccountStore& accounts, std::optional<std::string> sid,
                                                      std::optional<std::string> auth_token);

// True for 32 hex digits.
bool is_auth_token(std::string_view text);

}  // namespace callwire::api
