#pragma once
// Unpredictable tokens for SIP tags, Via branches and Call-IDs. Drawn from a
// per-thread generator seeded by the OS, so no locking on the hot path.
#include <string>

namespace callwire {

// `n` lowercase hex characters.
std::string random_hex(std::size_t n);
// A Via branch: the RFC 3261 magic cookie followed by 24 hex characters.
std::string new_branch();
// A From/To tag.
std::string new_tag();

}  // namespace callwire
