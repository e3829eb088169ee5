#include "store_fixture.hpp"

#include <unistd.h>

#include <filesystem>

#include "pg_server.hpp"

namespace callwire::store::test {

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

void PrintTo(Backend backend, std::ostream* os) { *os << (backend == Backend::Sqlite ? "Sqlite" : "Postgres"); }

void StoreTest::SetUp() {
  // A temp dir for both backends: SQLite's data dir, PostgreSQL's secret key.
  char tmpl[] = "/tmp/callwire-store-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  tmp_dir_ = tmpl;
  if (GetParam() == Backend::Sqlite) {
    config_.data_dir = tmp_dir_ + "/data";
  } else {
    auto url = pg_create_schema(schema_);
    if (!url) GTEST_FAIL() << "PostgreSQL backend tests cannot run: " << url.error().what();
    config_.db_url = *url;
    config_.secret_key_file = tmp_dir_ + "/secret.key";
  }
  auto s = open_store(config_);
  if (!s) GTEST_FAIL() << "open_store failed: " << s.error().what();
  store_ = std::move(*s);
}

void StoreTest::TearDown() {
  store_.reset();
  if (!tmp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmp_dir_, ec);
  }
  if (!schema_.empty()) pg_drop_schema(schema_);
}

void StoreTest::reopen() {
  store_.reset();
  auto s = open_store(config_);
  ASSERT_TRUE(s.has_value()) << s.error().what();
  store_ = std::move(*s);
}

const Account& StoreTest::main_account() {
  if (!main_) main_ = ok(store().accounts().ensure_main_account({}, {}), "ensure_main_account");
  return *main_;
}

const Account& StoreTest::sub_account() {
  if (!sub_) {
    Account a;
    a.owner_account_sid = main_account().sid;
    a.friendly_name = "sub";
    sub_ = ok(store().accounts().create_subaccount(a), "create_subaccount");
  }
  return *sub_;
}

Domain StoreTest::make_domain(const std::string& account_sid, const std::string& name) {
  Domain d;
  d.account_sid = account_sid;
  d.domain_name = name;
  d.friendly_name = name;
  return d;
}

CredentialList StoreTest::make_credential_list(const std::string& account_sid, const std::string& name) {
  CredentialList l;
  l.account_sid = account_sid;
  l.friendly_name = name;
  return l;
}

IpAccessControlList StoreTest::make_acl(const std::string& account_sid, const std::string& name) {
  IpAccessControlList l;
  l.account_sid = account_sid;
  l.friendly_name = name;
  return l;
}

Credential StoreTest::make_credential(const CredentialList& list, const std::string& username) {
  Credential c;
  c.account_sid = list.account_sid;
  c.credential_list_sid = list.sid;
  c.username = username;
  c.ha1_md5 = std::string(32, 'a');
  c.ha1_sha256 = std::string(64, 'b');
  return c;
}

IpAddress StoreTest::make_ip(const IpAccessControlList& acl, const std::string& ip, int prefix) {
  IpAddress a;
  a.account_sid = acl.account_sid;
  a.ip_access_control_list_sid = acl.sid;
  a.friendly_name = ip;
  a.ip_address = ip;
  a.cidr_prefix_length = prefix;
  return a;
}

}  // namespace callwire::store::test
