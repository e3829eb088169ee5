#pragma once
// A dialog's identity (RFC 3261 §12): Call-ID, local tag, remote tag. The
// same dialog has swapped tags on the two sides, so incoming requests match
// with (Call-ID, To tag, From tag) and responses with (Call-ID, From tag, To tag).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace callwire::sip {

struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;  // "" for RFC 2543 peers that send no From tag

  bool operator==(const DialogId&) const = default;
};

// A borrowed id, for lookups straight from a Message without copying.
struct DialogIdView {
  std::string_view call_id;
  std::string_view local_tag;
  std::string_view remote_tag;

  DialogIdView(std::string_view c, std::string_view l, std::string_view r)
      : call_id(c), local_tag(l), remote_tag(r) {}
  DialogIdView(const DialogId& id)  // NOLINT: implicit on purpose
      : call_id(id.call_id), local_tag(id.local_tag), remote_tag(id.remote_tag) {}
  bool operator==(const DialogIdView&) const = default;
};

// Transparent hash/equality so a DialogIdView finds a DialogId key.
struct DialogIdHash {
  using is_transparent = void;
  std::size_t operator()(DialogIdView v) const noexcept {
    std::hash<std::string_view> h;
    std::size_t seed = h(v.call_id);
    seed ^= h(v.local_tag) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    seed ^= h(v.remote_tag) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
  }
};
struct DialogIdEqual {
  using is_transparent = void;
  bool operator()(DialogIdView a, DialogIdView b) const noexcept { return a == b; }
};

}  // namespace callwire::sip
