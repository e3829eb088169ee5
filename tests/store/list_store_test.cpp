// Credential lists, credentials, IP ACLs and IP addresses.
#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class ListStoreTest : public StoreTest {};

TEST_P(ListStoreTest, CredentialListCrud) {
  const Account& main = main_account();
  auto l = ok(store().credential_lists().create(make_credential_list(main.sid, "office phones")));
  EXPECT_TRUE(is_sid(l.sid, "CL"));
  EXPECT_EQ(l.account_sid, main.sid);
  auto f = ok(store().credential_lists().fetch(main.sid, l.sid));
  EXPECT_EQ(f.friendly_name, "office phones");
  EXPECT_EQ(f.seq, l.seq);
  EXPECT_EQ(f.date_created, l.date_created);

  f.friendly_name = "desk phones";
  auto u = ok(store().credential_lists().update(f));
  EXPECT_EQ(u.friendly_name, "desk phones");
  EXPECT_EQ(u.date_created, l.date_created);
  EXPECT_EQ(ok(store().credential_lists().count(main.sid)), 1u);

  ASSERT_STORE_OK(store().credential_lists().remove(main.sid, l.sid));
  EXPECT_STORE_ERROR(store().credential_lists().fetch(main.sid, l.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credential_lists().update(f), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credential_lists().remove(main.sid, l.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credential_lists().create(make_credential_list("AC" + std::string(32, '5'))),
                     Errc::ForeignKey);
}

TEST_P(ListStoreTest, CredentialCrudKeepsOnlyDigests) {
  const Account& main = main_account();
  auto l = ok(store().credential_lists().create(make_credential_list(main.sid)));
  Credential c = make_credential(l, "alice");
  c.ha1_md5 = "0123456789abcdef0123456789abcdef";
  c.ha1_sha256 = std::string(64, 'f');
  auto created = ok(store().credentials().create(c));
  EXPECT_TRUE(is_sid(created.sid, "CR"));
  auto f = ok(store().credentials().fetch(main.sid, l.sid, created.sid));
  EXPECT_EQ(f.username, "alice");
  EXPECT_EQ(f.credential_list_sid, l.sid);
  EXPECT_EQ(f.ha1_md5, c.ha1_md5);
  EXPECT_EQ(f.ha1_sha256, c.ha1_sha256);

  f.ha1_md5 = std::string(32, '1');
  f.ha1_sha256 = std::string(64, '2');
  auto u = ok(store().credentials().update(f));
  EXPECT_EQ(u.ha1_md5, std::string(32, '1'));
  EXPECT_EQ(u.ha1_sha256, std::string(64, '2'));
  EXPECT_EQ(u.username, "alice");
  EXPECT_EQ(u.date_created, created.date_created);

  auto page = ok(store().credentials().list(main.sid, l.sid, {}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].ha1_md5, std::string(32, '1'));
  EXPECT_EQ(ok(store().credentials().count(main.sid, l.sid)), 1u);

  ASSERT_STORE_OK(store().credentials().remove(main.sid, l.sid, created.sid));
  EXPECT_STORE_ERROR(store().credentials().fetch(main.sid, l.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credentials().remove(main.sid, l.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credentials().update(f), Errc::NotFound);
}

TEST_P(ListStoreTest, UsernamesAreUniquePerList) {
  const Account& main = main_account();
  auto a = ok(store().credential_lists().create(make_credential_list(main.sid, "a")));
  auto b = ok(store().credential_lists().create(make_credential_list(main.sid, "b")));
  auto alice = ok(store().credentials().create(make_credential(a, "alice")));
  auto dup = store().credentials().create(make_credential(a, "alice"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, make_error_code(Errc::Conflict));
  EXPECT_NE(dup.error().detail.find("alice"), std::string::npos);
  // Another list may hold the same username; usernames are case-sensitive.
  ASSERT_STORE_OK(store().credentials().create(make_credential(b, "alice")));
  auto upper = ok(store().credentials().create(make_credential(a, "Alice")));
  // Renaming onto a taken username conflicts.
  upper.username = "alice";
  EXPECT_STORE_ERROR(store().credentials().update(upper), Errc::Conflict);
  EXPECT_EQ(ok(store().credentials().count(main.sid, a.sid)), 2u);
  EXPECT_EQ(ok(store().credentials().fetch(main.sid, a.sid, alice.sid)).username, "alice");
}

TEST_P(ListStoreTest, CredentialsStayInTheirAccountAndList) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  auto main_list = ok(store().credential_lists().create(make_credential_list(main.sid)));
  auto sub_list = ok(store().credential_lists().create(make_credential_list(sub.sid)));
  auto other_list = ok(store().credential_lists().create(make_credential_list(sub.sid, "other")));

  // A credential cannot be put into another account's list.
  Credential sneaky = make_credential(sub_list, "bob");
  sneaky.account_sid = main.sid;
  EXPECT_STORE_ERROR(store().credentials().create(sneaky), Errc::ForeignKey);
  Credential missing = make_credential(sub_list, "bob");
  missing.credential_list_sid = "CL" + std::string(32, '0');
  EXPECT_STORE_ERROR(store().credentials().create(missing), Errc::ForeignKey);

  auto bob = ok(store().credentials().create(make_credential(sub_list, "bob")));
  EXPECT_STORE_ERROR(store().credentials().fetch(main.sid, sub_list.sid, bob.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credentials().fetch(sub.sid, other_list.sid, bob.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credentials().fetch(main.sid, main_list.sid, bob.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credentials().remove(sub.sid, other_list.sid, bob.sid), Errc::NotFound);
  EXPECT_TRUE(ok(store().credentials().list(main.sid, sub_list.sid, {})).items.empty());
  EXPECT_EQ(ok(store().credentials().count(main.sid, sub_list.sid)), 0u);
  EXPECT_STORE_ERROR(store().credential_lists().fetch(main.sid, sub_list.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().credential_lists().remove(main.sid, sub_list.sid), Errc::NotFound);
  CredentialList rename = sub_list;
  rename.account_sid = main.sid;
  EXPECT_STORE_ERROR(store().credential_lists().update(rename), Errc::NotFound);
  EXPECT_EQ(ok(store().credentials().fetch(sub.sid, sub_list.sid, bob.sid)).username, "bob");
}

TEST_P(ListStoreTest, DeletingAnUnmappedListDeletesItsCredentials) {
  const Account& main = main_account();
  auto l = ok(store().credential_lists().create(make_credential_list(main.sid)));
  auto keep = ok(store().credential_lists().create(make_credential_list(main.sid, "keep")));
  auto c1 = ok(store().credentials().create(make_credential(l, "u1")));
  ASSERT_STORE_OK(store().credentials().create(make_credential(l, "u2")));
  auto kept = ok(store().credentials().create(make_credential(keep, "u1")));
  ASSERT_STORE_OK(store().credential_lists().remove(main.sid, l.sid));
  EXPECT_STORE_ERROR(store().credentials().fetch(main.sid, l.sid, c1.sid), Errc::NotFound);
  EXPECT_EQ(ok(store().credentials().count(main.sid, l.sid)), 0u);
  EXPECT_EQ(ok(store().credentials().fetch(main.sid, keep.sid, kept.sid)).username, "u1");
  // A new list reusing nothing: the username is free again in a new list.
  auto again = ok(store().credential_lists().create(make_credential_list(main.sid)));
  ASSERT_STORE_OK(store().credentials().create(make_credential(again, "u1")));
}

TEST_P(ListStoreTest, IpAccessControlListAndAddressCrud) {
  const Account& main = main_account();
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid, "carriers")));
  EXPECT_TRUE(is_sid(acl.sid, "AL"));
  EXPECT_EQ(ok(store().ip_access_control_lists().fetch(main.sid, acl.sid)).friendly_name, "carriers");
  acl.friendly_name = "trunks";
  EXPECT_EQ(ok(store().ip_access_control_lists().update(acl)).friendly_name, "trunks");

  auto ip = ok(store().ip_addresses().create(make_ip(acl, "192.0.2.10")));
  EXPECT_TRUE(is_sid(ip.sid, "IP"));
  EXPECT_EQ(ip.cidr_prefix_length, 0);
  auto range = ok(store().ip_addresses().create(make_ip(acl, "198.51.100.0", 24)));
  auto v6 = ok(store().ip_addresses().create(make_ip(acl, "2001:db8::1", 128)));
  auto f = ok(store().ip_addresses().fetch(main.sid, acl.sid, range.sid));
  EXPECT_EQ(f.ip_address, "198.51.100.0");
  EXPECT_EQ(f.cidr_prefix_length, 24);
  EXPECT_EQ(f.ip_access_control_list_sid, acl.sid);
  EXPECT_EQ(ok(store().ip_addresses().fetch(main.sid, acl.sid, v6.sid)).ip_address, "2001:db8::1");

  f.ip_address = "203.0.113.0";
  f.cidr_prefix_length = 28;
  f.friendly_name = "moved";
  auto u = ok(store().ip_addresses().update(f));
  EXPECT_EQ(u.ip_address, "203.0.113.0");
  EXPECT_EQ(u.cidr_prefix_length, 28);
  EXPECT_EQ(u.friendly_name, "moved");
  EXPECT_EQ(ok(store().ip_addresses().count(main.sid, acl.sid)), 3u);

  ASSERT_STORE_OK(store().ip_addresses().remove(main.sid, acl.sid, ip.sid));
  EXPECT_STORE_ERROR(store().ip_addresses().fetch(main.sid, acl.sid, ip.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().ip_addresses().remove(main.sid, acl.sid, ip.sid), Errc::NotFound);

  // Scoping and parents.
  const Account& sub = sub_account();
  EXPECT_STORE_ERROR(store().ip_access_control_lists().fetch(sub.sid, acl.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().ip_addresses().fetch(sub.sid, acl.sid, range.sid), Errc::NotFound);
  IpAddress foreign = make_ip(acl, "192.0.2.99");
  foreign.account_sid = sub.sid;
  EXPECT_STORE_ERROR(store().ip_addresses().create(foreign), Errc::ForeignKey);
  IpAddress moved = u;
  moved.account_sid = sub.sid;
  EXPECT_STORE_ERROR(store().ip_addresses().update(moved), Errc::NotFound);

  // Deleting the unmapped ACL deletes its addresses.
  ASSERT_STORE_OK(store().ip_access_control_lists().remove(main.sid, acl.sid));
  EXPECT_STORE_ERROR(store().ip_addresses().fetch(main.sid, acl.sid, range.sid), Errc::NotFound);
  EXPECT_EQ(ok(store().ip_addresses().count(main.sid, acl.sid)), 0u);
  EXPECT_EQ(ok(store().ip_access_control_lists().count(main.sid)), 0u);
}

CALLWIRE_STORE_BACKENDS(ListStoreTest);

}  // namespace
}  // namespace callwire::store::test
