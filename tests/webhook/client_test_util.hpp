#pragma once
// Helpers shared by the webhook client tests.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "webhook/client.hpp"

namespace callwire::webhook::test {

// Sends `request` and waits (bounded) for its single completion.
inline Outcome send_and_wait(Client& client, Request request, std::chrono::seconds limit = std::chrono::seconds(30)) {
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
