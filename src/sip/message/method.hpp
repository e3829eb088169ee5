#pragma once
#include <cstdint>
#include <string_view>

namespace callwire::sip {

// Methods callwire knows by name. Anything else is Unknown and keeps its
// token in Message::method_token(). Method names are case-sensitive
// (RFC 3261 §7.1).
enum class Method : std::uint8_t {
  Unknown,
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Info,
  Update,
  Prack,
  Subscribe,
  Notify,
  Refer,
  Message,
  Publish,
};

Method parse_method(std::string_view token);
std::string_view method_name(Method m);  // "" for Unknown

}  // namespace callwire::sip
