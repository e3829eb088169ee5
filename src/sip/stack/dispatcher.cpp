#include "sip/stack/dispatcher.hpp"

namespace callwire::sip {

Dispatcher::Dispatcher(net::WorkerPool& pool, std::vector<Stack*> stacks)
    : pool_(pool), stacks_(std::move(stacks)) {}

void Dispatcher::on_message(Message message, const Source& src) {
  std::size_t owner = pool_.worker_for(message.call_id());
  if (owner == pool_.current()) {
    stacks_[owner]->receive(std::move(message), src);
    return;
  }
  pool_.post(owner, [stack = stacks_[owner], message = std::move(message), src]() mutable {
    stack->receive(std::move(message), src);
  });
}

void Dispatcher::on_parse_error(std::string_view bytes, const Error& error, const Source& src) {
  // No Call-ID to pin it by: the receiving worker answers.
  std::size_t here = pool_.current();
  stacks_[here == net::WorkerPool::npos ? 0 : here]->receive_invalid(bytes, error, src);
}

}  // namespace callwire::sip
