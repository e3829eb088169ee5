#pragma once
// What the SIP side needs to admit and authenticate a request for one domain,
// read in one consistent snapshot.
#include <string>
#include <vector>

#include "store/models.hpp"

namespace callwire::store {

struct IpRule {
  std::string ip_address;
  int cidr_prefix_length = 0;  // 0 = the single address
  std::string ip_access_control_list_sid;
};

struct DigestUser {
  std::string username;
  std::string ha1_md5;
  std::string ha1_sha256;
  std::string credential_list_sid;
};

struct DomainAuth {
  Domain domain;
  std::string account_status;        // of the domain's account
  std::string owner_account_status;  // of its main account (== account_status for the main one)

  // Mapped lists, even empty ones: "an ACL is mapped" requires an IP match
  // even when the ACL has no entries (contract 16.5: both kinds mapped =
  // both required). Sorted by mapping seq.
  std::vector<std::string> call_ip_acl_sids;
  std::vector<std::string> call_credential_list_sids;
  std::vector<std::string> registration_credential_list_sids;

  std::vector<IpRule> call_ips;                    // entries of call_ip_acl_sids
  std::vector<DigestUser> call_users;              // entries of call_credential_list_sids
  std::vector<DigestUser> registration_users;      // entries of registration_credential_list_sids

  // Both the account and its owner are active.
  bool accepts_traffic() const {
    return account_status == kAccountActive && owner_account_status == kAccountActive;
  }
};

}  // namespace callwire::store
