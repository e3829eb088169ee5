#include "sip/message/header_id.hpp"

#include <cstring>

#include "sip/message/header_lookup.hpp"

namespace callwire::sip {

HeaderId header_id(std::string_view name) {
  if (name.empty() || name.size() > header_lookup::kMaxLen) return HeaderId::Other;
  char padded[32] = {};  // room for the lookup's reads past the name
  std::memcpy(padded, name.data(), name.size());
  return header_lookup::lookup_padded(padded, name.size());
}

std::string_view header_name(HeaderId id) {
  auto i = static_cast<std::size_t>(id);
  return i < header_lookup::kNames.size() ? header_lookup::kNames[i].name : std::string_view{};
}

}  // namespace callwire::sip
