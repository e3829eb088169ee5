// Domain mappings, the delete rules around them, and domain_auth().
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class MappingStoreTest : public StoreTest {
 protected:
  MappingKey key(const Domain& d, MappingKind kind, MappingUsage usage = MappingUsage::Calls) {
    return MappingKey{d.account_sid, d.sid, kind, usage};
  }
};

constexpr auto kCl = MappingKind::CredentialList;
constexpr auto kAl = MappingKind::IpAccessControlList;
constexpr auto kCalls = MappingUsage::Calls;
constexpr auto kRegistrations = MappingUsage::Registrations;

TEST_P(MappingStoreTest, MapFetchListUnmap) {
  const Account& main = main_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "map.sip.localhost")));
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid, "users")));
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid, "pbx")));

  auto m = ok(store().mappings().map(key(d, kCl), cl.sid));
  EXPECT_EQ(m.list_sid, cl.sid);
  EXPECT_EQ(m.domain_sid, d.sid);
  EXPECT_EQ(m.account_sid, main.sid);
  EXPECT_EQ(m.kind, kCl);
  EXPECT_EQ(m.usage, kCalls);
  EXPECT_EQ(m.friendly_name, "users");
  auto d1 = ok(store().domains().fetch(main.sid, d.sid));
  EXPECT_TRUE(d1.calls_credential_list_mapped);
  EXPECT_FALSE(d1.calls_ip_acl_mapped);

  ASSERT_STORE_OK(store().mappings().map(key(d, kAl), acl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl, kRegistrations), cl.sid));
  auto d2 = ok(store().domains().find_by_name("map.sip.localhost"));
  EXPECT_TRUE(d2.calls_credential_list_mapped);
  EXPECT_TRUE(d2.calls_ip_acl_mapped);

  auto f = ok(store().mappings().fetch(key(d, kAl), acl.sid));
  EXPECT_EQ(f.friendly_name, "pbx");
  EXPECT_EQ(f.kind, kAl);
  EXPECT_STORE_ERROR(store().mappings().fetch(key(d, kAl), cl.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().mappings().fetch(key(d, kCl), acl.sid), Errc::NotFound);

  auto calls = ok(store().mappings().list(key(d, kCl), {}));
  ASSERT_EQ(calls.items.size(), 1u);
  EXPECT_EQ(calls.items[0].usage, kCalls);
  auto regs = ok(store().mappings().list(key(d, kCl, kRegistrations), {}));
  ASSERT_EQ(regs.items.size(), 1u);
  EXPECT_EQ(regs.items[0].usage, kRegistrations);
  EXPECT_EQ(ok(store().mappings().list_by_list(main.sid, cl.sid)).size(), 2u);
  EXPECT_EQ(ok(store().mappings().list_by_list(main.sid, acl.sid)).size(), 1u);
  EXPECT_STORE_ERROR(store().mappings().list_by_list(main.sid, d.sid), Errc::Invalid);

  ASSERT_STORE_OK(store().mappings().unmap(key(d, kCl), cl.sid));
  EXPECT_STORE_ERROR(store().mappings().unmap(key(d, kCl), cl.sid), Errc::NotFound);
  EXPECT_FALSE(ok(store().domains().fetch(main.sid, d.sid)).calls_credential_list_mapped);
  // The registrations mapping of the same list is a different row.
  EXPECT_EQ(ok(store().mappings().list_by_list(main.sid, cl.sid)).size(), 1u);
}

TEST_P(MappingStoreTest, MappingTwiceIsAConflictWhateverThePath) {
  // Legacy CredentialListMappings and Auth/Calls are the same row: the API
  // calls map() with usage Calls for both, so the second one conflicts.
  const Account& main = main_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "dup.sip.localhost")));
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid)));
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  ASSERT_STORE_OK(store().mappings().map(key(d, kAl), acl.sid));
  auto again = store().mappings().map(key(d, kAl), acl.sid);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, make_error_code(Errc::Conflict));
  EXPECT_EQ(again.error().detail, "IpAccessControlList already associated with this domain");
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl), cl.sid));
  EXPECT_STORE_ERROR(store().mappings().map(key(d, kCl), cl.sid), Errc::Conflict);
  EXPECT_EQ(ok(store().mappings().list(key(d, kAl), {})).items.size(), 1u);
}

TEST_P(MappingStoreTest, MappingChecksDomainListAndUsage) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "check.sip.localhost")));
  auto sub_domain = ok(store().domains().create(make_domain(sub.sid, "subcheck.sip.localhost")));
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid)));
  auto sub_cl = ok(store().credential_lists().create(make_credential_list(sub.sid)));

  // REGISTER is digest-only.
  EXPECT_STORE_ERROR(store().mappings().map(key(d, kAl, kRegistrations), acl.sid), Errc::Invalid);
  // Missing list, another account's list, another account's domain.
  EXPECT_STORE_ERROR(store().mappings().map(key(d, kCl), "CL" + std::string(32, '3')), Errc::ForeignKey);
  EXPECT_STORE_ERROR(store().mappings().map(key(d, kCl), sub_cl.sid), Errc::ForeignKey);
  MappingKey foreign{main.sid, sub_domain.sid, kAl, kCalls};
  auto r = store().mappings().map(foreign, acl.sid);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::ForeignKey));
  EXPECT_NE(r.error().detail.find(sub_domain.sid), std::string::npos);
  // A list of the wrong kind is "missing".
  EXPECT_STORE_ERROR(store().mappings().map(key(d, kCl), acl.sid), Errc::ForeignKey);

  // Fetch / list / unmap through another account see nothing.
  ASSERT_STORE_OK(store().mappings().map(key(sub_domain, kCl), sub_cl.sid));
  MappingKey peek{main.sid, sub_domain.sid, kCl, kCalls};
  EXPECT_STORE_ERROR(store().mappings().fetch(peek, sub_cl.sid), Errc::NotFound);
  EXPECT_TRUE(ok(store().mappings().list(peek, {})).items.empty());
  EXPECT_STORE_ERROR(store().mappings().unmap(peek, sub_cl.sid), Errc::NotFound);
  EXPECT_TRUE(ok(store().mappings().list_by_list(main.sid, sub_cl.sid)).empty());
  EXPECT_EQ(ok(store().mappings().list_by_list(sub.sid, sub_cl.sid)).size(), 1u);
}

TEST_P(MappingStoreTest, MappedListsCannotBeDeletedUntilUnmapped) {
  const Account& main = main_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "pin.sip.localhost")));
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid)));
  auto user = ok(store().credentials().create(make_credential(cl, "alice")));
  auto ip = ok(store().ip_addresses().create(make_ip(acl, "192.0.2.1")));
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl, kRegistrations), cl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kAl), acl.sid));

  const auto before = store().generation();
  auto refused = store().credential_lists().remove(main.sid, cl.sid);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, make_error_code(Errc::ForeignKey));
  EXPECT_NE(refused.error().detail.find("mapped"), std::string::npos) << refused.error().detail;
  EXPECT_STORE_ERROR(store().ip_access_control_lists().remove(main.sid, acl.sid), Errc::ForeignKey);
  EXPECT_EQ(store().generation(), before);  // refused writes change nothing
  // Nothing was removed.
  EXPECT_EQ(ok(store().credentials().fetch(main.sid, cl.sid, user.sid)).username, "alice");
  EXPECT_EQ(ok(store().ip_addresses().fetch(main.sid, acl.sid, ip.sid)).ip_address, "192.0.2.1");
  EXPECT_EQ(ok(store().mappings().list_by_list(main.sid, cl.sid)).size(), 1u);

  ASSERT_STORE_OK(store().mappings().unmap(key(d, kCl, kRegistrations), cl.sid));
  ASSERT_STORE_OK(store().credential_lists().remove(main.sid, cl.sid));
  EXPECT_STORE_ERROR(store().credentials().fetch(main.sid, cl.sid, user.sid), Errc::NotFound);
}

TEST_P(MappingStoreTest, DeletingADomainRemovesItsMappings) {
  const Account& main = main_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "gone.sip.localhost")));
  auto other = ok(store().domains().create(make_domain(main.sid, "stays.sip.localhost")));
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid)));
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl), cl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl, kRegistrations), cl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kAl), acl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(other, kAl), acl.sid));

  ASSERT_STORE_OK(store().domains().remove(main.sid, d.sid));
  EXPECT_TRUE(ok(store().mappings().list_by_list(main.sid, cl.sid)).empty());
  auto acl_maps = ok(store().mappings().list_by_list(main.sid, acl.sid));
  ASSERT_EQ(acl_maps.size(), 1u);
  EXPECT_EQ(acl_maps[0].domain_sid, other.sid);
  EXPECT_TRUE(ok(store().mappings().list(key(d, kCl), {})).items.empty());
  // The lists survive the domain; the unmapped one can now be deleted.
  ASSERT_STORE_OK(store().credential_lists().remove(main.sid, cl.sid));
  EXPECT_STORE_ERROR(store().ip_access_control_lists().remove(main.sid, acl.sid), Errc::ForeignKey);
}

TEST_P(MappingStoreTest, DomainAuthSnapshot) {
  const Account& sub = sub_account();
  EXPECT_EQ(ok(store().domain_auth("nothing.sip.localhost")), std::nullopt);

  Domain dd = make_domain(sub.sid, "Auth.sip.localhost");
  dd.voice_url = "https://example.com/voice";
  auto d = ok(store().domains().create(dd));
  auto bare = ok(store().domain_auth("AUTH.sip.localhost"));
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->domain.sid, d.sid);
  EXPECT_EQ(bare->domain.voice_url, dd.voice_url);
  EXPECT_EQ(bare->account_status, "active");
  EXPECT_EQ(bare->owner_account_status, "active");
  EXPECT_TRUE(bare->accepts_traffic());
  EXPECT_TRUE(bare->call_ip_acl_sids.empty());
  EXPECT_TRUE(bare->call_credential_list_sids.empty());

  auto acl = ok(store().ip_access_control_lists().create(make_acl(sub.sid)));
  auto empty_acl = ok(store().ip_access_control_lists().create(make_acl(sub.sid, "empty")));
  ASSERT_STORE_OK(store().ip_addresses().create(make_ip(acl, "192.0.2.5")));
  ASSERT_STORE_OK(store().ip_addresses().create(make_ip(acl, "198.51.100.0", 24)));
  auto calls = ok(store().credential_lists().create(make_credential_list(sub.sid, "calls")));
  auto regs = ok(store().credential_lists().create(make_credential_list(sub.sid, "regs")));
  auto alice = make_credential(calls, "alice");
  alice.ha1_md5 = std::string(32, '1');
  ASSERT_STORE_OK(store().credentials().create(alice));
  auto bob = make_credential(regs, "bob");
  bob.ha1_md5 = std::string(32, '2');
  ASSERT_STORE_OK(store().credentials().create(bob));
  ASSERT_STORE_OK(store().mappings().map(key(d, kAl), acl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kAl), empty_acl.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl), calls.sid));
  ASSERT_STORE_OK(store().mappings().map(key(d, kCl, kRegistrations), regs.sid));
  // A list mapped to another domain only does not leak in.
  auto elsewhere = ok(store().domains().create(make_domain(sub.sid, "elsewhere.sip.localhost")));
  auto stray = ok(store().credential_lists().create(make_credential_list(sub.sid, "stray")));
  ASSERT_STORE_OK(store().credentials().create(make_credential(stray, "mallory")));
  ASSERT_STORE_OK(store().mappings().map(key(elsewhere, kCl), stray.sid));

  auto a = ok(store().domain_auth("auth.sip.localhost"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->call_ip_acl_sids, (std::vector<std::string>{acl.sid, empty_acl.sid}));
  ASSERT_EQ(a->call_ips.size(), 2u);
  EXPECT_EQ(a->call_ips[0].ip_address, "192.0.2.5");
  EXPECT_EQ(a->call_ips[0].cidr_prefix_length, 0);
  EXPECT_EQ(a->call_ips[1].ip_address, "198.51.100.0");
  EXPECT_EQ(a->call_ips[1].cidr_prefix_length, 24);
  EXPECT_EQ(a->call_ips[1].ip_access_control_list_sid, acl.sid);
  EXPECT_EQ(a->call_credential_list_sids, std::vector<std::string>{calls.sid});
  EXPECT_EQ(a->registration_credential_list_sids, std::vector<std::string>{regs.sid});
  ASSERT_EQ(a->call_users.size(), 1u);
  EXPECT_EQ(a->call_users[0].username, "alice");
  EXPECT_EQ(a->call_users[0].ha1_md5, std::string(32, '1'));
  EXPECT_EQ(a->call_users[0].credential_list_sid, calls.sid);
  ASSERT_EQ(a->registration_users.size(), 1u);
  EXPECT_EQ(a->registration_users[0].username, "bob");
  EXPECT_TRUE(a->domain.calls_ip_acl_mapped);
  EXPECT_TRUE(a->domain.calls_credential_list_mapped);

  // Suspending the sub-account, or its owner, shows in the snapshot.
  Account s = sub;
  s.status = "suspended";
  ASSERT_STORE_OK(store().accounts().update(s));
  a = ok(store().domain_auth("auth.sip.localhost"));
  EXPECT_EQ(a->account_status, "suspended");
  EXPECT_FALSE(a->accepts_traffic());
  s.status = "active";
  ASSERT_STORE_OK(store().accounts().update(s));
  Account m = main_account();
  m.status = "closed";
  ASSERT_STORE_OK(store().accounts().update(m));
  a = ok(store().domain_auth("auth.sip.localhost"));
  EXPECT_EQ(a->account_status, "active");
  EXPECT_EQ(a->owner_account_status, "closed");
  EXPECT_FALSE(a->accepts_traffic());
}

CALLWIRE_STORE_BACKENDS(MappingStoreTest);

}  // namespace
}  // namespace callwire::store::test
