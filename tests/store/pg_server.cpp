#include "pg_server.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <fstream>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "core/random.hpp"
#include "pg_cluster.hpp"

namespace callwire::store::test {

namespace {

std::error_code generic() { return std::make_error_code(std::errc::io_error); }

// The server this process started (case 3), stopped by the environment.
struct OwnServer {
  std::mutex mutex;
  std::unique_ptr<PgCluster> cluster;
  std::string dir;
  std::optional<Result<std::string>> url;  // once tried, the outcome sticks
};

OwnServer& own() {
  static OwnServer server;
  return server;
}

class StopServerEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    OwnServer& s = own();
    std::lock_guard lock(s.mutex);
    if (s.cluster) {
      s.cluster->stop();
      std::error_code ec;
      std::filesystem::remove_all(s.dir, ec);
      s.cluster.reset();
    }
  }
};

[[maybe_unused]] ::testing::Environment* const kStopServer =
    ::testing::AddGlobalTestEnvironment(new StopServerEnvironment);

Result<std::string> start_own() {
  char tmpl[] = "/tmp/callwire-pg-XXXXXX";
  if (!::mkdtemp(tmpl)) return fail(generic(), "mkdtemp failed");
  OwnServer& s = own();
  s.dir = tmpl;
  s.cluster = std::make_unique<PgCluster>(s.dir);
  if (auto ok = s.cluster->start(); !ok) {
    s.cluster.reset();
    return std::unexpected(ok.error());
  }
  return s.cluster->url();
}

Status admin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string e = PQerrorMessage(c);
    PQfinish(c);
    return fail(generic(), "cannot connect to " + url + ": " + e);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string e = ok ? "" : PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) return fail(generic(), sql + ": " + e);
  return {};
}

}  // namespace

Result<std::string> pg_base_url() {
  if (const char* url = std::getenv("CALLWIRE_TEST_PG_URL"); url && *url) return std::string(url);
  if (const char* state = std::getenv("CALLWIRE_TEST_PG_STATE"); state && *state) {
    std::ifstream in(state);
    std::string dir, url;
    if (!in || !std::getline(in, dir) || !std::getline(in, url) || url.empty())
      return fail(generic(), std::string("CALLWIRE_TEST_PG_STATE=") + state +
                                 " has no server: the ctest fixture Store.pg_cluster_start failed (see its output)");
    return url;
  }
  OwnServer& s = own();
  std::lock_guard lock(s.mutex);
  if (!s.url) s.url = start_own();
  return *s.url;
}

Result<std::string> pg_create_schema(std::string& schema_out) {
  auto base = pg_base_url();
  if (!base) return base;
  schema_out = "t_" + random_hex(16);
  if (auto ok = admin(*base, "CREATE SCHEMA " + schema_out); !ok) return std::unexpected(ok.error());
  const char sep = base->find('?') == std::string::npos ? '?' : '&';
  // application_name lets a test find its own server connections.
  return *base + sep + "options=-csearch_path%3D" + schema_out + "&application_name=" + schema_out;
}

Status pg_admin(const std::string& sql) {
  auto base = pg_base_url();
  if (!base) return std::unexpected(base.error());
  return admin(*base, sql);
}

void pg_drop_schema(const std::string& schema) {
  auto base = pg_base_url();
  if (base) (void)admin(*base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
}

}  // namespace callwire::store::test
