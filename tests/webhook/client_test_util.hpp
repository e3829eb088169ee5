#pragma once
// Helpers shared by the webhook client tests.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "webhook/client.hpp"

namespace callwire::webhook::test {

#ifdef CALLWIRE_WEBHOOK_LOOP_MODE
// The client in loop mode, driven by an io_context on a thread of its own
// (as a SIP worker drives it in `callwire serve`).
class TestClient {
 public:
  explicit TestClient(ClientConfig config) : client_(std::make_unique<Client>(std::move(config), io_)) {
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestClient() {
    stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  void send(Request request, std::function<void(Outcome)> done) { client_->send(std::move(request), std::move(done)); }
  // stop() belongs on the loop's thread.
  void stop() {
    std::promise<void> stopped;
    boost::asio::post(io_, [&] {
      client_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
  }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<Client> client_;
  std::thread thread_;
};
#else
using TestClient = Client;
#endif

// Sends `request` and waits (bounded) for its single completion.
template <class AnyClient>
inline Outcome send_and_wait(AnyClient& client, Request request, std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  client.send(std::move(request), [promise](Outcome o) { promise->set_value(std::move(o)); });
  if (future.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "no completion within " << limit.count() << " s";
    Failure f;
    f.message = "test timeout";
    return std::unexpected(f);
  }
  return future.get();
}

inline Request make_request(std::string url, std::string method = "POST", Params params = {},
                            std::string token = "test-auth-token") {
  Request r;
  r.url = std::move(url);
  r.method = std::move(method);
  r.params = std::move(params);
  r.auth_token = std::move(token);
  return r;
}

}  // namespace callwire::webhook::test
