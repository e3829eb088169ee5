#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class AccountStoreTest : public StoreTest {};

TEST_P(AccountStoreTest, MainAccountIsCreatedOnceOnAnEmptyStore) {
  EXPECT_STORE_ERROR(store().accounts().main_account(), Errc::NotFound);
  auto first = ok(store().accounts().ensure_main_account({}, {}));
  EXPECT_TRUE(is_sid(first.sid, "AC"));
  EXPECT_EQ(first.owner_account_sid, first.sid);
  EXPECT_TRUE(first.is_main());
  EXPECT_EQ(first.auth_token.size(), 32u);
  EXPECT_EQ(first.status, "active");
  EXPECT_EQ(first.type, "Full");

  auto again = ok(store().accounts().ensure_main_account({}, {}));
  EXPECT_EQ(again.sid, first.sid);
  EXPECT_EQ(again.auth_token, first.auth_token);
  // Same credentials given explicitly: still idempotent.
  auto explicit_again = ok(store().accounts().ensure_main_account(first.sid, first.auth_token));
  EXPECT_EQ(explicit_again.sid, first.sid);

  reopen();
  EXPECT_EQ(ok(store().accounts().main_account()).sid, first.sid);
  EXPECT_EQ(ok(store().accounts().ensure_main_account({}, {})).auth_token, first.auth_token);
}

TEST_P(AccountStoreTest, MainAccountUsesGivenSidAndToken) {
  const std::string sid = "AC0123456789abcdef0123456789abcdef";
  const std::string token = "fedcba9876543210fedcba9876543210";
  auto a = ok(store().accounts().ensure_main_account(sid, token));
  EXPECT_EQ(a.sid, sid);
  EXPECT_EQ(a.auth_token, token);
  // Different credentials on a later start are not silently ignored.
  EXPECT_STORE_ERROR(store().accounts().ensure_main_account("AC" + std::string(32, '1'), {}), Errc::Conflict);
  EXPECT_STORE_ERROR(store().accounts().ensure_main_account(sid, std::string(32, '2')), Errc::Conflict);
  EXPECT_EQ(ok(store().accounts().fetch(sid)).auth_token, token);
}

TEST_P(AccountStoreTest, MalformedMainCredentialsAreInvalid) {
  EXPECT_STORE_ERROR(store().accounts().ensure_main_account("AC123", {}), Errc::Invalid);
  EXPECT_STORE_ERROR(store().accounts().ensure_main_account({}, "short"), Errc::Invalid);
  EXPECT_STORE_ERROR(store().accounts().ensure_main_account({}, std::string(32, 'g')), Errc::Invalid);
  EXPECT_STORE_ERROR(store().accounts().main_account(), Errc::NotFound);
}

TEST_P(AccountStoreTest, SubAccountsBelongToTheMainAccount) {
  const Account& main = main_account();
  Account a;
  a.owner_account_sid = main.sid;
  a.friendly_name = "tenant one";
  auto sub = ok(store().accounts().create_subaccount(a));
  EXPECT_TRUE(is_sid(sub.sid, "AC"));
  EXPECT_NE(sub.sid, main.sid);
  EXPECT_EQ(sub.owner_account_sid, main.sid);
  EXPECT_FALSE(sub.is_main());
  EXPECT_EQ(sub.auth_token.size(), 32u);
  EXPECT_NE(sub.auth_token, main.auth_token);
  EXPECT_EQ(sub.status, "active");

  auto fetched = ok(store().accounts().fetch(sub.sid));
  EXPECT_EQ(fetched.friendly_name, "tenant one");
  EXPECT_EQ(fetched.auth_token, sub.auth_token);
  EXPECT_EQ(fetched.date_created, sub.date_created);
  EXPECT_EQ(fetched.seq, sub.seq);

  // Sub-accounts do not own sub-accounts; an unknown owner is refused too.
  Account nested;
  nested.owner_account_sid = sub.sid;
  nested.friendly_name = "nested";
  EXPECT_STORE_ERROR(store().accounts().create_subaccount(nested), Errc::ForeignKey);
  nested.owner_account_sid = "AC" + std::string(32, '9');
  EXPECT_STORE_ERROR(store().accounts().create_subaccount(nested), Errc::ForeignKey);
  EXPECT_STORE_ERROR(store().accounts().fetch("AC" + std::string(32, '9')), Errc::NotFound);
}

TEST_P(AccountStoreTest, ListChildrenListsTheMainAccountThenItsSubAccounts) {
  const Account& main = main_account();
  std::vector<std::string> expected{main.sid};
  for (int i = 0; i < 4; ++i) {
    Account a;
    a.owner_account_sid = main.sid;
    a.friendly_name = i % 2 ? "odd" : "even";
    expected.push_back(ok(store().accounts().create_subaccount(a)).sid);
  }
  auto page = ok(store().accounts().list_children(main.sid, {}, PageRequest{.page_size = 50}));
  std::vector<std::string> got;
  for (const auto& a : page.items) got.push_back(a.sid);
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(page.has_more);

  auto odd = ok(store().accounts().list_children(main.sid, AccountFilter{.friendly_name = "odd"}, {}));
  ASSERT_EQ(odd.items.size(), 2u);
  EXPECT_EQ(odd.items[0].sid, expected[2]);

  // A sub-account owns nothing.
  EXPECT_TRUE(ok(store().accounts().list_children(expected[1], {}, {})).items.empty());

  auto two = ok(store().accounts().list_children(main.sid, {}, PageRequest{.page_size = 2}));
  EXPECT_EQ(two.items.size(), 2u);
  EXPECT_TRUE(two.has_more);
}

TEST_P(AccountStoreTest, UpdateChangesNameStatusAndToken) {
  const Account& sub = sub_account();
  Account a = sub;
  a.friendly_name = "renamed";
  a.status = "suspended";
  a.auth_token = std::string(32, 'c');
  a.owner_account_sid = a.sid;  // immutable: ignored
  auto updated = ok(store().accounts().update(a));
  EXPECT_EQ(updated.friendly_name, "renamed");
  EXPECT_EQ(updated.status, "suspended");
  EXPECT_EQ(updated.auth_token, std::string(32, 'c'));
  EXPECT_EQ(updated.owner_account_sid, main_account().sid);
  EXPECT_EQ(updated.date_created, sub.date_created);
  EXPECT_GE(updated.date_updated, sub.date_updated);

  auto suspended = ok(store().accounts().list_children(main_account().sid, AccountFilter{.status = "suspended"}, {}));
  ASSERT_EQ(suspended.items.size(), 1u);
  EXPECT_EQ(suspended.items[0].sid, sub.sid);

  a.status = "deleted";
  EXPECT_STORE_ERROR(store().accounts().update(a), Errc::Invalid);
  a.status = "closed";
  a.sid = "AC" + std::string(32, '7');
  EXPECT_STORE_ERROR(store().accounts().update(a), Errc::NotFound);
}

CALLWIRE_STORE_BACKENDS(AccountStoreTest);

}  // namespace
}  // namespace callwire::store::test
