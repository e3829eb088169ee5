#include "net/worker_pool.hpp"

#include <pthread.h>
#include <sched.h>

#include "core/log.hpp"

namespace callwire::net {

namespace {
// Which pool and worker the current thread belongs to (several pools may
// exist in one process, e.g. in tests).
thread_local const WorkerPool* current_pool = nullptr;
thread_local std::size_t current_index = WorkerPool::npos;
}  // namespace

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

WorkerPool::WorkerPool(std::size_t n, bool pin_threads) : pin_threads_(pin_threads) {
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
}

WorkerPool::~WorkerPool() {
  stop();
  join();
}

std::size_t WorkerPool::worker_for(std::string_view call_id) const {
  return static_cast<std::size_t>(fnv1a(call_id) % workers_.size());
}

std::size_t WorkerPool::current() const {
  return current_pool == this ? current_index : npos;
}

void WorkerPool::start() {
  std::lock_guard lock(lifecycle_);
  if (running_.load()) return;
  for (auto& w : workers_) {
    if (w->thread.joinable()) return;  // stopped but not joined yet
  }
  running_.store(true);
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    auto& w = *workers_[i];
    w.context.restart();
    w.guard.emplace(w.context.get_executor());
    w.thread = std::thread([this, i] { run(i); });
  }
}

void WorkerPool::run(std::size_t i) {
  current_pool = this;
  current_index = i;
  if (pin_threads_) {
    unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(i % cpus, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) {
      log::get("net")->warn("worker {}: could not pin to CPU {}", i, i % cpus);
    }
  }
  try {
    workers_[i]->context.run();
  } catch (const std::exception& e) {
    // Handlers must not throw (STYLE §4); if one does, the process is broken.
    log::get("net")->critical("worker {}: uncaught exception: {}", i, e.what());
    std::terminate();
  }
  current_pool = nullptr;
  current_index = npos;
}

void WorkerPool::stop() {
  // io_context::stop is thread-safe; the guards are only released in join().
  running_.store(false);
  for (auto& w : workers_) w->context.stop();
  if (current() == npos) join();
}

void WorkerPool::join() {
  std::lock_guard lock(lifecycle_);
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
    w->guard.reset();
  }
}

}  // namespace callwire::net
