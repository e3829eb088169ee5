#pragma once
// Outbound trunks (callwire's extension, docs/compatibility.md). Tenant
// configuration: every write moves Store::generation(), so a node caching an
// account's trunks for routing sees changes from the REST API and from other
// nodes. Passwords are encrypted at rest and decrypted on read; a read whose
// password cannot be decrypted (wrong or missing secret key) fails with
// Errc::SecretKey rather than returning anything made up.
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

class TrunkStore {
 public:
  virtual ~TrunkStore() = default;

  // Stores `trunk` (sid generated when empty). ForeignKey when the account
  // does not exist, Conflict when the sid exists, Invalid for an unknown
  // number_format, SecretKey when a password is given and no key is usable.
  [[nodiscard]] virtual Result<Trunk> create(const Trunk& trunk) = 0;
  // NotFound unless `sid` exists *and* belongs to `account_sid`.
  [[nodiscard]] virtual Result<Trunk> fetch(std::string_view account_sid, std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<Trunk>> list(std::string_view account_sid, const PageRequest& page) = 0;
  // Every trunk of the account, enabled or not, in creation order (routing
  // reads them all at once; an account has few).
  [[nodiscard]] virtual Result<std::vector<Trunk>> list_all(std::string_view account_sid) = 0;
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view account_sid) = 0;
  // Writes every mutable field of (trunk.account_sid, trunk.sid), password
  // included ("" removes it); sid, account_sid and date_created are kept.
  [[nodiscard]] virtual Result<Trunk> update(const Trunk& trunk) = 0;
  // Needs no key: a trunk whose password cannot be decrypted can still go.
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
