// AsioNameResolver on a real io_context: answers come from the loop, never
// inside resolve(), and not at all once the resolver is gone.
#include "sip/stack/name_resolver.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;

TEST(AsioNameResolver, ResolvesLocalhostOnTheLoop) {
  boost::asio::io_context io;
  AsioNameResolver resolver(io);
  std::optional<Result<std::vector<boost::asio::ip::address>>> answer;
  resolver.resolve("localhost", [&](auto r) { answer = std::move(r); });
  EXPECT_FALSE(answer);  // not inside resolve()
  io.run_for(10s);
  ASSERT_TRUE(answer);
  ASSERT_TRUE(*answer) << (*answer).error().what();
  ASSERT_FALSE((*answer)->empty());
  for (const auto& a : **answer) EXPECT_TRUE(a.is_loopback()) << a.to_string();
}

TEST(AsioNameResolver, AnswerAfterDestructionIsDropped) {
  boost::asio::io_context io;
  bool called = false;
  {
    AsioNameResolver resolver(io);
    resolver.resolve("localhost", [&](auto) { called = true; });
  }
  io.run_for(2s);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace callwire::sip
