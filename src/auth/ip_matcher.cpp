#include "auth/ip_matcher.hpp"
#include "core/text.hpp"

#include <string_view>

namespace callwire::auth {

namespace {

using boost::asio::ip::address;

// The address as two 64-bit halves of its IPv6 (or IPv4-mapped) form.
std::pair<std::uint64_t, std::uint64_t> halves(const address& a) {
  std::array<unsigned char, 16> b{};
  if (a.is_v4()) {
    auto v4 = a.to_v4().to_bytes();
    b[10] = b[11] = 0xff;
    for (int i = 0; i < 4; ++i) b[12 + i] = v4[i];
  } else {
    b = a.to_v6().to_bytes();
  }
  std::uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; ++i) hi = (hi << 8) | b[i];
  for (int i = 8; i < 16; ++i) lo = (lo << 8) | b[i];
  return {hi, lo};
}

std::pair<std::uint64_t, std::uint64_t> mask(int bits) {  // 0..128
  auto part = [](int n) -> std::uint64_t {
    if (n <= 0) return 0;
    if (n >= 64) return ~std::uint64_t{0};
    return ~std::uint64_t{0} << (64 - n);
  };
  return {part(bits), part(bits - 64)};
}

}  // namespace

IpMatcher IpMatcher::build(const std::vector<store::IpRule>& rules) {
  IpMatcher m;
  m.ranges_.reserve(rules.size());
  for (const auto& rule : rules) {
    boost::system::error_code ec;
    auto text = trim(rule.ip_address);
    // A scope id ("fe80::1%eth0") names a local interface: meaningless in an ACL.
    if (text.find('%') != std::string_view::npos) {
      ++m.skipped_;
      continue;
    }
    auto a = boost::asio::ip::make_address(text, ec);
    if (ec) {
      ++m.skipped_;
      continue;
    }
    // IPv4-mapped rules are IPv4 rules; their prefix counts IPv4 bits when
    // it is small enough to mean that (≤ 32), else IPv6 bits.
    const bool v4 = a.is_v4() || a.to_v6().is_v4_mapped();
    const int width = v4 && (a.is_v4() || rule.cidr_prefix_length <= 32) ? 32 : 128;
    int prefix = rule.cidr_prefix_length;
    if (prefix < 0 || prefix > width) {
      ++m.skipped_;
      continue;
    }
    if (prefix == 0) prefix = width;  // contract 16.6: 0 = the single address
    if (width == 32) prefix += 96;
    auto [hi, lo] = halves(a);
    auto [mhi, mlo] = mask(prefix);
    m.ranges_.push_back(Range{hi & mhi, lo & mlo, mhi, mlo});
  }
  return m;
}

bool IpMatcher::contains(const address& source) const {
  auto [hi, lo] = halves(source);
  for (const auto& r : ranges_) {
    if ((hi & r.mask_hi) == r.hi && (lo & r.mask_lo) == r.lo) return true;
  }
  return false;
}

}  // namespace callwire::auth
