#pragma once
// The ringing tone a caller hears while <Dial> rings the callee (unless
// answerOnBridge, where the callee's own ringing is what they wait on).
#include <cstdint>
#include <string_view>
#include <vector>

namespace callwire::calls {

// One cadence cycle at 8 kHz, to be looped: the tone of `country` (a
// <Dial ringTone> code: us, uk, de, fr, ...); codes callwire has no table
// for get the US tone.
std::vector<std::int16_t> ringback_cycle(std::string_view country);

}  // namespace callwire::calls
