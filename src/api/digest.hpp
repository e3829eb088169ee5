#pragma once
// SIP digest HA1 values (RFC 2617 / RFC 7616): H(username ":" realm ":"
// password) as lowercase hex. They are all callwire keeps of a password.
#include <string>
#include <string_view>

namespace callwire::api {

std::string ha1_md5(std::string_view username, std::string_view realm, std::string_view password);
std::string ha1_sha256(std::string_view username, std::string_view realm, std::string_view password);

}  // namespace callwire::api
