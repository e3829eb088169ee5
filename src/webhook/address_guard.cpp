#include "webhook/address_guard.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>

namespace callwire::webhook {

namespace {

bool private_v4(std::uint32_t a) {  // host byte order
  auto in = [a](std::uint32_t net, int prefix) {
    std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return (a & mask) == net;
  };
  return in(0x00000000, 8)       // 0/8
         || in(0x0A000000, 8)    // 10/8
         || in(0x64400000, 10)   // 100.64/10
         || in(0x7F000000, 8)    // 127/8
         || in(0xA9FE0000, 16)   // 169.254/16
         || in(0xAC100000, 12)   // 172.16/12
         || in(0xC0A80000, 16)   // 192.168/16
         || in(0xE0000000, 4)    // multicast
         || in(0xF0000000, 4);   // reserved + broadcast
}

}  // namespace

bool is_private_address(const sockaddr* address) {
  if (address == nullptr) return true;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return private_v4(ntohl(v4->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    const std::uint8_t* b = v6->sin6_addr.s6_addr;
    static constexpr std::uint8_t zeros[12] = {};
    bool first10_zero = std::memcmp(b, zeros, 10) == 0;
    if (first10_zero && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0))) {
      // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; also :: and ::1).
      std::uint32_t a = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) | (std::uint32_t{b[14]} << 8) | b[15];
      if (b[10] == 0 && a <= 1) return true;  // :: and ::1
      return private_v4(a);
    }
    if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10
    if (b[0] == 0xff) return true;                           // multicast
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
      // 64:ff9b::/96 NAT64 carries an IPv4 address in its last 4 bytes.
      std::uint32_t a = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) | (std::uint32_t{b[14]} << 8) | b[15];
      return private_v4(a);
    }
    return false;
  }
  return true;
}

std::string address_text(const sockaddr* address) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (address == nullptr) return "?";
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, buf, sizeof buf);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, buf, sizeof buf);
  } else {
    return "address family " + std::to_string(address->sa_family);
  }
  return buf;
}

}  // namespace callwire::webhook
