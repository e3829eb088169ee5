#pragma once
// SIP domains. Names are globally unique across accounts, compared
// case-insensitively (stored lowercase).
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

class DomainStore {
 public:
  virtual ~DomainStore() = default;

  // Stores `domain` (domain_name lowercased). Conflict when the name is taken
  // (by any account); ForeignKey when the account does not exist.
  [[nodiscard]] virtual Result<Domain> create(const Domain& domain) = 0;
  // NotFound unless `sid` exists *and* belongs to `account_sid`.
  [[nodiscard]] virtual Result<Domain> fetch(std::string_view account_sid, std::string_view sid) = 0;
  // Global lookup by name, any case (routing, uniqueness and subdomain rules).
  [[nodiscard]] virtual Result<Domain> find_by_name(std::string_view domain_name) = 0;
  [[nodiscard]] virtual Result<Page<Domain>> list(std::string_view account_sid, const PageRequest& page) = 0;
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view account_sid) = 0;
  // Writes every mutable field of (domain.account_sid, domain.sid); sid,
  // account_sid and date_created are kept. Conflict on a taken new name.
  [[nodiscard]] virtual Result<Domain> update(const Domain& domain) = 0;
  // Deletes the domain and its mappings (cascade).
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
