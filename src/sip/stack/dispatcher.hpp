#pragma once
// Hands each received message to the Stack of the worker that owns its
// Call-ID, so a call's transactions and dialogs live on one thread (see
// docs/architecture.md). Parsing already happened on the receiving worker.
#include <vector>

#include "net/worker_pool.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

class Dispatcher final : public InboundHandler {
 public:
  // stacks[i] runs on pool worker i; all must outlive the dispatcher.
  Dispatcher(net::WorkerPool& pool, std::vector<Stack*> stacks);

  void on_message(Message message, const Source& src) override;
  void on_parse_error(std::string_view bytes, const Error& error, const Source& src) override;

 private:
  net::WorkerPool& pool_;
  std::vector<Stack*> stacks_;
};

}  // namespace callwire::sip
