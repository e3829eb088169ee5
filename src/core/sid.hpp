#pragma once
// Twilio-style resource identifiers: a two-letter uppercase prefix and 32
// lowercase hex digits ("SD0123…"). Drawn from OpenSSL's CSPRNG, because a
// SID in a URL is the only thing standing between accounts' resources and
// guessing; the same goes for auth tokens.
#include <span>
#include <string>
#include <string_view>

namespace callwire {

// prefix + 32 lowercase hex digits, e.g. make_sid("SD"). `prefix` must be two
// uppercase letters (asserted in debug builds).
std::string make_sid(std::string_view prefix);

// A SID for rows written at a high rate (calls): prefix, the creation time in
// milliseconds since the Unix epoch as 12 hex digits, then 20 random hex
// digits (80 bits, still unguessable). Successive SIDs sort by creation
// time, so a database's unique index on them grows at its end instead of
// dirtying a random page per row (a third less CPU per call-log row in
// SQLite). Same shape as make_sid's: a client cannot tell them apart.
std::string make_time_ordered_sid(std::string_view prefix);

// True when `text` is `prefix` followed by exactly 32 hex digits. Upper-case
// hex is accepted, as Twilio's OpenAPI pattern does (^XX[0-9a-fA-F]{32}$);
// callwire itself only issues lowercase.
bool is_sid(std::string_view text, std::string_view prefix);

// `n` lowercase hex characters from the CSPRNG (auth tokens: n = 32).
std::string secure_random_hex(std::size_t n);

// Fills `out` from the CSPRNG. Each thread draws 4 KiB from OpenSSL at a time
// and hands it out in order: RAND_bytes per call (its fork check is a getpid()
// system call, and its locking) cost more than a CallSid's formatting. A
// forked child drops the pool it inherited (pthread_atfork), so parent and
// child never hand out the same bytes.
void secure_random_bytes(std::span<unsigned char> out);

}  // namespace callwire
