#include "dial/trunk_plan.hpp"

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "dial/errc.hpp"

namespace callwire::dial {

RandomSource default_random_source() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return (*engine)(); };
}

std::optional<std::size_t> match_length(const store::Trunk& trunk, std::string_view e164) {
  if (trunk.number_prefixes.empty()) return 0;
  std::optional<std::size_t> best;
  for (const auto& prefix : trunk.number_prefixes) {
    if (!prefix.empty() && e164.starts_with(prefix) && (!best || prefix.size() > *best)) best = prefix.size();
  }
  return best;
}

namespace {

struct Candidate {
  const store::Trunk* trunk;
  std::size_t match;
};

// Weighted random order of one group of equal (match, priority), in place.
void weighted_shuffle(std::vector<Candidate>::iterator first, std::vector<Candidate>::iterator last,
                      const RandomSource& random) {
  // Weight 0 trunks go last, in creation order (stable).
  auto standby = std::stable_partition(first, last, [](const Candidate& c) { return c.trunk->weight > 0; });
  for (auto it = first; it != standby; ++it) {
    std::uint64_t total = 0;
    for (auto j = it; j != standby; ++j) total += static_cast<std::uint64_t>(j->trunk->weight);
    std::uint64_t draw = random() % total;
    auto pick = it;
    for (; pick != standby; ++pick) {
      const auto w = static_cast<std::uint64_t>(pick->trunk->weight);
      if (draw < w) break;
      draw -= w;
    }
    std::rotate(it, pick, pick + 1);  // keeps the others in order
  }
}

}  // namespace

Result<std::vector<store::Trunk>> plan_trunks(std::span<const store::Trunk> trunks, std::string_view e164,
                                              std::optional<std::string_view> byoc, const RandomSource& random) {
  if (byoc) {
    for (const auto& t : trunks) {
      if (t.sid != *byoc) continue;
      if (!t.enabled) return fail(Errc::TrunkDisabled, fmt::format("trunk {} is disabled", *byoc));
      return std::vector<store::Trunk>{t};
    }
    return fail(Errc::TrunkNotFound, fmt::format("trunk {} does not exist in this account", byoc->substr(0, 64)));
  }

  std::vector<Candidate> candidates;
  for (const auto& t : trunks) {
    if (!t.enabled) continue;
    if (auto m = match_length(t, e164)) candidates.push_back({&t, *m});
  }
  if (candidates.empty()) {
    return fail(Errc::NoRoute, fmt::format("no enabled trunk routes {}", e164.substr(0, 32)));
  }
  // Creation order breaks remaining ties, so the plan is deterministic for
  // a given random sequence.
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.match != b.match) return a.match > b.match;
    return a.trunk->priority < b.trunk->priority;
  });
  for (auto group = candidates.begin(); group != candidates.end();) {
    auto end = std::find_if(group, candidates.end(), [&](const Candidate& c) {
      return c.match != group->match || c.trunk->priority != group->trunk->priority;
    });
    if (end - group > 1) weighted_shuffle(group, end, random);
    group = end;
  }
  std::vector<store::Trunk> plan;
  plan.reserve(candidates.size());
  for (const auto& c : candidates) plan.push_back(*c.trunk);
  return plan;
}

}  // namespace callwire::dial
