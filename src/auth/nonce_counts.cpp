#include "auth/nonce_counts.hpp"

#include <algorithm>
#include <functional>

namespace callwire::auth {

NonceCounts::NonceCounts(std::size_t max_entries, std::int64_t lifetime_seconds)
    : max_per_shard_(std::max<std::size_t>(1, max_entries / kShards)), lifetime_(lifetime_seconds) {}

NonceCounts::Use NonceCounts::use(std::string_view nonce, std::int64_t issued, std::optional<std::uint32_t> nc,
                                  std::int64_t now) {
  auto& shard = shards_[std::hash<std::string_view>{}(nonce) % kShards];
  std::lock_guard lock(shard.mutex);

  // Expired nonces are refused before they get here, so their entries can go.
  while (!shard.order.empty() && shard.order.front().first + lifetime_ < now) {
    shard.entries.erase(shard.order.front().second);
    shard.order.pop_front();
  }

  auto it = shard.entries.find(nonce);
  if (it != shard.entries.end()) {
    auto& e = it->second;
    if (e.single_use || !nc || *nc <= e.last_nc) return Use::Replay;
    e.last_nc = *nc;
    return Use::Fresh;
  }
  if (issued <= shard.forgotten_up_to) return Use::Forgotten;

  while (shard.entries.size() >= max_per_shard_ && !shard.order.empty()) {
    auto& [old_issued, old_nonce] = shard.order.front();
    shard.forgotten_up_to = std::max(shard.forgotten_up_to, old_issued);
    shard.entries.erase(old_nonce);
    shard.order.pop_front();
  }
  if (issued <= shard.forgotten_up_to) return Use::Forgotten;
  shard.entries.emplace(std::string(nonce), Entry{issued, nc.value_or(0), !nc.has_value()});
  shard.order.emplace_back(issued, std::string(nonce));
  return Use::Fresh;
}

std::size_t NonceCounts::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.entries.size();
  }
  return n;
}

}  // namespace callwire::auth
