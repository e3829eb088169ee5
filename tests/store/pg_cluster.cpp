#include "pg_cluster.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <libpq-fe.h>

namespace callwire::store::test {

namespace fs = std::filesystem;

namespace {

std::error_code generic() { return std::make_error_code(std::errc::io_error); }

// Newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl.
std::string find_bin() {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto bin = e.path() / "bin";
    if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl")) found.push_back(bin);
  }
  if (found.empty()) return {};
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return std::stoi(a.parent_path().filename().string()) < std::stoi(b.parent_path().filename().string());
  });
  return found.back().string();
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// As root, PostgreSQL refuses to run: use the `postgres` system user.
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  std::vector<std::string> out{"runuser", "-u", "postgres", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 1500 ? s.substr(s.size() - 1500) : s;
}

}  // namespace

int run_command(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void PgCluster::stop_leftover(const std::string& dir, const char* mode) {
  const auto data = fs::path(dir) / "data";
  if (!fs::exists(data / "postmaster.pid")) return;
  const std::string bin = find_bin();
  if (bin.empty()) return;
  run_command(as_server_user({bin + "/pg_ctl", "-D", data.string(), "-m", mode, "-w", "stop"}),
              (fs::path(dir) / "stop.log").string());
}

Status PgCluster::start() {
  bin_ = find_bin();
  if (bin_.empty())
    return fail(generic(), "no /usr/lib/postgresql/*/bin/{initdb,pg_ctl}: install the postgresql package "
                           "(scripts/install-deps)");
  stop_leftover(dir_);
  std::error_code ec;
  fs::remove_all(dir_, ec);
  fs::create_directories(dir_, ec);
  if (ec) return fail(generic(), "cannot create " + dir_ + ": " + ec.message());
  ::chmod(dir_.c_str(), 0700);
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw) return fail(generic(), "running as root but there is no `postgres` user to run the server as");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      return fail(generic(), "cannot chown " + dir_ + " to postgres");
  }
  const std::string data = dir_ + "/data";
  const std::string log = dir_ + "/setup.log";
  const std::string server_log = dir_ + "/server.log";

  if (run_command(as_server_user({bin_ + "/initdb", "-D", data, "-U", "callwire", "--auth=trust", "--no-sync",
                                  "-E", "UTF8", "--locale=C"}),
                  log) != 0)
    return fail(generic(), "initdb failed:\n" + tail_of(log));

  // A port picked by binding 0 can be taken before the server binds it: retry.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = free_port();
    const std::string options = "-p " + std::to_string(port) + " -k " + dir_ +
                                " -c listen_addresses=127.0.0.1 -c max_connections=200";
    if (run_command(as_server_user({bin_ + "/pg_ctl", "-D", data, "-l", server_log, "-o", options, "-w", "-t", "60",
                                    "start"}),
                    log) != 0)
      continue;
    running_ = true;
    const std::string admin = "postgresql://callwire@127.0.0.1:" + std::to_string(port) + "/postgres";
    PGconn* c = PQconnectdb(admin.c_str());
    const bool connected = PQstatus(c) == CONNECTION_OK;
    std::string error = PQerrorMessage(c);
    if (connected) {
      PGresult* r = PQexec(c, "CREATE DATABASE callwire_test");
      if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
      else error.clear();
      PQclear(r);
    }
    PQfinish(c);
    if (!error.empty()) {
      stop();
      return fail(generic(), "PostgreSQL started but is not usable: " + error);
    }
    url_ = "postgresql://callwire@127.0.0.1:" + std::to_string(port) + "/callwire_test";
    return {};
  }
  return fail(generic(), "pg_ctl start failed:\n" + tail_of(log) + "\n--- server log:\n" + tail_of(server_log));
}

void PgCluster::stop() {
  if (!running_) return;
  run_command(as_server_user({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}),
              dir_ + "/setup.log");
  running_ = false;
}

}  // namespace callwire::store::test
