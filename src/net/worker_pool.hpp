#pragma once
// The worker threads. Each runs its own io_context; a call is pinned to one
// worker by a hash of its Call-ID so call state needs no locks (STYLE §5).
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace callwire::net {

class WorkerPool {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // `n` workers; 0 means std::thread::hardware_concurrency() (at least 1).
  // With `pin_threads`, worker i is pinned to CPU i modulo the CPU count.
  explicit WorkerPool(std::size_t n = 0, bool pin_threads = false);
  ~WorkerPool();  // stop() and join()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t size() const { return workers_.size(); }
  boost::asio::io_context& context(std::size_t i) { return workers_[i]->context; }

  // Runs fn on worker i (queued even before start()).
  template <class F>
  void post(std::size_t i, F&& fn) {
    boost::asio::post(workers_[i]->context, std::forward<F>(fn));
  }

  // The worker owning the call with this Call-ID: FNV-1a of the bytes, modulo
  // size(). Stable across runs and processes.
  std::size_t worker_for(std::string_view call_id) const;

  // Starts one thread per worker. Calling it while running does nothing;
  // after stop() and join() it may start again.
  void start();
  // Stops every loop (pending handlers are not run). Idempotent and callable
  // from any thread, including a worker (e.g. an asio::signal_set handler):
  // from outside the workers it also joins them; from a worker it only
  // stops, and join() (or the destructor) reaps the threads later.
  void stop();
  // Blocks until every worker thread has ended, then joins them. Must not be
  // called from a worker. Returns at once when not started.
  void join();
  bool running() const { return running_.load(); }

  // The index of the worker the calling thread is, or npos.
  std::size_t current() const;

 private:
  struct Worker {
    boost::asio::io_context context{1};  // one thread per context
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
    std::thread thread;
  };
  void run(std::size_t i);

  std::vector<std::unique_ptr<Worker>> workers_;
  bool pin_threads_;
  std::atomic<bool> running_{false};
  std::mutex lifecycle_;  // start/join; stop only touches thread-safe io_context calls
};

// FNV-1a 64-bit, the hash behind worker_for (exposed for tests and sharding).
std::uint64_t fnv1a(std::string_view bytes);

}  // namespace callwire::net
