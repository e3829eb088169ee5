#pragma once
// IP access control lists (containers of addresses / CIDR ranges).
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

class IpAccessControlListStore {
 public:
  virtual ~IpAccessControlListStore() = default;

  // ForeignKey when the account does not exist.
  [[nodiscard]] virtual Result<IpAccessControlList> create(const IpAccessControlList& list) = 0;
  // NotFound unless `sid` belongs to `account_sid`.
  [[nodiscard]] virtual Result<IpAccessControlList> fetch(std::string_view account_sid, std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<IpAccessControlList>> list(std::string_view account_sid,
                                                               const PageRequest& page) = 0;
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view account_sid) = 0;
  // Writes friendly_name.
  [[nodiscard]] virtual Result<IpAccessControlList> update(const IpAccessControlList& list) = 0;
  // Deletes the ACL and its addresses. ForeignKey while the ACL is mapped to
  // any domain (see store.hpp).
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
