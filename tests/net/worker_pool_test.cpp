#include "net/worker_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <future>
#include <set>
#include <string>

namespace callwire::net {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, DefaultSizeIsHardwareConcurrency) {
  WorkerPool pool;
  EXPECT_EQ(pool.size(), std::max(1u, std::thread::hardware_concurrency()));
  WorkerPool three(3);
  EXPECT_EQ(three.size(), 3u);
}

TEST(WorkerPool, PostRunsOnThatWorker) {
  WorkerPool pool(3);
  pool.start();
  EXPECT_EQ(pool.current(), WorkerPool::npos);  // the test thread is no worker
  for (std::size_t i = 0; i < pool.size(); ++i) {
    std::promise<std::pair<std::size_t, std::thread::id>> where;
    pool.post(i, [&] { where.set_value({pool.current(), std::this_thread::get_id()}); });
    auto f = where.get_future();
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
    auto [index, thread] = f.get();
    EXPECT_EQ(index, i);
    EXPECT_NE(thread, std::this_thread::get_id());
  }
}

TEST(WorkerPool, PostBeforeStartRunsAfterStart) {
  WorkerPool pool(2);
  std::promise<std::size_t> ran;
  pool.post(1, [&] { ran.set_value(pool.current()); });
  auto f = ran.get_future();
  EXPECT_EQ(f.wait_for(50ms), std::future_status::timeout);
  pool.start();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), 1u);
}

TEST(WorkerPool, CurrentIsPerPool) {
  WorkerPool a(1), b(1);
  a.start();
  b.start();
  std::promise<std::size_t> seen;
  a.post(0, [&] { seen.set_value(b.current()); });
  auto f = seen.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), WorkerPool::npos);
}

TEST(WorkerPool, Fnv1aKnownValues) {
  EXPECT_EQ(fnv1a(""), 14695981039346656037ull);
  EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a("foobar"), 0x85944171f73967e8ull);
}

TEST(WorkerPool, WorkerForIsStableAndSpreads) {
  WorkerPool a(4), b(4);
  std::set<std::size_t> used;
  for (int i = 0; i < 1000; ++i) {
    std::string call_id = "a84b4c76e66710-" + std::to_string(i) + "@pc33.atlanta.com";
    auto w = a.worker_for(call_id);
    ASSERT_LT(w, 4u);
    EXPECT_EQ(w, a.worker_for(call_id));
    EXPECT_EQ(w, b.worker_for(call_id));  // same on another pool (and process) of that size
    EXPECT_EQ(w, fnv1a(call_id) % 4);
    used.insert(w);
  }
  EXPECT_EQ(used.size(), 4u);
}

TEST(WorkerPool, StopIsIdempotentAndRestartable) {
  WorkerPool pool(2);
  pool.stop();  // never started
  pool.start();
  pool.start();  // already running
  EXPECT_TRUE(pool.running());
  pool.stop();
  pool.stop();
  EXPECT_FALSE(pool.running());
  pool.start();
  std::promise<void> ran;
  pool.post(0, [&] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(5s), std::future_status::ready);
  pool.stop();
}

TEST(WorkerPool, StopFromSignalHandlerOnAWorker) {
  WorkerPool pool(2);
  boost::asio::signal_set signals(pool.context(0), SIGUSR1);
  std::atomic<bool> handled{false};
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    handled = true;
    pool.stop();  // on worker 0: must not deadlock joining itself
  });
  pool.start();
  // asio queues the signal until the handler waits for it.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  std::raise(SIGUSR1);
  pool.join();  // returns once every loop has stopped
  EXPECT_TRUE(handled.load());
  EXPECT_FALSE(pool.running());
  EXPECT_LT(std::chrono::steady_clock::now(), deadline);
}

TEST(WorkerPool, DestructorStopsRunningPool) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2);
    pool.start();
    std::promise<void> p;
    pool.post(1, [&] {
      ++ran;
      p.set_value();
    });
    ASSERT_EQ(p.get_future().wait_for(5s), std::future_status::ready);
  }
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace callwire::net
