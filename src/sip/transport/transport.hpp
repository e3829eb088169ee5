#pragma once
// What the layers above see of the transports: where a message came from
// (Source), where one goes (Route), the sending interface (Transport) and the
// receiving one (InboundHandler). Implementations live beside this file.
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "core/result.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

enum class Protocol : std::uint8_t { Udp, Tcp, Tls };

std::string_view protocol_name(Protocol p);  // "UDP", "TCP", "TLS" (as in Via)
bool is_reliable(Protocol p);                // TCP and TLS
// Via transport token → Protocol ("udp" is case-insensitive); nullopt if unknown.
std::optional<Protocol> protocol_from_via(std::string_view transport);

struct Source {
  Protocol protocol = Protocol::Udp;
  boost::asio::ip::address remote_address;  // the packet's real source
  std::uint16_t remote_port = 0;
  boost::asio::ip::address local_address;
  std::uint16_t local_port = 0;
  std::uint32_t listener = 0;    // index of the listening socket it came in on
  std::uint64_t connection = 0;  // TCP/TLS connection id; 0 for UDP
};

struct Route {
  Protocol protocol = Protocol::Udp;
  boost::asio::ip::address address;
  std::uint16_t port = 0;
  std::uint32_t listener = 0;    // UDP: send from this listener's socket
  std::uint64_t connection = 0;  // TCP/TLS: reuse this connection while it is open
  std::string server_name;       // TLS: name the peer's certificate must match (and SNI);
                                 // empty: the address itself
};

// Where a response to a request that arrived from `src` with top Via `via`
// goes: RFC 3261 §18.2.2 with RFC 3581 rport. For reliable transports it is
// the connection the request came on (and, if that closed, sent-by/received).
Route response_route(const Source& src, const Via& via);

// The top via-parm a response copies (RFC 3581 §4, RFC 3261 §18.2.1): the
// request's text with ";received=<src address>" added when the sent-by host
// differs from it (or rport is present), and a valueless ";rport" filled in
// with the source port. Other Via values are copied unchanged.
std::string received_via(const Via& top, const Source& src);

// RFC 3261 §18.1.1: a request over UDP larger than 1300 bytes (or within 200
// bytes of the path MTU) must go over a congestion-controlled transport. The
// sender asks before building the Via; responses are sent as they are.
constexpr std::size_t kUdpRequestLimit = 1300;
bool must_use_stream(std::size_t request_size, Protocol p);

// The address callwire writes into Via/Contact for a protocol: the
// --public-address when set, else the listener's own address.
struct Advertised {
  std::string host;  // IPv6 in brackets
  std::uint16_t port = 0;
};

class Transport {
 public:
  using Done = std::function<void(std::error_code)>;
  virtual ~Transport() = default;
  // Sends from the calling worker. `done` (optional) runs on the calling
  // worker with the outcome; errors are also logged by the transport.
  virtual void send(const Route& route, std::shared_ptr<const std::string> bytes, Done done = {}) = 0;
  virtual Advertised advertised(Protocol p) const = 0;
};

// Receives what the transports read. Called on the worker that read it.
class InboundHandler {
 public:
  virtual ~InboundHandler() = default;
  virtual void on_message(Message message, const Source& src) = 0;
  // Bytes that failed to parse; `error` says why (see sip::status_for).
  virtual void on_parse_error(std::string_view bytes, const Error& error, const Source& src) = 0;
};

}  // namespace callwire::sip
