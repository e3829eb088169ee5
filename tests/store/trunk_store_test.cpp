// Outbound trunks: CRUD on both backends, and the password's encryption at
// rest (AES-256-GCM with the key of StoreConfig::secret_key_file).
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

namespace fs = std::filesystem;

class TrunkStoreTest : public StoreTest {
 protected:
  Trunk make_trunk(const std::string& account_sid, const std::string& password = "s3cret-Carrier!") {
    Trunk t;
    t.account_sid = account_sid;
    t.friendly_name = "carrier";
    t.termination_uri = "sip:carrier.example.net;transport=tcp";
    t.username = "acme";
    t.password = password;
    t.number_prefixes = {"+1", "+4420"};
    return t;
  }

  // The password column exactly as the database holds it (nullopt = NULL).
  std::optional<std::string> raw_password(const std::string& sid) {
    std::optional<std::string> out;
    const std::string sql = "SELECT password_sealed FROM trunks WHERE sid = '" + sid + "'";
    if (GetParam() == Backend::Sqlite) {
      sqlite3* db = nullptr;
      EXPECT_EQ(sqlite3_open((fs::path(config_.data_dir) / "callwire.db").c_str(), &db), SQLITE_OK);
      sqlite3_stmt* st = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
      EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
      if (sqlite3_column_type(st, 0) != SQLITE_NULL) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      sqlite3_finalize(st);
      sqlite3_close(db);
    } else {
      PGconn* c = PQconnectdb(config_.db_url.c_str());
      EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
      PGresult* r = PQexec(c, sql.c_str());
      EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
      EXPECT_EQ(PQntuples(r), 1);
      if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) out = PQgetvalue(r, 0, 0);
      PQclear(r);
      PQfinish(c);
    }
    return out;
  }

  std::string key_path() const {
    return config_.secret_key_file.empty() ? (fs::path(config_.data_dir) / "secret.key").string()
                                           : config_.secret_key_file;
  }
};

TEST_P(TrunkStoreTest, CreateFetchUpdateDeleteRoundTripsEveryField) {
  const Account& main = main_account();
  Trunk t = make_trunk(main.sid);
  t.priority = 5;
  t.weight = 30;
  t.max_concurrent_calls = 12;
  t.caller_id = "+14155550100";
  t.number_format = kTrunkNumberFormatE164WithoutPlus;
  t.enabled = false;
  const std::uint64_t before = store().generation();
  auto created = ok(store().trunks().create(t));
  EXPECT_GT(store().generation(), before);
  EXPECT_TRUE(is_sid(created.sid, "BY"));
  EXPECT_GT(created.seq, 0);
  EXPECT_EQ(created.date_created, created.date_updated);

  auto f = ok(store().trunks().fetch(main.sid, created.sid));
  EXPECT_EQ(f.sid, created.sid);
  EXPECT_EQ(f.account_sid, main.sid);
  EXPECT_EQ(f.friendly_name, "carrier");
  EXPECT_EQ(f.termination_uri, "sip:carrier.example.net;transport=tcp");
  EXPECT_EQ(f.username, "acme");
  EXPECT_EQ(f.password, "s3cret-Carrier!");
  EXPECT_EQ(f.number_prefixes, (std::vector<std::string>{"+1", "+4420"}));
  EXPECT_EQ(f.priority, 5);
  EXPECT_EQ(f.weight, 30);
  EXPECT_EQ(f.max_concurrent_calls, 12);
  EXPECT_EQ(f.caller_id, "+14155550100");
  EXPECT_EQ(f.number_format, "e164-without-plus");
  EXPECT_FALSE(f.enabled);
  EXPECT_EQ(f.date_created, created.date_created);

  Trunk u = f;
  u.friendly_name = "carrier 2";
  u.password = "";  // removes it
  u.username = "";
  u.number_prefixes = {};
  u.enabled = true;
  u.number_format = kTrunkNumberFormatE164;
  const std::uint64_t before_update = store().generation();
  auto updated = ok(store().trunks().update(u));
  EXPECT_GT(store().generation(), before_update);
  EXPECT_EQ(updated.friendly_name, "carrier 2");
  EXPECT_EQ(updated.date_created, created.date_created);
  auto g = ok(store().trunks().fetch(main.sid, created.sid));
  EXPECT_EQ(g.password, "");
  EXPECT_EQ(g.username, "");
  EXPECT_TRUE(g.number_prefixes.empty());
  EXPECT_TRUE(g.enabled);
  EXPECT_EQ(raw_password(created.sid), std::nullopt);
  EXPECT_EQ(ok(store().trunks().count(main.sid)), 1u);

  ASSERT_STORE_OK(store().trunks().remove(main.sid, created.sid));
  EXPECT_STORE_ERROR(store().trunks().fetch(main.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().trunks().remove(main.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().trunks().update(u), Errc::NotFound);
  EXPECT_EQ(ok(store().trunks().count(main.sid)), 0u);
}

TEST_P(TrunkStoreTest, AccountsAreSeparateAndListsPage) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  std::vector<std::string> sids;
  for (int i = 0; i < 5; ++i) sids.push_back(ok(store().trunks().create(make_trunk(main.sid))).sid);
  auto other = ok(store().trunks().create(make_trunk(sub.sid)));
  EXPECT_STORE_ERROR(store().trunks().fetch(main.sid, other.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().trunks().remove(main.sid, other.sid), Errc::NotFound);
  Trunk stolen = other;
  stolen.account_sid = main.sid;
  EXPECT_STORE_ERROR(store().trunks().update(stolen), Errc::NotFound);

  auto p1 = ok(store().trunks().list(main.sid, PageRequest{2, 0}));
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_TRUE(p1.has_more);
  EXPECT_EQ(p1.items[0].sid, sids[0]);
  EXPECT_EQ(p1.items[0].password, "s3cret-Carrier!");
  auto p3 = ok(store().trunks().list(main.sid, PageRequest{2, ok(store().trunks().list(main.sid, {2, p1.last_seq})).last_seq}));
  ASSERT_EQ(p3.items.size(), 1u);
  EXPECT_FALSE(p3.has_more);
  EXPECT_EQ(p3.items[0].sid, sids[4]);

  auto all = ok(store().trunks().list_all(main.sid));
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].sid, sids[i]);
  EXPECT_EQ(ok(store().trunks().list_all(sub.sid)).size(), 1u);
}

TEST_P(TrunkStoreTest, RefusesUnknownAccountAndNumberFormat) {
  Trunk t = make_trunk("AC" + std::string(32, '9'));
  EXPECT_STORE_ERROR(store().trunks().create(t), Errc::ForeignKey);
  Trunk bad = make_trunk(main_account().sid);
  bad.number_format = "national";
  EXPECT_STORE_ERROR(store().trunks().create(bad), Errc::Invalid);
}

TEST_P(TrunkStoreTest, PasswordIsEncryptedAtRestAndSurvivesReopen) {
  const Account& main = main_account();
  auto a = ok(store().trunks().create(make_trunk(main.sid, "hunter2-hunter2")));
  auto b = ok(store().trunks().create(make_trunk(main.sid, "hunter2-hunter2")));
  auto raw_a = raw_password(a.sid);
  auto raw_b = raw_password(b.sid);
  ASSERT_TRUE(raw_a.has_value());
  ASSERT_TRUE(raw_b.has_value());
  EXPECT_EQ(raw_a->find("hunter2"), std::string::npos) << *raw_a;
  EXPECT_TRUE(raw_a->starts_with("v1:")) << *raw_a;
  EXPECT_NE(*raw_a, *raw_b) << "a fresh nonce per value";

  // The key file: 32 bytes, owner-only.
  struct stat st {};
  ASSERT_EQ(::stat(key_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 32);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  reopen();
  EXPECT_EQ(ok(store().trunks().fetch(main.sid, a.sid)).password, "hunter2-hunter2");
  // Updating re-seals; the value still opens.
  Trunk u = ok(store().trunks().fetch(main.sid, a.sid));
  u.password = "new-Pass-123";
  ASSERT_STORE_OK(store().trunks().update(u));
  EXPECT_NE(raw_password(a.sid), raw_a);
  EXPECT_EQ(ok(store().trunks().fetch(main.sid, a.sid)).password, "new-Pass-123");
}

TEST_P(TrunkStoreTest, WrongKeyFailsCleanlyAndDeleteStillWorks) {
  const Account& main = main_account();
  auto t = ok(store().trunks().create(make_trunk(main.sid)));
  auto plain = ok(store().trunks().create(make_trunk(main.sid, "")));
  // Another key (64 hex digits, the other accepted form).
  const std::string other = tmp_dir_ + "/other.key";
  std::ofstream(other) << std::string(64, 'a') << "\n";
  config_.secret_key_file = other;
  reopen();
  auto r = store().trunks().fetch(main.sid, t.sid);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, make_error_code(Errc::SecretKey));
  EXPECT_NE(r.error().what().find("same --secret-key-file"), std::string::npos) << r.error().what();
  EXPECT_NE(r.error().what().find(t.sid), std::string::npos) << r.error().what();
  EXPECT_STORE_ERROR(store().trunks().list_all(main.sid), Errc::SecretKey);
  // A trunk without password needs no key.
  EXPECT_EQ(ok(store().trunks().fetch(main.sid, plain.sid)).password, "");
  ASSERT_STORE_OK(store().trunks().remove(main.sid, t.sid));
  EXPECT_EQ(ok(store().trunks().list_all(main.sid)).size(), 1u);
}

TEST_P(TrunkStoreTest, AlteredCiphertextAndBadKeyFileAreErrorsNotGarbage) {
  const Account& main = main_account();
  auto a = ok(store().trunks().create(make_trunk(main.sid)));
  auto b = ok(store().trunks().create(make_trunk(main.sid, "another-Secret-9")));
  // b's sealed value copied into a's row: same key, but bound to b's sid.
  auto raw_b = raw_password(b.sid);
  ASSERT_TRUE(raw_b.has_value());
  Trunk t = ok(store().trunks().fetch(main.sid, a.sid));
  const std::string sql = "UPDATE trunks SET password_sealed = '" + *raw_b + "' WHERE sid = '" + a.sid + "'";
  if (GetParam() == Backend::Sqlite) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((fs::path(config_.data_dir) / "callwire.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  } else {
    PGconn* c = PQconnectdb(config_.db_url.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    ASSERT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
  }
  EXPECT_STORE_ERROR(store().trunks().fetch(main.sid, a.sid), Errc::SecretKey);

  const std::string bad = tmp_dir_ + "/short.key";
  std::ofstream(bad) << "too short";
  config_.secret_key_file = bad;
  reopen();
  auto r = store().trunks().fetch(main.sid, b.sid);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, make_error_code(Errc::SecretKey));
  EXPECT_NE(r.error().what().find("32 bytes or 64 hex digits"), std::string::npos) << r.error().what();
  EXPECT_STORE_ERROR(store().trunks().create(make_trunk(main.sid)), Errc::SecretKey);

  // A key file that went missing is not replaced by reading: the error says so.
  config_.secret_key_file = tmp_dir_ + "/missing.key";
  reopen();
  auto missing = store().trunks().fetch(main.sid, b.sid);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, make_error_code(Errc::SecretKey));
  EXPECT_NE(missing.error().what().find("does not exist"), std::string::npos) << missing.error().what();
  EXPECT_FALSE(fs::exists(config_.secret_key_file));
}

// Without --secret-key-file the key is DATA_DIR/secret.key; with neither
// (PostgreSQL needs no data dir) only trunks with a password are refused.
TEST_P(TrunkStoreTest, KeyDefaultsToDataDirElsePasswordsAreRefused) {
  const Account& main = main_account();
  if (GetParam() == Backend::Sqlite) {
    ASSERT_TRUE(config_.secret_key_file.empty());
    const fs::path key = fs::path(config_.data_dir) / "secret.key";
    EXPECT_FALSE(fs::exists(key)) << "created on first use, not at open";
    ASSERT_STORE_OK(store().trunks().create(make_trunk(main.sid)));
    EXPECT_TRUE(fs::exists(key));
    return;
  }
  config_.secret_key_file.clear();
  reopen();
  auto r = store().trunks().create(make_trunk(main.sid));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, make_error_code(Errc::SecretKey));
  EXPECT_NE(r.error().what().find("--secret-key-file"), std::string::npos) << r.error().what();
  EXPECT_TRUE(store().trunks().create(make_trunk(main.sid, "")).has_value());
}

CALLWIRE_STORE_BACKENDS(TrunkStoreTest);

}  // namespace
}  // namespace callwire::store::test
