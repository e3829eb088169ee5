#pragma once
// Credential lists (containers of SIP digest users).
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

class CredentialListStore {
 public:
  virtual ~CredentialListStore() = default;

  // ForeignKey when the account does not exist.
  [[nodiscard]] virtual Result<CredentialList> create(const CredentialList& list) = 0;
  // NotFound unless `sid` belongs to `account_sid`.
  [[nodiscard]] virtual Result<CredentialList> fetch(std::string_view account_sid, std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<CredentialList>> list(std::string_view account_sid, const PageRequest& page) = 0;
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view account_sid) = 0;
  // Writes friendly_name.
  [[nodiscard]] virtual Result<CredentialList> update(const CredentialList& list) = 0;
  // Deletes the list and its credentials. ForeignKey while the list is mapped
  // to any domain (see store.hpp: deleting a mapped list is refused).
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
