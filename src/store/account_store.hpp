#pragma once
// Accounts: one main account per deployment, sub-accounts owned by it.
// Accounts are never deleted (closing is a status).
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

struct AccountFilter {
  std::optional<std::string> friendly_name{};  // exact match
  std::optional<std::string> status{};         // "active" | "suspended" | "closed"
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // On a store without a main account, creates it (sid / token generated when
  // not given) and returns it. Otherwise returns the existing one (idempotent).
  // Conflict when a main account exists and `sid` or `auth_token` is given and
  // differs from it: a restart with other credentials must not go unnoticed.
  [[nodiscard]] virtual Result<Account> ensure_main_account(std::optional<std::string> sid,
                                                            std::optional<std::string> auth_token) = 0;
  // NotFound before ensure_main_account ran.
  [[nodiscard]] virtual Result<Account> main_account() = 0;

  // A sub-account: `account.owner_account_sid` must name the main account
  // (ForeignKey otherwise: sub-accounts do not own sub-accounts). sid,
  // auth_token are generated when empty; status defaults to "active".
  [[nodiscard]] virtual Result<Account> create_subaccount(const Account& account) = 0;

  // Any account by sid (used for authentication: compare auth_token in
  // constant time).
  [[nodiscard]] virtual Result<Account> fetch(std::string_view sid) = 0;

  // Accounts whose owner_account_sid is `owner_sid`, in seq order. For the
  // main account that is itself (its owner is itself) followed by its
  // sub-accounts, which is what Accounts.json lists. Empty for a sub-account.
  [[nodiscard]] virtual Result<Page<Account>> list_children(std::string_view owner_sid, const AccountFilter& filter,
                                                            const PageRequest& page) = 0;

  // Writes friendly_name, status and auth_token of the account `account.sid`;
  // the rest is immutable. NotFound when absent.
  [[nodiscard]] virtual Result<Account> update(const Account& account) = 0;
};

}  // namespace callwire::store
