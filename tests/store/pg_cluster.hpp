#pragma once
// A throwaway PostgreSQL server for the storage tests: initdb into a
// directory, start it on a free loopback port (unix socket in the same
// directory), stop it with `pg_ctl stop -m fast`. When the tests run as root
// (CI), the server runs as the `postgres` system user through runuser.
#include <string>
#include <vector>

#include "core/result.hpp"

namespace callwire::store::test {

class PgCluster {
 public:
  // Uses `dir` (created if missing; any previous cluster there is stopped
  // and wiped).
  explicit PgCluster(std::string dir) : dir_(std::move(dir)) {}

  // initdb + start + CREATE DATABASE callwire_test. The error says why it
  // could not start (missing binaries, initdb or pg_ctl output).
  [[nodiscard]] Status start();
  // pg_ctl stop -m fast; safe to call when not started.
  void stop();

  // postgresql://callwire@127.0.0.1:PORT/callwire_test
  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }

  // Stops a cluster running in `dir` (one this object did not start, e.g.
  // left by an interrupted run, or started by the ctest fixture).
  static void stop_leftover(const std::string& dir, const char* mode = "immediate");

 private:
  std::string dir_;
  std::string bin_;
  std::string url_;
  bool running_ = false;
};

// Runs argv (no shell), output appended to `log`; the exit status or -1.
int run_command(const std::vector<std::string>& argv, const std::string& log);

}  // namespace callwire::store::test
