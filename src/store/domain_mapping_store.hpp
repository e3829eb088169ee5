#pragma once
// Lists mapped to domains. One table behind both REST generations: a legacy
// CredentialListMappings / IpAccessControlListMappings row *is* the
// Auth/Calls row (usage Calls), so mapping the same list through both paths
// is a Conflict.
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

struct MappingKey {
  std::string_view account_sid;
  std::string_view domain_sid;
  MappingKind kind = MappingKind::CredentialList;
  MappingUsage usage = MappingUsage::Calls;
};

class DomainMappingStore {
 public:
  virtual ~DomainMappingStore() = default;

  // Maps list `list_sid` (CL… for CredentialList, AL… for IpAccessControlList)
  // to the domain. Both must belong to key.account_sid, else ForeignKey (detail
  // names the missing one). Conflict when already mapped for that usage.
  // Invalid for an IP ACL with usage Registrations (REGISTER is digest-only).
  [[nodiscard]] virtual Result<Mapping> map(const MappingKey& key, std::string_view list_sid) = 0;
  // NotFound unless that mapping exists in that account.
  [[nodiscard]] virtual Result<Mapping> fetch(const MappingKey& key, std::string_view list_sid) = 0;
  [[nodiscard]] virtual Result<Page<Mapping>> list(const MappingKey& key, const PageRequest& page) = 0;
  // NotFound when not mapped.
  [[nodiscard]] virtual Status unmap(const MappingKey& key, std::string_view list_sid) = 0;
  // Every mapping (any domain, kind-specific usage) of one list, seq order.
  [[nodiscard]] virtual Result<std::vector<Mapping>> list_by_list(std::string_view account_sid,
                                                                  std::string_view list_sid) = 0;
};

}  // namespace callwire::store
