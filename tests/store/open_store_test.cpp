// Opening stores: file modes of the SQLite database, bad configurations,
// unreachable PostgreSQL, a schema newer than the code.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "store/open_store.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace callwire::store::test {
namespace {

namespace fs = std::filesystem;

class OpenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/callwire-open-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  static unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }
  std::string root_;
};

TEST_F(OpenStoreTest, SqliteFilesArePrivateWhateverTheUmask) {
  const fs::path dir = fs::path(root_) / "nested" / "data";
  const mode_t old = ::umask(0);  // the most permissive umask: modes must not depend on it
  auto s = open_store(StoreConfig{.data_dir = dir.string()});
  ::umask(old);
  ASSERT_TRUE(s.has_value()) << s.error().what();
  // Write something so the WAL and shared-memory files exist while open.
  auto main = (*s)->accounts().ensure_main_account({}, {});
  ASSERT_TRUE(main.has_value());
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(dir / "callwire.db"), 0600u);
  ASSERT_TRUE(fs::exists(dir / "callwire.db-wal"));
  EXPECT_EQ(mode_of(dir / "callwire.db-wal"), 0600u);
  ASSERT_TRUE(fs::exists(dir / "callwire.db-shm"));
  EXPECT_EQ(mode_of(dir / "callwire.db-shm"), 0600u);
  EXPECT_NE((*s)->describe().find("sqlite"), std::string::npos);
  EXPECT_NE((*s)->describe().find("callwire.db"), std::string::npos);
}

TEST_F(OpenStoreTest, ALooselyPermittedDatabaseFileIsTightened) {
  const fs::path file = fs::path(root_) / "callwire.db";
  std::ofstream(file).close();
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  ASSERT_EQ(mode_of(file), 0644u);
  auto s = open_store(StoreConfig{.data_dir = root_});
  ASSERT_TRUE(s.has_value()) << s.error().what();
  EXPECT_EQ(mode_of(file), 0600u);
}

TEST_F(OpenStoreTest, BadConfigurationsAreRefused) {
  auto none = open_store(StoreConfig{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, make_error_code(Errc::Invalid));

  auto mysql = open_store(StoreConfig{.db_url = "mysql://root@localhost/x"});
  ASSERT_FALSE(mysql);
  EXPECT_EQ(mysql.error().code, make_error_code(Errc::Invalid));

  // data_dir is a regular file.
  const fs::path file = fs::path(root_) / "not-a-dir";
  std::ofstream(file) << "x";
  auto not_dir = open_store(StoreConfig{.data_dir = file.string()});
  ASSERT_FALSE(not_dir);
  EXPECT_EQ(not_dir.error().code, make_error_code(Errc::Unavailable)) << not_dir.error().what();
}

TEST_F(OpenStoreTest, UnreachablePostgresIsUnavailable) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto s = open_store(StoreConfig{.db_url = "postgresql://callwire:secret@127.0.0.1:1/callwire"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, make_error_code(Errc::Unavailable));
  EXPECT_EQ(s.error().detail.find("secret"), std::string::npos) << s.error().detail;
}

TEST_F(OpenStoreTest, ASchemaNewerThanTheCodeIsRefused) {
  {
    auto s = open_store(StoreConfig{.data_dir = root_});
    ASSERT_TRUE(s.has_value()) << s.error().what();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((fs::path(root_) / "callwire.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = open_store(StoreConfig{.data_dir = root_});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, make_error_code(Errc::Internal));
  EXPECT_NE(s.error().detail.find("newer"), std::string::npos) << s.error().detail;
}

// Durability and integrity come from per-connection settings: check that the
// production connection really runs with them.
TEST_F(OpenStoreTest, SqliteConnectionsRunWalFullSyncAndForeignKeys) {
  const std::string path = (fs::path(root_) / "settings.db").string();
  auto c = sqlite::SqliteConnection::open(path, 1234);
  ASSERT_TRUE(c.has_value()) << c.error().what();
  auto pragma = [&](const char* sql) {
    std::string value;
    auto r = (*c)->execute(sql, {}, [&](const sql::Row& row) { value = row.text(0); });
    EXPECT_TRUE(r.has_value()) << sql;
    return value;
  };
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma("PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(pragma("PRAGMA foreign_keys"), "1");
  EXPECT_EQ(pragma("PRAGMA busy_timeout"), "1234");
}

}  // namespace
}  // namespace callwire::store::test
