#pragma once
// Every repository test runs once per backend: TEST_P on a fixture derived
// from StoreTest, instantiated with CALLWIRE_STORE_BACKENDS(Suite).
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/open_store.hpp"

namespace callwire::store::test {

enum class Backend { Sqlite, Postgres };

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Opens a fresh store: a new temp directory (SQLite) or a new schema
  // (PostgreSQL). Fails the test loudly when PostgreSQL is not available.
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Closes the store and opens the same database again.
  void reopen();

  // The main account and one sub-account (created on first call).
  const Account& main_account();
  const Account& sub_account();

  // Minimal valid rows.
  Domain make_domain(const std::string& account_sid, const std::string& name);
  CredentialList make_credential_list(const std::string& account_sid, const std::string& name = "list");
  IpAccessControlList make_acl(const std::string& account_sid, const std::string& name = "acl");
  Credential make_credential(const CredentialList& list, const std::string& username);
  IpAddress make_ip(const IpAccessControlList& acl, const std::string& ip, int prefix = 0);

  StoreConfig config_;
  std::unique_ptr<Store> store_;
  std::string tmp_dir_;
  std::string schema_;

 private:
  std::optional<Account> main_;
  std::optional<Account> sub_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);
// Readable parameter in test listings ("Sqlite" rather than raw bytes).
void PrintTo(Backend backend, std::ostream* os);

#define CALLWIRE_STORE_BACKENDS(suite)                                                                         \
  INSTANTIATE_TEST_SUITE_P(Store, suite,                                                                       \
                           ::testing::Values(::callwire::store::test::Backend::Sqlite,                          \
                                             ::callwire::store::test::Backend::Postgres),                       \
                           ::callwire::store::test::backend_name)

// gtest assertions on store results.
#define EXPECT_STORE_ERROR(expr, errc)                                                                         \
  do {                                                                                                         \
    auto&& r_ = (expr);                                                                                        \
    ASSERT_FALSE(r_.has_value()) << #expr << " succeeded, expected " << #errc;                                 \
    EXPECT_EQ(r_.error().code, ::callwire::store::make_error_code(errc)) << r_.error().what();                 \
  } while (0)

#define ASSERT_STORE_OK(expr)                                                                                  \
  do {                                                                                                         \
    auto&& r_ = (expr);                                                                                        \
    ASSERT_TRUE(r_.has_value()) << #expr << ": " << r_.error().what();                                         \
  } while (0)

// Unwraps a Result or fails the test.
template <class T>
T ok(Result<T> r, const char* what = "") {
  if (!r) {
    ADD_FAILURE() << what << ": " << r.error().what();
    return T{};
  }
  return std::move(*r);
}

}  // namespace callwire::store::test
