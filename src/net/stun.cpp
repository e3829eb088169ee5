#include "net/stun.hpp"

namespace callwire::net {

namespace {
constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::uint16_t kBindingRequest = 0x0001;
constexpr std::uint16_t kBindingSuccess = 0x0101;
constexpr std::uint16_t kXorMappedAddress = 0x0020;
constexpr std::size_t kHeader = 20;

std::uint16_t u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}
std::uint32_t u32(std::string_view b, std::size_t at) {
  return (std::uint32_t{u16(b, at)} << 16) | u16(b, at + 2);
}
void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}
}  // namespace

bool is_stun(std::string_view b) {
  if (b.size() < kHeader || (static_cast<unsigned char>(b[0]) & 0xc0) != 0) return false;
  std::uint16_t length = u16(b, 2);
  return length % 4 == 0 && b.size() == kHeader + length && u32(b, 4) == kMagicCookie;
}

std::optional<std::string> stun_binding_response(std::string_view request, const boost::asio::ip::address& address,
                                                 std::uint16_t port) {
  if (!is_stun(request) || u16(request, 0) != kBindingRequest) return std::nullopt;
  std::string_view cookie_and_id = request.substr(4, 16);  // XOR key for IPv6
  std::string value;
  value.push_back(0);
  value.push_back(address.is_v4() ? 0x01 : 0x02);
  put16(value, static_cast<std::uint16_t>(port ^ (kMagicCookie >> 16)));
  if (address.is_v4()) {
    auto bytes = address.to_v4().to_bytes();
    for (std::size_t i = 0; i < 4; ++i) value.push_back(static_cast<char>(bytes[i] ^ cookie_and_id[i]));
  } else {
    auto bytes = address.to_v6().to_bytes();
    for (std::size_t i = 0; i < 16; ++i) value.push_back(static_cast<char>(bytes[i] ^ cookie_and_id[i]));
  }
  std::string out;
  put16(out, kBindingSuccess);
  put16(out, static_cast<std::uint16_t>(4 + value.size()));
  out.append(cookie_and_id);  // magic cookie + the request's transaction id
  put16(out, kXorMappedAddress);
  put16(out, static_cast<std::uint16_t>(value.size()));
  out += value;
  return out;
}

}  // namespace callwire::net
