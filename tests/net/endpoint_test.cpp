#include "net/endpoint.hpp"

#include <gtest/gtest.h>

#include "net/errc.hpp"

namespace callwire::net {
namespace {

TEST(Endpoint, ParsesAddressAndPort) {
  struct Case {
    const char* text;
    const char* address;
    std::uint16_t port;
  } cases[] = {
      {"127.0.0.1:5060", "127.0.0.1", 5060}, {"0.0.0.0:0", "0.0.0.0", 0},
      {"[::1]:5061", "::1", 5061},           {"[::]:5060", "::", 5060},
      {"[2001:db8::9]:65535", "2001:db8::9", 65535},
  };
  for (const auto& c : cases) {
    auto e = parse_endpoint(c.text);
    ASSERT_TRUE(e) << c.text << ": " << e.error().what();
    EXPECT_EQ(e->address, boost::asio::ip::make_address(c.address)) << c.text;
    EXPECT_EQ(e->port, c.port) << c.text;
  }
}

TEST(Endpoint, DefaultPort) {
  EXPECT_EQ(parse_endpoint("10.0.0.1", 5060)->port, 5060);
  EXPECT_EQ(parse_endpoint("[::1]", 5061)->port, 5061);
  EXPECT_EQ(parse_endpoint("::1", 5061)->address, boost::asio::ip::make_address("::1"));
  EXPECT_FALSE(parse_endpoint("10.0.0.1"));  // no default: port required
}

TEST(Endpoint, Rejects) {
  for (const char* text : {"", ":5060", "example.com:5060", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:50x",
                           "[::1", "[::1]5060", "::1:5060x", "256.1.1.1:5060", "[1.2.3.4]:80x"}) {
    auto e = parse_endpoint(text, 5060);
    ASSERT_FALSE(e) << text;
    EXPECT_EQ(e.error().code, Errc::BadAddress) << text;
  }
}

TEST(Endpoint, Formats) {
  EXPECT_EQ(format_host(boost::asio::ip::make_address("192.0.2.1")), "192.0.2.1");
  EXPECT_EQ(format_host(boost::asio::ip::make_address("2001:db8::1")), "[2001:db8::1]");
  EXPECT_EQ(format_endpoint(boost::asio::ip::make_address("::1"), 5060), "[::1]:5060");
  EXPECT_EQ(format_endpoint(Endpoint{boost::asio::ip::make_address("10.1.2.3"), 7}), "10.1.2.3:7");
}

TEST(Endpoint, AddressTextAgreesWithToString) {
  // Every byte value in every place, and IPv6 (which keeps to_string()).
  for (unsigned v = 0; v < 256; ++v) {
    for (int place = 0; place < 4; ++place) {
      boost::asio::ip::address_v4::bytes_type b{1, 2, 3, 4};
      b[place] = static_cast<unsigned char>(v);
      boost::asio::ip::address a = boost::asio::ip::address_v4(b);
      ASSERT_EQ(address_text(a), a.to_string()) << v << " " << place;
    }
  }
  EXPECT_EQ(address_text(boost::asio::ip::make_address("255.255.255.255")), "255.255.255.255");
  EXPECT_EQ(address_text(boost::asio::ip::make_address("0.0.0.0")), "0.0.0.0");
  EXPECT_EQ(address_text(boost::asio::ip::make_address("2001:db8::1")), "2001:db8::1");
  EXPECT_EQ(address_text(boost::asio::ip::make_address("::ffff:192.0.2.1")), "::ffff:192.0.2.1");
}

}  // namespace
}  // namespace callwire::net
