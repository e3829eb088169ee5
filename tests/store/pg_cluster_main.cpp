// ctest fixture around the storage tests: `start STATE` starts one
// PostgreSQL for the whole run and writes "DIR\nURL\n" to STATE; `stop
// STATE` stops it and removes DIR. Test processes find it through
// CALLWIRE_TEST_PG_STATE (see pg_server.hpp).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "pg_cluster.hpp"

using callwire::store::test::PgCluster;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s start|stop STATE_FILE\n", argv[0]);
    return 2;
  }
  const std::string command = argv[1];
  const std::string state = argv[2];
  if (command == "start") {
    // A cluster left by an interrupted run.
    if (std::ifstream old(state); old) {
      std::string dir;
      std::getline(old, dir);
      PgCluster::stop_leftover(dir);
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    char tmpl[] = "/tmp/callwire-pg-XXXXXX";
    if (!::mkdtemp(tmpl)) {
      std::perror("mkdtemp");
      return 1;
    }
    PgCluster cluster(tmpl);
    if (auto ok = cluster.start(); !ok) {
      std::fprintf(stderr, "PostgreSQL for the storage tests could not be started: %s\n", ok.error().detail.c_str());
      return 1;
    }
    std::ofstream(state) << cluster.dir() << "\n" << cluster.url() << "\n";
    std::printf("PostgreSQL started: %s (in %s)\n", cluster.url().c_str(), cluster.dir().c_str());
    return 0;
  }
  if (command == "stop") {
    std::ifstream in(state);
    std::string dir;
    if (!in || !std::getline(in, dir)) return 0;  // never started
    in.close();
    PgCluster::stop_leftover(dir, "fast");
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::remove(state, ec);
    std::printf("PostgreSQL stopped (%s)\n", dir.c_str());
    return 0;
  }
  std::fprintf(stderr, "unknown command %s\n", command.c_str());
  return 2;
}
