#include "net/stun.hpp"

#include <gtest/gtest.h>

namespace callwire::net {
namespace {

using boost::asio::ip::make_address;

std::string binding_request(std::uint16_t type = 0x0001) {
  std::string r;
  r.push_back(static_cast<char>(type >> 8));
  r.push_back(static_cast<char>(type & 0xff));
  r += std::string("\x00\x00\x21\x12\xa4\x42", 6);           // length 0, magic cookie
  r += std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 12);  // transaction id
  return r;
}

// Decodes XOR-MAPPED-ADDRESS from a response independently of the encoder.
std::pair<boost::asio::ip::address, std::uint16_t> mapped(const std::string& resp) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(resp[i]); };
  EXPECT_EQ((b(20) << 8) | b(21), 0x0020);
  std::uint16_t port = static_cast<std::uint16_t>(((b(26) << 8) | b(27)) ^ 0x2112);
  if (b(25) == 0x01) {
    boost::asio::ip::address_v4::bytes_type a;
    for (int i = 0; i < 4; ++i) a[i] = b(28 + i) ^ b(4 + i);
    return {boost::asio::ip::address_v4(a), port};
  }
  boost::asio::ip::address_v6::bytes_type a;
  for (int i = 0; i < 16; ++i) a[i] = b(28 + i) ^ b(4 + i);
  return {boost::asio::ip::address_v6(a), port};
}

TEST(Stun, RecognisesStunButNotSip) {
  EXPECT_TRUE(is_stun(binding_request()));
  EXPECT_FALSE(is_stun("OPTIONS sip:a@b SIP/2.0\r\n\r\n"));
  EXPECT_FALSE(is_stun(binding_request().substr(0, 19)));
  auto bad_cookie = binding_request();
  bad_cookie[4] = 0x22;
  EXPECT_FALSE(is_stun(bad_cookie));
  auto bad_length = binding_request();
  bad_length[3] = 4;  // says 4 bytes of attributes, has none
  EXPECT_FALSE(is_stun(bad_length));
}

TEST(Stun, BindingResponseV4) {
  auto req = binding_request();
  auto resp = stun_binding_response(req, make_address("192.0.2.33"), 40123);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->size(), 32u);
  EXPECT_TRUE(is_stun(*resp));
  EXPECT_EQ(resp->substr(0, 2), std::string("\x01\x01", 2));
  EXPECT_EQ(resp->substr(4, 16), req.substr(4, 16));  // cookie + transaction id echoed
  auto [address, port] = mapped(*resp);
  EXPECT_EQ(address, make_address("192.0.2.33"));
  EXPECT_EQ(port, 40123);
}

TEST(Stun, BindingResponseV6) {
  auto resp = stun_binding_response(binding_request(), make_address("2001:db8::1234"), 5060);
  ASSERT_TRUE(resp);
  ASSERT_EQ(resp->size(), 44u);
  auto [address, port] = mapped(*resp);
  EXPECT_EQ(address, make_address("2001:db8::1234"));
  EXPECT_EQ(port, 5060);
}

TEST(Stun, OnlyBindingRequestsAreAnswered) {
  EXPECT_FALSE(stun_binding_response(binding_request(0x0101), make_address("192.0.2.1"), 1));  // a response
  EXPECT_FALSE(stun_binding_response(binding_request(0x0011), make_address("192.0.2.1"), 1));  // an indication
  EXPECT_FALSE(stun_binding_response("INVITE", make_address("192.0.2.1"), 1));
}

}  // namespace
}  // namespace callwire::net
