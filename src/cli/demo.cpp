#include "cli/demo.hpp"

#include "api/digest.hpp"
#include "core/sid.hpp"
#include "store/errc.hpp"

namespace callwire::cli {
namespace {

constexpr std::string_view kMessage =
    "Congratulations!%20You%20just%20made%20your%20first%20call%20with%20callwire%20SIP.";

}  // namespace

Result<DemoDomain> ensure_demo_domain(store::Store& store, std::string_view sip_domain_base,
                                      std::string_view http_base, std::string_view realm) {
  DemoDomain demo;
  demo.domain_name = "demo.sip." + std::string(sip_domain_base);
  demo.username = "demo";
  auto existing = store.domains().find_by_name(demo.domain_name);
  if (existing) return demo;  // created on an earlier run: left as the user may have changed it
  if (!store::is(existing.error(), store::Errc::NotFound)) return std::unexpected(existing.error());

  auto account = store.accounts().main_account();
  if (!account) return std::unexpected(account.error());
  const std::string& account_sid = account->sid;

  store::CredentialList cl;
  cl.account_sid = account_sid;
  cl.friendly_name = "demo phones";
  auto list = store.credential_lists().create(cl);
  if (!list) return std::unexpected(list.error());
  // 12+ characters with upper, lower and a digit (contract 3.2).
  demo.password = "Demo-" + secure_random_hex(12) + "-X7";
  store::Credential credential;
  credential.account_sid = account_sid;
  credential.credential_list_sid = list->sid;
  credential.username = demo.username;
  credential.ha1_md5 = api::ha1_md5(demo.username, realm, demo.password);
  credential.ha1_sha256 = api::ha1_sha256(demo.username, realm, demo.password);
  if (auto created = store.credentials().create(credential); !created) return std::unexpected(created.error());

  store::IpAccessControlList al;
  al.account_sid = account_sid;
  al.friendly_name = "demo: this host";
  auto acl = store.ip_access_control_lists().create(al);
  if (!acl) return std::unexpected(acl.error());
  store::IpAddress ip;
  ip.account_sid = account_sid;
  ip.ip_access_control_list_sid = acl->sid;
  ip.friendly_name = "localhost";
  ip.ip_address = "127.0.0.1";
  if (auto created = store.ip_addresses().create(ip); !created) return std::unexpected(created.error());

  store::Domain d;
  d.account_sid = account_sid;
  d.domain_name = demo.domain_name;
  d.friendly_name = "callwire demo";
  d.voice_url = std::string(http_base) + "/twimlets/message?Message%5B0%5D=" + std::string(kMessage);
  auto domain = store.domains().create(d);
  if (!domain) return std::unexpected(domain.error());
  for (auto [kind, sid] : {std::pair{store::MappingKind::CredentialList, list->sid},
                           std::pair{store::MappingKind::IpAccessControlList, acl->sid}}) {
    store::MappingKey key{account_sid, domain->sid, kind, store::MappingUsage::Calls};
    if (auto mapped = store.mappings().map(key, sid); !mapped) return std::unexpected(mapped.error());
  }
  demo.created = true;
  return demo;
}

}  // namespace callwire::cli
