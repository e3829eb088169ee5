#pragma once
// Addresses inside an IP access control list.
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

class IpAddressStore {
 public:
  virtual ~IpAddressStore() = default;

  // ForeignKey when the ACL does not exist in address.account_sid. The store
  // does not parse the address; the API validates it.
  [[nodiscard]] virtual Result<IpAddress> create(const IpAddress& address) = 0;
  // NotFound unless `sid` is in ACL `list_sid` of `account_sid`.
  [[nodiscard]] virtual Result<IpAddress> fetch(std::string_view account_sid, std::string_view list_sid,
                                                std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<IpAddress>> list(std::string_view account_sid, std::string_view list_sid,
                                                     const PageRequest& page) = 0;
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view account_sid, std::string_view list_sid) = 0;
  // Writes friendly_name, ip_address and cidr_prefix_length.
  [[nodiscard]] virtual Result<IpAddress> update(const IpAddress& address) = 0;
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view list_sid,
                                      std::string_view sid) = 0;
};

}  // namespace callwire::store
