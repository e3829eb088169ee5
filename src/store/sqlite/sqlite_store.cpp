#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/log.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/secret_box.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace callwire::store::sqlite {

namespace {

Status prepare_files(const std::filesystem::path& dir, const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Errc::Unavailable, "cannot create data directory " + dir.string() + ": " + ec.message());
    if (::chmod(dir.c_str(), 0700) != 0)
      return fail(Errc::Unavailable, "cannot chmod " + dir.string() + ": " + std::strerror(errno));
  }
  // Create the database file ourselves so it is 0600 from its first byte
  // (it holds auth tokens); SQLite gives -wal and -shm the same mode.
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::Unavailable, "cannot open " + file.string() + ": " + std::strerror(errno));
  const int rc = ::fchmod(fd, 0600);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return fail(Errc::Unavailable, "cannot chmod " + file.string() + ": " + std::strerror(saved));
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const StoreConfig& config) {
  if (config.data_dir.empty()) return fail(Errc::Invalid, "no data directory given");
  const std::filesystem::path dir(config.data_dir);
  const std::filesystem::path file = dir / "callwire.db";
  if (auto ok = prepare_files(dir, file); !ok) return std::unexpected(ok.error());

  const std::string path = file.string();
  const int busy = config.busy_timeout_ms;
  sql::DatabaseOptions options{
      .dialect = kSqliteDialect,
      .pool_size = config.pool_size,
      .wait = std::chrono::milliseconds(config.busy_timeout_ms),
      .generation_is_local = true,
      .description = "sqlite " + path,
  };
  auto db = std::make_unique<sql::Database>(
      [path, busy]() -> Result<std::unique_ptr<sql::Connection>> {
        auto c = SqliteConnection::open(path, busy);
        if (!c) return std::unexpected(c.error());
        return std::unique_ptr<sql::Connection>(std::move(*c));
      },
      std::move(options));
  if (auto ok = db->migrate(); !ok) return std::unexpected(ok.error());
  log::get("store")->info("store: {}", db->description());
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(
      std::move(db), sql::secret_key_path(config.secret_key_file, config.data_dir)));
}

}  // namespace callwire::store::sqlite
