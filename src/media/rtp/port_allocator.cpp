#include "media/rtp/port_allocator.hpp"

#include <charconv>

namespace callwire::media::rtp {

PortAllocator::PortAllocator(std::uint16_t base, std::size_t pairs)
    : base_(base), ring_(pairs), free_count_(pairs), in_use_(pairs, 0) {
  for (std::size_t i = 0; i < pairs; ++i) ring_[i] = static_cast<std::uint16_t>(i);
}

Result<PortAllocator> PortAllocator::make(std::uint16_t first, std::uint16_t last) {
  if (first == 0 || first > last) return fail(Errc::BadPortRange);
  std::uint32_t base = first + (first & 1u);  // round up to even
  if (base + 1 > last) return fail(Errc::BadPortRange);
  std::size_t pairs = (last - base + 1u) / 2;
  return PortAllocator(static_cast<std::uint16_t>(base), pairs);
}

Result<PortAllocator> PortAllocator::parse(std::string_view range) {
  auto dash = range.find('-');
  if (dash == std::string_view::npos) return fail(Errc::BadPortRange);
  auto num = [](std::string_view s, std::uint16_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
  };
  std::uint16_t a = 0, b = 0;
  if (!num(range.substr(0, dash), a) || !num(range.substr(dash + 1), b)) return fail(Errc::BadPortRange);
  return make(a, b);
}

Result<PortPair> PortAllocator::allocate() {
  if (free_count_ == 0) return fail(Errc::PortsExhausted);
  std::uint16_t index = ring_[head_];
  head_ = (head_ + 1) % ring_.size();
  --free_count_;
  in_use_[index] = 1;
  return PortPair{static_cast<std::uint16_t>(base_ + 2u * index)};
}

bool PortAllocator::index_of(PortPair pair, std::size_t& index) const {
  if (pair.rtp < base_ || ((pair.rtp - base_) & 1u) != 0) return false;
  index = (pair.rtp - base_) / 2u;
  return index < in_use_.size();
}

Status PortAllocator::release(PortPair pair) {
  std::size_t index = 0;
  if (!index_of(pair, index) || !in_use_[index]) return fail(Errc::PortNotAllocated);
  in_use_[index] = 0;
  ring_[(head_ + free_count_) % ring_.size()] = static_cast<std::uint16_t>(index);
  ++free_count_;
  return {};
}

bool PortAllocator::in_use(PortPair pair) const {
  std::size_t index = 0;
  return index_of(pair, index) && in_use_[index];
}

}  // namespace callwire::media::rtp
