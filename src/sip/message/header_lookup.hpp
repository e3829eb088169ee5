#pragma once
// Header-name lookup: tables and an inline lookup for the parser's loop.
// Private to callwire_sip_message; header_id() is the public entry.
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "sip/message/chars.hpp"
#include "sip/message/header_id.hpp"
#include "sip/message/line_scan.hpp"

namespace callwire::sip::header_lookup {

struct Entry {
  std::string_view name;  // canonical spelling
  HeaderId id;
};

// Canonical names, indexed by HeaderId.
inline constexpr std::array<Entry, 60> kNames{{
    {"", HeaderId::Other},
    {"Accept", HeaderId::Accept},
    {"Accept-Contact", HeaderId::AcceptContact},
    {"Accept-Encoding", HeaderId::AcceptEncoding},
    {"Accept-Language", HeaderId::AcceptLanguage},
    {"Alert-Info", HeaderId::AlertInfo},
    {"Allow", HeaderId::Allow},
    {"Allow-Events", HeaderId::AllowEvents},
    {"Authentication-Info", HeaderId::AuthenticationInfo},
    {"Authorization", HeaderId::Authorization},
    {"Call-ID", HeaderId::CallId},
    {"Call-Info", HeaderId::CallInfo},
    {"Contact", HeaderId::Contact},
    {"Content-Disposition", HeaderId::ContentDisposition},
    {"Content-Encoding", HeaderId::ContentEncoding},
    {"Content-Language", HeaderId::ContentLanguage},
    {"Content-Length", HeaderId::ContentLength},
    {"Content-Type", HeaderId::ContentType},
    {"CSeq", HeaderId::CSeq},
    {"Date", HeaderId::Date},
    {"Error-Info", HeaderId::ErrorInfo},
    {"Event", HeaderId::Event},
    {"Expires", HeaderId::Expires},
    {"From", HeaderId::From},
    {"Identity", HeaderId::Identity},
    {"In-Reply-To", HeaderId::InReplyTo},
    {"Max-Forwards", HeaderId::MaxForwards},
    {"MIME-Version", HeaderId::MimeVersion},
    {"Min-Expires", HeaderId::MinExpires},
    {"Min-SE", HeaderId::MinSE},
    {"Organization", HeaderId::Organization},
    {"P-Asserted-Identity", HeaderId::PAssertedIdentity},
    {"Priority", HeaderId::Priority},
    {"Proxy-Authenticate", HeaderId::ProxyAuthenticate},
    {"Proxy-Authorization", HeaderId::ProxyAuthorization},
    {"Proxy-Require", HeaderId::ProxyRequire},
    {"RAck", HeaderId::RAck},
    {"Reason", HeaderId::Reason},
    {"Record-Route", HeaderId::RecordRoute},
    {"Refer-To", HeaderId::ReferTo},
    {"Referred-By", HeaderId::ReferredBy},
    {"Reject-Contact", HeaderId::RejectContact},
    {"Reply-To", HeaderId::ReplyTo},
    {"Request-Disposition", HeaderId::RequestDisposition},
    {"Require", HeaderId::Require},
    {"Retry-After", HeaderId::RetryAfter},
    {"Route", HeaderId::Route},
    {"RSeq", HeaderId::RSeq},
    {"Server", HeaderId::Server},
    {"Session-Expires", HeaderId::SessionExpires},
    {"Subject", HeaderId::Subject},
    {"Supported", HeaderId::Supported},
    {"Timestamp", HeaderId::Timestamp},
    {"To", HeaderId::To},
    {"Unsupported", HeaderId::Unsupported},
    {"User-Agent", HeaderId::UserAgent},
    {"User-to-User", HeaderId::UserToUser},
    {"Via", HeaderId::Via},
    {"Warning", HeaderId::Warning},
    {"WWW-Authenticate", HeaderId::WwwAuthenticate},
}};

constexpr bool names_in_id_order() {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (static_cast<std::size_t>(kNames[i].id) != i) return false;
  return true;
}
static_assert(names_in_id_order());

// Compact forms (RFC 3261 §7.3.3 and later RFCs), by lowercase letter.
// 'n' (Identity-Info) has no HeaderId and stays Other.
constexpr std::array<HeaderId, 26> make_compact() {
  std::array<HeaderId, 26> t{};
  auto set = [&](char c, HeaderId id) { t[static_cast<std::size_t>(c - 'a')] = id; };
  set('a', HeaderId::AcceptContact);
  set('b', HeaderId::ReferredBy);
  set('c', HeaderId::ContentType);
  set('d', HeaderId::RequestDisposition);
  set('e', HeaderId::ContentEncoding);
  set('f', HeaderId::From);
  set('i', HeaderId::CallId);
  set('j', HeaderId::RejectContact);
  set('k', HeaderId::Supported);
  set('l', HeaderId::ContentLength);
  set('m', HeaderId::Contact);
  set('o', HeaderId::Event);
  set('r', HeaderId::ReferTo);
  set('s', HeaderId::Subject);
  set('t', HeaderId::To);
  set('u', HeaderId::AllowEvents);
  set('v', HeaderId::Via);
  set('x', HeaderId::SessionExpires);
  set('y', HeaderId::Identity);
  return t;
}
inline constexpr auto kCompact = make_compact();

inline constexpr std::size_t kMaxLen = 19;  // "Authentication-Info", "Request-Disposition"

// Little-endian 8 bytes of s from `at`, zero past its end (for constexpr).
constexpr std::uint64_t bytes8(std::string_view s, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < 8 && at + k < s.size(); ++k)
    v |= std::uint64_t{static_cast<unsigned char>(s[at + k])} << (8 * k);
  return v;
}

// Everything one comparison needs, 64 bytes per name: the canonical name
// lowercased and zero-padded, and a mask with 0x20 at its letters only, so
// (bytes | fold) == lowered folds case at letters and compares every other
// byte exactly. (Only ASCII letters OR 0x20 onto a lowercase letter.) For
// names over 8 bytes, the last 8 bytes too: with the first 8 (and for
// names over 16 the middle 8) they cover the name, and the lookup has
// already loaded them for the hash.
struct alignas(64) Record {
  std::uint64_t lowered[2] = {};  // bytes 0-7, 8-15
  std::uint64_t fold[2] = {};
  std::uint64_t tail_lowered = 0;  // the last 8 bytes (names over 8 bytes)
  std::uint64_t tail_fold = 0;
  std::uint8_t size = 0;  // 0: no name (slot 0 never matches)
  HeaderId id = HeaderId::Other;
};

constexpr std::array<Record, kNames.size()> make_records() {
  std::array<Record, kNames.size()> r{};
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    std::string_view n = kNames[i].name;
    char low[24] = {}, fold[24] = {};
    for (std::size_t k = 0; k < n.size(); ++k) {
      low[k] = chars::lower(n[k]);
      fold[k] = chars::is_alpha(n[k]) ? '\x20' : '\0';
    }
    for (std::size_t w = 0; w < 2; ++w) {
      r[i].lowered[w] = bytes8({low, 24}, 8 * w);
      r[i].fold[w] = bytes8({fold, 24}, 8 * w);
    }
    if (n.size() > 8) {
      r[i].tail_lowered = bytes8({low, n.size()}, n.size() - 8);
      r[i].tail_fold = bytes8({fold, n.size()}, n.size() - 8);
    }
    r[i].size = static_cast<std::uint8_t>(n.size());
    r[i].id = kNames[i].id;
  }
  return r;
}
inline constexpr auto kRecords = make_records();

// A perfect hash of (first 8 bytes, last 8 bytes, length), case-folded, into
// 512 slots: one table read finds the only candidate. The multiplier was
// found by search; the static_assert below proves it collision-free.
inline constexpr std::uint64_t kFold = 0x2020202020202020ull;
inline constexpr std::uint64_t kMul = 0xc2ce6f447ed4d57bull;
inline constexpr int kBits = 9;

constexpr std::uint64_t mix(std::uint64_t head, std::uint64_t tail, std::size_t n) {
  return (head | kFold) ^ ((tail | kFold) * 0x9e3779b97f4a7c15ull) ^ n;
}
constexpr std::size_t slot(std::uint64_t key) { return static_cast<std::size_t>((key * kMul) >> (64 - kBits)); }

struct Slots {
  std::uint8_t index[std::size_t{1} << kBits]{};
  bool collision = false;
};

constexpr Slots make_slots() {
  Slots t{};
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    std::string_view n = kNames[i].name;
    std::size_t s = slot(mix(bytes8(n, 0), n.size() >= 8 ? bytes8(n, n.size() - 8) : 0, n.size()));
    if (t.index[s] != 0) t.collision = true;
    t.index[s] = static_cast<std::uint8_t>(i);
  }
  return t;
}
inline constexpr Slots kSlots = make_slots();
static_assert(!kSlots.collision, "header-name hash needs a new multiplier");

// kLow[k] keeps the first k bytes of a little-endian load (k = 8: all).
constexpr std::array<std::uint64_t, 9> make_low() {
  std::array<std::uint64_t, 9> t{};
  for (std::size_t k = 0; k < 8; ++k) t[k] = (std::uint64_t{1} << (8 * k)) - 1;
  t[8] = ~std::uint64_t{0};
  return t;
}
inline constexpr auto kLow = make_low();

inline std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The id of `name` (n bytes), which must be followed by at least 8 readable
// bytes: the loads read up to 7 bytes past it and mask them off.
inline HeaderId lookup_padded(const char* name, std::size_t n) {
  if (n - 2 >= kMaxLen - 1) [[unlikely]] {  // 0, 1 or longer than any name
    if (n != 1) return HeaderId::Other;
    auto c = static_cast<unsigned char>(name[0] | 0x20);  // only letters land in a..z
    return c >= 'a' && c <= 'z' ? kCompact[c - 'a'] : HeaderId::Other;
  }
  std::uint64_t head = load8(name);
  std::uint64_t tail = 0;
  if (n < 8)
    head &= kLow[n];
  else
    tail = load8(name + n - 8);
  const Record& r = kRecords[kSlots.index[slot(mix(head, tail, n))]];
  if (r.size != n || (head | r.fold[0]) != r.lowered[0]) return HeaderId::Other;
  if (n > 8) {
    if ((tail | r.tail_fold) != r.tail_lowered) return HeaderId::Other;
    if (n > 16 && (load8(name + 8) | r.fold[1]) != r.lowered[1]) return HeaderId::Other;
  }
  return r.id;
}

// The header loop's usual name: 2 to 15 bytes at the start of a Block16
// (its line's first 16 bytes), none of them a control byte (so no NUL,
// which the compare needs). The name,
// zero-padded to 16 bytes, is folded and compared with the candidate's in
// one step; its first 8 bytes and its length pick the candidate (a perfect
// hash over the names of 2 to 15 bytes, proved below).
inline constexpr std::uint64_t kMul16 = 0x00ce0438d29c6a7bull;
inline constexpr int kBits16 = 7;

constexpr std::size_t slot16(std::uint64_t head, std::size_t n) {
  return static_cast<std::size_t>((((head | kFold) ^ n) * kMul16) >> (64 - kBits16));
}

constexpr Slots make_slots16() {
  Slots t{};
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    std::string_view n = kNames[i].name;
    if (n.size() < 2 || n.size() > 15) continue;
    std::size_t s = slot16(bytes8(n, 0), n.size());
    if (t.index[s] != 0) t.collision = true;
    t.index[s] = static_cast<std::uint8_t>(i);
  }
  return t;
}
inline constexpr Slots kSlots16 = make_slots16();
static_assert(!kSlots16.collision, "16-byte header-name hash needs a new multiplier");

#if defined(__SSE2__)

// kPrefix[n]: 0xff in the first n bytes.
struct alignas(16) Prefix {
  unsigned char bytes[16] = {};
};
constexpr std::array<Prefix, 16> make_prefix() {
  std::array<Prefix, 16> t{};
  for (std::size_t n = 0; n < 16; ++n)
    for (std::size_t k = 0; k < n; ++k) t[n].bytes[k] = 0xff;
  return t;
}
inline constexpr auto kPrefix = make_prefix();

inline HeaderId lookup16(lines::Block16 b, std::size_t n) {
  __m128i name = _mm_and_si128(b.v, _mm_load_si128(reinterpret_cast<const __m128i*>(kPrefix[n].bytes)));
  std::uint64_t head;
  _mm_storel_epi64(reinterpret_cast<__m128i*>(&head), name);
  std::size_t i = kSlots16.index[slot16(head, n)];
  const Record& r = kRecords[i];
  __m128i folded = _mm_or_si128(name, _mm_load_si128(reinterpret_cast<const __m128i*>(r.fold)));
  __m128i eq = _mm_cmpeq_epi8(folded, _mm_load_si128(reinterpret_cast<const __m128i*>(r.lowered)));
  // Equal 16 bytes mean equal lengths too: the name has no NUL byte.
  if (_mm_movemask_epi8(eq) != 0xffff) return HeaderId::Other;
  return static_cast<HeaderId>(i);  // kRecords is in id order
}

#else

inline HeaderId lookup16(lines::Block16 b, std::size_t n) { return lookup_padded(b.p, n); }

#endif

}  // namespace callwire::sip::header_lookup
