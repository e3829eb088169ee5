#pragma once
// SIP digest users inside a credential list. Only HA1 digests are stored.
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;

  // ForeignKey when the list does not exist in credential.account_sid;
  // Conflict when the username already exists in that list.
  [[nodiscard]] virtual Result<Credential> create(const Credential& credential) = 0;
  // NotFound unless `sid` is in list `list_sid` of `account_sid`.
  [[nodiscard]] virtual Result<Credential> fetch(std::string_view account_sid, std::string_view list_sid,
                                                 std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<Credential>> list(std::string_view account_sid, std::string_view list_sid,
                                                      const PageRequest& page) = 0;
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view account_sid, std::string_view list_sid) = 0;
  // Writes username, ha1_md5 and ha1_sha256 of (account, list, sid). The REST
  // API only changes the password; a changed username may give Conflict.
  [[nodiscard]] virtual Result<Credential> update(const Credential& credential) = 0;
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view list_sid,
                                      std::string_view sid) = 0;
};

}  // namespace callwire::store
