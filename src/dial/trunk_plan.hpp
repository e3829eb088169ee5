#pragma once
// Which trunks a call to a number tries, in order (the failover list).
//
// Routing rules, as carrier LCR tables work (docs/compatibility.md):
// 1. Only enabled trunks whose NumberPrefixes match the number (a trunk
//    without prefixes matches every number, as a prefix of length 0).
// 2. The most specific match first: a trunk matching "+4420" comes before one
//    matching "+44", which comes before a catch-all. Less specific trunks
//    stay in the list as failover.
// 3. Among equally specific matches, lower Priority first.
// 4. Among equal Priority, a weighted random order: each position is drawn
//    with probability weight / (sum of the remaining weights), so Weight 30
//    vs 10 sends 75 % of first attempts to the first trunk. Weight 0 trunks
//    come last within their priority, in creation order (standby trunks).
// With `byoc` (a <Number byoc="BY…">) the app chose the trunk: the plan is
// that one trunk, whatever its prefixes; TrunkNotFound / TrunkDisabled
// otherwise. The concurrent-call limit is not checked here (TrunkUsage).
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/models.hpp"

namespace callwire::dial {

// Uniform random numbers in [0, 2^64); tests pass a fixed sequence.
using RandomSource = std::function<std::uint64_t()>;

// A RandomSource over std::random_device-seeded mt19937_64 (one per call is
// fine: it is only drawn a few times).
RandomSource default_random_source();

// The length of the longest prefix of `trunk` that `e164` starts with (0 for
// a trunk without prefixes), or nullopt when none matches.
std::optional<std::size_t> match_length(const store::Trunk& trunk, std::string_view e164);

// The ordered trunks to try for `e164` (from normalize_number()). NoRoute
// when nothing matches, with a message naming the number.
[[nodiscard]] Result<std::vector<store::Trunk>> plan_trunks(std::span<const store::Trunk> trunks,
                                                            std::string_view e164,
                                                            std::optional<std::string_view> byoc,
                                                            const RandomSource& random);

}  // namespace callwire::dial
