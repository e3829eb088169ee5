// Calls placed by callwire's SIP stack (Stack::invite) to SIPp acting as the
// far end, over UDP on 127.0.0.1: answer then BYE, a digest challenge that
// SIPp verifies itself, and CANCEL while ringing. Scenarios: scenarios/uac_*.xml.
// Each test starts one SIPp by fork/exec and stops it by PID on every path.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "net/asio_timers.hpp"
#include "net/worker_pool.hpp"
#include "sip/stack/admission.hpp"
#include "sip/stack/dispatcher.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transport/asio_transport.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::uint16_t free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string md5_hex(std::string_view s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_md5(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    out += buf;
  }
  return out;
}

// The name="value" / name=value pairs after "Digest " (the test's own reading).
std::map<std::string, std::string> digest_params(std::string_view v) {
  std::map<std::string, std::string> out;
  v.remove_prefix(std::min(v.size(), v.find("Digest ") + 7));
  while (!v.empty()) {
    while (!v.empty() && (v.front() == ' ' || v.front() == ',')) v.remove_prefix(1);
    auto eq = v.find('=');
    if (eq == std::string_view::npos) break;
    std::string name(v.substr(0, eq));
    v.remove_prefix(eq + 1);
    std::string value;
    if (!v.empty() && v.front() == '"') {
      auto end = v.find('"', 1);
      value = std::string(v.substr(1, end - 1));
      v.remove_prefix(std::min(v.size(), end + 1));
    } else {
      auto end = std::min(v.find(','), v.size());
      value = std::string(v.substr(0, end));
      v.remove_prefix(end);
    }
    out[name] = value;
  }
  return out;
}

// A header line ("Name: value") of the first message in `log` that has it.
std::string header_line(const std::string& log, const std::string& name) {
  auto at = log.find("\n" + name + ":");
  if (at == std::string::npos) return {};
  auto start = at + 1 + name.size() + 1;
  auto end = log.find_first_of("\r\n", start);
  std::string v = log.substr(start, end - start);
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

// One SIPp UAS process, stopped by PID when this object goes.
class Sipp {
 public:
  Sipp(const std::string& scenario, std::uint16_t port) : port_(port) {
    dir_ = fs::temp_directory_path() / ("callwire-uac-" + std::to_string(::getpid()) + "-" + std::to_string(port));
    fs::create_directories(dir_);
    std::vector<std::string> args = {SIPP_EXECUTABLE, "-sf", std::string(CALLWIRE_TEST_DATA) + "/scenarios/" + scenario,
                                     "-i", "127.0.0.1", "-p", std::to_string(port), "-t", "u1", "-m", "1",
                                     "-timeout", "20s", "-timeout_error", "-nostdin",
                                     "-trace_err", "-error_file", (dir_ / "errors.log").string(),
                                     "-trace_msg", "-message_file", (dir_ / "messages.log").string()};
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the test binary
      int out = ::open((dir_ / "out.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::chdir(dir_.c_str());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Sipp() {
    stop();
    std::error_code ec;
    if (!::testing::Test::HasFailure()) fs::remove_all(dir_, ec);
  }

  // SIPp's exit code, waiting at most `limit`; nullopt if still running.
  std::optional<int> wait(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (pid_ > 0) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(20ms);  // polling interval, bounded by the deadline
    }
    return std::nullopt;
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!wait(3s)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  std::string logs() const {
    return "--- out.log\n" + slurp(dir_ / "out.log") + "--- errors.log\n" + slurp(dir_ / "errors.log") +
           "--- messages.log\n" + slurp(dir_ / "messages.log");
  }
  std::uint16_t port() const { return port_; }
  std::string messages() const { return slurp(dir_ / "messages.log"); }

 private:
  std::uint16_t port_;
  fs::path dir_;
  pid_t pid_ = -1;
};

// What the stack reported, in order, across threads.
class Log {
 public:
  void add(std::string e) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
    cv_.notify_all();
  }
  bool wait_for(const std::string& e, std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return std::find(events_.begin(), events_.end(), e) != events_.end(); });
  }
  std::vector<std::string> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
};

class Sessions final : public SessionHandler {
 public:
  explicit Sessions(Log& log) : log_(log) {}
  void on_invite(Stack& stack, InviteId id, const Message&, const Source&) override { (void)stack.respond(id, 603); }
  void on_invite_cancelled(Stack&, InviteId) override {}
  void on_dialog_ended(Stack&, const Dialog&, TerminationReason why) override {
    log_.add("ended " + std::to_string(static_cast<int>(why)));
  }

 private:
  Log& log_;
};

// A one-worker SIP stack on real sockets (127.0.0.1, a free port).
class UacSipp : public ::testing::Test {
 protected:
  UacSipp() : sessions_(log_), transport_(pool_, config()) {
    timers_ = std::make_unique<net::AsioTimers>(pool_.context(0));
    stack_ = std::make_unique<Stack>(StackConfig{}, transport_.worker(0), *timers_, admission_, sessions_);
    dispatcher_ = std::make_unique<Dispatcher>(pool_, std::vector<Stack*>{stack_.get()});
    transport_.set_handler(*dispatcher_);
    auto opened = transport_.open();
    EXPECT_TRUE(opened) << (opened ? "" : opened.error().what());
    pool_.start();
  }
  ~UacSipp() override {
    transport_.close();
    pool_.stop();
  }
  static TransportConfig config() {
    TransportConfig c;
    c.listen.push_back(*parse_listen("127.0.0.1:0"));
    return c;
  }
  // Runs `fn` on the stack's worker and waits for it.
  template <class F>
  auto on_worker(F fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    pool_.post(0, [&task] { task(); });
    return result.get();
  }
  OutgoingInvite spec(const Sipp& sipp, std::string user) {
    OutgoingInvite s;
    s.request_uri = "sip:" + user + "@127.0.0.1:" + std::to_string(sipp.port());
    s.from_uri = "sip:+15550001111@callwire.test";
    s.to_uri = s.request_uri;
    s.call_id = "uac-" + user + "-" + std::to_string(::getpid()) + "@callwire.test";
    s.headers = {{"X-Test", "uac-" + user}};
    s.content_type = "application/sdp";
    s.body = "v=0\r\no=callwire 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
             "m=audio 41000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    return s;
  }
  OutgoingEvents events() {
    OutgoingEvents e;
    e.on_provisional = [this](const Message& r) { log_.add("provisional " + std::to_string(r.status())); };
    e.on_answered = [this](const Message& r, const DialogId& d) {
      dialog_ = d;  // on the worker; read after the event is seen
      log_.add("answered " + std::to_string(r.status()));
    };
    e.on_failed = [this](int status, const Message*) { log_.add("failed " + std::to_string(status)); };
    return e;
  }
  std::string trace(Sipp& sipp) {
    std::string out = "events:";
    for (auto& e : log_.events()) out += " [" + e + "]";
    return out + "\n" + sipp.logs();
  }

  Log log_;
  net::WorkerPool pool_{1};
  AdmitAll admission_;
  Sessions sessions_;
  AsioTransport transport_;
  std::unique_ptr<net::AsioTimers> timers_;
  std::unique_ptr<Stack> stack_;
  std::unique_ptr<Dispatcher> dispatcher_;
  DialogId dialog_;
};

TEST_F(UacSipp, RingingAnswerAndHangup) {
  Sipp sipp("uac_answer.xml", free_udp_port());
  auto id = on_worker([&] { return stack_->invite(spec(sipp, "answer"), events()); });
  ASSERT_TRUE(id) << id.error().what();
  ASSERT_TRUE(log_.wait_for("answered 200", 15s)) << trace(sipp);
  EXPECT_TRUE(log_.wait_for("provisional 180", 0ms)) << trace(sipp);
  auto bye = on_worker([&] { return stack_->hangup(dialog_); });
  ASSERT_TRUE(bye) << bye.error().what();
  auto rc = sipp.wait(15s);
  ASSERT_TRUE(rc) << "SIPp did not finish\n" << trace(sipp);
  EXPECT_EQ(*rc, 0) << trace(sipp);
  EXPECT_TRUE(log_.wait_for("ended " + std::to_string(static_cast<int>(TerminationReason::Local)), 0ms));
}

TEST_F(UacSipp, HostNameResolvedWithoutBlockingTheWorker) {
  Sipp sipp("uac_answer.xml", free_udp_port());
  AsioNameResolver resolver(pool_.context(0));
  on_worker([&] {
    stack_->set_resolver(&resolver);
    return 0;
  });
  auto s = spec(sipp, "answer");
  s.request_uri = "sip:answer@localhost:" + std::to_string(sipp.port());
  auto id = on_worker([&] { return stack_->invite(std::move(s), events()); });
  ASSERT_TRUE(id) << id.error().what();
  ASSERT_TRUE(log_.wait_for("answered 200", 15s)) << trace(sipp);
  auto bye = on_worker([&] { return stack_->hangup(dialog_); });
  ASSERT_TRUE(bye) << bye.error().what();
  auto rc = sipp.wait(15s);
  ASSERT_TRUE(rc) << "SIPp did not finish\n" << trace(sipp);
  EXPECT_EQ(*rc, 0) << trace(sipp);
  on_worker([&] {
    stack_->set_resolver(nullptr);
    return 0;
  });
}

TEST_F(UacSipp, DigestChallengeVerifiedBySipp) {
  Sipp sipp("uac_auth.xml", free_udp_port());
  auto s = spec(sipp, "auth");
  s.login = DigestLogin{"trunkuser", "s3cret"};
  auto id = on_worker([&] { return stack_->invite(std::move(s), events()); });
  ASSERT_TRUE(id) << id.error().what();
  ASSERT_TRUE(log_.wait_for("answered 200", 15s)) << trace(sipp);
  auto bye = on_worker([&] { return stack_->hangup(dialog_); });
  ASSERT_TRUE(bye) << bye.error().what();
  auto rc = sipp.wait(15s);
  ASSERT_TRUE(rc) << "SIPp did not finish\n" << trace(sipp);
  EXPECT_EQ(*rc, 0) << trace(sipp);
}

TEST_F(UacSipp, ProxyChallengeAnsweredWithProxyAuthorization) {
  Sipp sipp("uac_proxy_auth.xml", free_udp_port());
  auto s = spec(sipp, "proxy");
  s.login = DigestLogin{"trunkuser", "s3cret"};
  std::string uri = s.request_uri;
  auto id = on_worker([&] { return stack_->invite(std::move(s), events()); });
  ASSERT_TRUE(id) << id.error().what();
  ASSERT_TRUE(log_.wait_for("answered 200", 15s)) << trace(sipp);
  auto bye = on_worker([&] { return stack_->hangup(dialog_); });
  ASSERT_TRUE(bye) << bye.error().what();
  auto rc = sipp.wait(15s);
  ASSERT_TRUE(rc) << "SIPp did not finish\n" << trace(sipp);
  EXPECT_EQ(*rc, 0) << trace(sipp);

  // The digest SIPp received, recomputed here (RFC 2617 §3.2.2, qop=auth).
  std::string log = sipp.messages();
  std::string challenge = header_line(log, "Proxy-Authenticate");
  std::string creds = header_line(log, "Proxy-Authorization");
  ASSERT_FALSE(creds.empty()) << log;
  auto c = digest_params(challenge);
  auto p = digest_params(creds);
  EXPECT_EQ(p["username"], "trunkuser");
  EXPECT_EQ(p["realm"], "carrier.test");
  EXPECT_EQ(p["nonce"], c["nonce"]);
  EXPECT_EQ(p["uri"], uri);
  EXPECT_EQ(p["qop"], "auth");
  EXPECT_EQ(p["nc"], "00000001");
  std::string ha1 = md5_hex("trunkuser:carrier.test:s3cret");
  std::string ha2 = md5_hex("INVITE:" + uri);
  EXPECT_EQ(p["response"], md5_hex(ha1 + ":" + c["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)) << creds;
}

TEST_F(UacSipp, WrongPasswordIsRefusedBySipp) {
  Sipp sipp("uac_auth.xml", free_udp_port());
  auto s = spec(sipp, "auth");
  s.login = DigestLogin{"trunkuser", "not-the-password"};
  auto id = on_worker([&] { return stack_->invite(std::move(s), events()); });
  ASSERT_TRUE(id) << id.error().what();
  ASSERT_TRUE(log_.wait_for("failed 403", 15s)) << trace(sipp);
  auto rc = sipp.wait(15s);
  ASSERT_TRUE(rc) << "SIPp did not finish\n" << trace(sipp);
  EXPECT_NE(*rc, 0) << trace(sipp);  // SIPp counted the call as failed
}

TEST_F(UacSipp, CancelWhileRinging) {
  Sipp sipp("uac_cancel.xml", free_udp_port());
  auto id = on_worker([&] { return stack_->invite(spec(sipp, "ring"), events()); });
  ASSERT_TRUE(id) << id.error().what();
  ASSERT_TRUE(log_.wait_for("provisional 180", 15s)) << trace(sipp);
  auto cancelled = on_worker([&] { return stack_->cancel(*id); });
  ASSERT_TRUE(cancelled) << cancelled.error().what();
  ASSERT_TRUE(log_.wait_for("failed 487", 15s)) << trace(sipp);
  auto rc = sipp.wait(15s);
  ASSERT_TRUE(rc) << "SIPp did not finish\n" << trace(sipp);
  EXPECT_EQ(*rc, 0) << trace(sipp);
}

}  // namespace
}  // namespace callwire::sip
