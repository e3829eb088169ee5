#pragma once
// Which nonces have been used, and the highest nonce-count seen for each, so
// a captured request cannot be replayed (RFC 7616 §3.4.5). Entries live as
// long as their nonce is valid; memory is bounded: past the limit the oldest
// entries are forgotten and every nonce not newer than them reports
// Forgotten (the caller answers stale, the client takes a fresh nonce).
// Thread-safe: sharded by nonce, one mutex per shard.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace callwire::auth {

class NonceCounts {
 public:
  enum class Use { Fresh, Replay, Forgotten };

  NonceCounts(std::size_t max_entries, std::int64_t lifetime_seconds);

  // Records a use of `nonce` (issued at `issued`). With a nonce-count (qop),
  // it must be above every count seen for this nonce; without one (RFC 2069
  // style) the nonce is single-use. `now` prunes expired entries.
  Use use(std::string_view nonce, std::int64_t issued, std::optional<std::uint32_t> nc, std::int64_t now);

  std::size_t size() const;

 private:
  struct Entry {
    std::int64_t issued = 0;
    std::uint32_t last_nc = 0;
    bool single_use = false;  // used once without qop: never again
  };
  // Looks nonces up by string_view, without building a key.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries;
    std::deque<std::pair<std::int64_t, std::string>> order;  // first use order: (issued, nonce)
    std::int64_t forgotten_up_to = INT64_MIN;
  };
  static constexpr std::size_t kShards = 16;

  std::size_t max_per_shard_;
  std::int64_t lifetime_;
  std::array<Shard, kShards> shards_;
};

}  // namespace callwire::auth
