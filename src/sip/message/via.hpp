#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.hpp"
#include "sip/message/params.hpp"

namespace callwire::sip {

// A Via's params, a contiguous range of Param. Up to kInline live inside
// the object (branch, rport, received and one more cover nearly every Via),
// so parsing a message's top Via allocates nothing; more move to a vector.
class ViaParams {
 public:
  static constexpr std::size_t kInline = 4;

  ViaParams() {}  // the inline slots stay raw until used
  ViaParams(const ViaParams& o) : size_(o.size_), spill_(o.spill_) { copy_inline(o); }
  ViaParams(ViaParams&& o) noexcept : size_(o.size_), spill_(std::move(o.spill_)) {
    copy_inline(o);
    o.size_ = 0;
  }
  ViaParams& operator=(const ViaParams& o) {
    if (this != &o) {
      size_ = o.size_;
      spill_ = o.spill_;
      copy_inline(o);
    }
    return *this;
  }
  ViaParams& operator=(ViaParams&& o) noexcept {
    if (this != &o) {
      size_ = o.size_;
      spill_ = std::move(o.spill_);
      copy_inline(o);
      o.size_ = 0;
    }
    return *this;
  }

  const Param* data() const { return size_ <= kInline ? slots() : spill_.data(); }
  const Param* begin() const { return data(); }
  const Param* end() const { return data() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Param& operator[](std::size_t i) const { return data()[i]; }

  void push_back(const Param& p) {
    if (size_ < kInline) {
      ::new (static_cast<void*>(raw_ + size_ * sizeof(Param))) Param(p);
    } else {
      if (size_ == kInline) spill_.assign(slots(), slots() + kInline);
      spill_.push_back(p);
    }
    ++size_;
  }
  // Replaces the contents with [b, e).
  void assign(const Param* b, const Param* e) {
    auto n = static_cast<std::size_t>(e - b);
    if (n <= kInline) {
      spill_.clear();
      // Param by Param: a call to memcpy costs more than copying one or two.
      for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(raw_ + i * sizeof(Param))) Param(b[i]);
    } else {
      spill_.assign(b, e);
    }
    size_ = n;
  }

 private:
  static_assert(std::is_trivially_copyable_v<Param> && std::is_trivially_destructible_v<Param>);
  const Param* slots() const { return std::launder(reinterpret_cast<const Param*>(raw_)); }
  void copy_inline(const ViaParams& o) {
    if (std::size_t n = std::min(size_, kInline))
      std::memcpy(static_cast<void*>(raw_), static_cast<const void*>(o.raw_), n * sizeof(Param));
  }

  std::size_t size_ = 0;
  alignas(Param) unsigned char raw_[kInline * sizeof(Param)];
  std::vector<Param> spill_;  // all params, once there are more than kInline
};

// One via-parm: "SIP/2.0/UDP host:port;branch=z9hG4bK..;rport".
struct Via {
  std::string_view protocol_name;     // "SIP"
  std::string_view protocol_version;  // "2.0"
  std::string_view transport;         // "UDP", "TCP", "TLS", ... as written
  std::string_view host;              // IPv6 without brackets
  bool host_is_ipv6 = false;
  std::optional<std::uint16_t> port;
  ViaParams params;
  std::string_view text;              // the whole via-parm

  std::string_view branch() const;    // "" when absent
  std::string_view received() const;
  std::string_view maddr() const;
  bool has_rport() const;
  std::optional<std::uint16_t> rport() const;  // the value, when the param has one
};

[[nodiscard]] Result<Via> parse_via(std::string_view via_parm);

}  // namespace callwire::sip
