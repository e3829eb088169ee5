#include "sip/transaction/tx_keys.hpp"

#include <cctype>
#include <string>

namespace callwire::sip {

bool has_magic_cookie(std::string_view branch) { return branch.starts_with("z9hG4bK"); }

std::string server_key(const Message& request, std::string_view method) {
  const Via& via = request.top_via();
  std::string key;
  if (has_magic_cookie(via.branch())) {
    key.reserve(via.branch().size() + via.host.size() + method.size() + 16);
    key.append(via.branch()).push_back('|');
    for (char c : via.host) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    key.push_back(':');
    key.append(via.port ? std::to_string(*via.port) : std::string());
  } else {
    key.append("2543|").append(request.request_uri()).push_back('|');
    key.append(request.from_tag()).push_back('|');
    key.append(request.call_id()).push_back('|');
    key.append(std::to_string(request.cseq().number)).push_back('|');
    key.append(via.text);
  }
  key.push_back('|');
  key.append(method);
  return key;
}

std::string merge_key(const Message& request) {
  std::string key;
  key.append(request.from_tag()).push_back('|');
  key.append(request.call_id()).push_back('|');
  key.append(std::to_string(request.cseq().number)).push_back(' ');
  key.append(request.cseq().method_token);
  return key;
}

std::string client_key(std::string_view branch, std::string_view cseq_method) {
  std::string key;
  key.reserve(branch.size() + cseq_method.size() + 1);
  key.append(branch).push_back('|');
  key.append(cseq_method);
  return key;
}

}  // namespace callwire::sip
