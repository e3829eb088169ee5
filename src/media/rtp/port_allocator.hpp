#pragma once
// RTP/RTCP port pairs from a configured range (`--rtp-ports 10000-20000`):
// RTP on an even port, RTCP on the next odd one (RFC 3550 §11). Free pairs
// wait in a FIFO ring, so allocate and release are O(1) and a released pair
// goes to the back: it is reused only after every other free pair, which
// keeps late packets of an old call away from a new one. Not thread-safe:
// one allocator per worker (give each worker its own sub-range).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "media/rtp/errc.hpp"

namespace callwire::media::rtp {

struct PortPair {
  std::uint16_t rtp = 0;
  std::uint16_t rtcp() const { return static_cast<std::uint16_t>(rtp + 1); }
  friend bool operator==(const PortPair&, const PortPair&) = default;
};

class PortAllocator {
 public:
  // Pairs whose both ports lie in [first, last]; at least one pair.
  [[nodiscard]] static Result<PortAllocator> make(std::uint16_t first, std::uint16_t last);
  // "10000-20000".
  [[nodiscard]] static Result<PortAllocator> parse(std::string_view range);

  [[nodiscard]] Result<PortPair> allocate();
  // The pair goes back to the end of the free queue. Releasing a pair not
  // allocated (or twice) is refused and changes nothing.
  [[nodiscard]] Status release(PortPair pair);

  std::size_t capacity() const { return in_use_.size(); }
  std::size_t available() const { return free_count_; }
  bool in_use(PortPair pair) const;

 private:
  PortAllocator(std::uint16_t base, std::size_t pairs);
  bool index_of(PortPair pair, std::size_t& index) const;

  std::uint16_t base_ = 0;               // first even RTP port
  std::vector<std::uint16_t> ring_;      // free pair indices, FIFO
  std::size_t head_ = 0;                 // next to hand out
  std::size_t free_count_ = 0;
  std::vector<std::uint8_t> in_use_;     // per pair index
};

}  // namespace callwire::media::rtp
