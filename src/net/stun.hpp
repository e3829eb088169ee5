#pragma once
// The one piece of STUN (RFC 5389) a SIP UDP port needs: answering Binding
// requests, which RFC 5626 §4.4.1 clients send as keep-alives on the SIP
// port, with the source address they were seen from (XOR-MAPPED-ADDRESS).
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callwire::net {

// True when `bytes` is a STUN message (first two bits zero, magic cookie,
// length matching). A SIP message never is: it starts with a letter.
bool is_stun(std::string_view bytes);

// The Binding success response to a Binding request from address:port;
// nullopt for any other STUN message (indications, responses, other methods).
std::optional<std::string> stun_binding_response(std::string_view request, const boost::asio::ip::address& address,
                                                 std::uint16_t port);

}  // namespace callwire::net
