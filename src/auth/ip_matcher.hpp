#pragma once
// IP ACL entries (contract 4.2, 8.3 step 4) compiled for matching packet
// source addresses. Built once per snapshot of a domain's rules, then
// read-only: safe to share between threads.
//
// cidr_prefix_length: 0 means the single address (/32, IPv6 /128), never
// "everything" (contract 16.6); 1..32 (IPv6 1..128) is a range, host bits
// of the address ignored; anything else makes the entry invalid. IPv6
// entries are accepted (the contract leaves them [NC]). IPv4 addresses and
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are the same address, in
// rules and in sources.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "store/domain_auth.hpp"

namespace callwire::auth {

class IpMatcher {
 public:
  // Invalid entries (unparseable address, prefix out of range) are skipped
  // and counted in skipped().
  static IpMatcher build(const std::vector<store::IpRule>& rules);

  bool contains(const boost::asio::ip::address& source) const;
  std::size_t size() const { return ranges_.size(); }
  std::size_t skipped() const { return skipped_; }

 private:
  // Every address lives in the IPv6 space, IPv4 as ::ffff:a.b.c.d.
  struct Range {
    std::uint64_t hi = 0, lo = 0;            // network, host bits cleared
    std::uint64_t mask_hi = 0, mask_lo = 0;  // prefix mask
  };
  std::vector<Range> ranges_;
  std::size_t skipped_ = 0;
};

}  // namespace callwire::auth
