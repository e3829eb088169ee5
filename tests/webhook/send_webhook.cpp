// callwire_send_webhook URL TOKEN METHOD [name=value ...]
// Sends one webhook with callwire's client (signature, headers, encoding as
// in production) and prints "status <code>" or "failure <code> <message>".
// Exit status: 0 on a 2xx answer, 1 on a failure, 2 on bad usage.
// Used by tests/compat/signature.test.js to check the twilio helper library
// accepts callwire's signatures.
#include <cstdio>
#include <future>
#include <string>

#include "webhook/client.hpp"

int main(int argc, char** argv) {
  using namespace callwire::webhook;
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s URL TOKEN GET|POST [name=value ...]\n", argv[0]);
    return 2;
  }
  Request request;
  request.url = argv[1];
  request.auth_token = argv[2];
  request.method = argv[3];
  for (int i = 4; i < argc; ++i) {
    std::string arg = argv[i];
    auto eq = arg.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "not name=value: %s\n", argv[i]);
      return 2;
    }
    request.params.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
  }
  Client client(ClientConfig{});
  std::promise<Outcome> promise;
  client.send(std::move(request), [&](Outcome o) { promise.set_value(std::move(o)); });
  Outcome out = promise.get_future().get();
  if (out) {
    std::printf("status %d\n", out->status);
    return 0;
  }
  std::printf("failure %d %s\n", out.error().error_code, out.error().message.c_str());
  return 1;
}
