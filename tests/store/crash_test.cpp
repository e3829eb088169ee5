// kill -9 loses no acknowledged write. A child process writes in a loop and
// reports each acknowledged sid on a pipe; the parent kills it at a random
// moment, reopens the store and looks for every reported sid.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class CrashTest : public StoreTest {};

// Never returns: writes domains and reports each sid after create() returned.
[[noreturn]] void writer(const StoreConfig& config, const std::string& account_sid, int round, int out) {
  auto s = open_store(config);
  if (!s) ::_exit(3);
  for (int i = 0; i < 1000000; ++i) {
    Domain d;
    d.account_sid = account_sid;
    d.domain_name = "r";  // (not "r" + …: GCC 12 -Wrestrict false positive)
    d.domain_name += std::to_string(round) + "-" + std::to_string(i) + ".sip.localhost";
    d.friendly_name = "crash";
    auto created = (*s)->domains().create(d);
    if (!created) ::_exit(4);
    const std::string line = created->sid + "\n";  // 35 bytes: one atomic pipe write
    if (::write(out, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(5);
  }
  ::_exit(0);
}

// Reads whole lines from `fd` until `want` lines arrived (or EOF when want
// is 0); false on timeout.
bool read_lines(int fd, std::string& buffer, std::vector<std::string>& lines, std::size_t want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (want == 0 || lines.size() < want) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return want == 0;  // EOF
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
      lines.push_back(buffer.substr(0, nl));
      buffer.erase(0, nl + 1);
    }
  }
  return true;
}

TEST_P(CrashTest, AcknowledgedWritesSurviveKill9) {
  const std::string account = main_account().sid;
  std::mt19937 rng(std::random_device{}());
  std::size_t total_acked = 0;
  for (int round = 0; round < 3; ++round) {
    store_.reset();  // the child is the only process using the database
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      writer(config_, account, round, fds[1]);
    }
    ::close(fds[1]);
    std::string buffer;
    std::vector<std::string> acked;
    const std::size_t kill_after = std::uniform_int_distribution<std::size_t>(5, 40)(rng);
    const bool got = read_lines(fds[0], buffer, acked, kill_after);
    // A random moment: somewhere inside the next write.
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(got) << "writer reported only " << acked.size() << " writes (exit status " << status << ")";
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "writer ended on its own: " << status;
    read_lines(fds[0], buffer, acked, 0);  // lines written before it died are acknowledged too
    ::close(fds[0]);
    total_acked += acked.size();

    reopen();
    ASSERT_NE(store_, nullptr);
    for (const auto& sid : acked) {
      auto d = store().domains().fetch(account, sid);
      EXPECT_TRUE(d.has_value()) << "acknowledged " << sid << " lost: " << (d ? "" : d.error().what());
    }
    auto count = ok(store().domains().count(account));
    EXPECT_GE(count, total_acked);  // at most the one in flight may be extra
    EXPECT_LE(count, total_acked + round + 1);
    // And the store still takes writes.
    ASSERT_STORE_OK(store().domains().create(make_domain(account, "after" + std::to_string(round) + ".sip.localhost")));
    total_acked += 1;
  }
}

CALLWIRE_STORE_BACKENDS(CrashTest);

}  // namespace
}  // namespace callwire::store::test
