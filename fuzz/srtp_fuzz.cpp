// Fuzzes SRTP/SRTCP unprotect (media/srtp over libsrtp2) with packets from
// the network: arbitrary bytes must be refused or authenticated, never read
// out of bounds. The input is also protected with a fixed key and
// unprotected again, which must give the input back (the success path).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "media/srtp/srtp_session.hpp"

using namespace callwire::media::srtp;

namespace {

std::vector<std::uint8_t> key(std::uint8_t seed) {
  std::vector<std::uint8_t> k(kKeySaltBytes);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + 13 * i);
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 4096) return 0;
  Suite suite = (data[0] & 1) ? Suite::AesCm128HmacSha1_32 : Suite::AesCm128HmacSha1_80;
  bool rtcp = (data[0] & 2) != 0;
  ++data;
  --size;
  auto a = key(1), b = key(2);
  auto sender = SrtpSession::create({suite, a, b});
  auto receiver = SrtpSession::create({suite, b, a});
  if (!sender || !receiver) __builtin_trap();

  std::vector<std::uint8_t> buf(size + kMaxTrailer);
  if (size > 0) std::memcpy(buf.data(), data, size);
  (void)(rtcp ? receiver->unprotect_rtcp(buf, size) : receiver->unprotect_rtp(buf, size));

  // Round trip for what looks like a packet of the right kind.
  bool shaped = size >= (rtcp ? 8u : 12u) && (data[0] >> 6) == 2;
  if (!shaped) return 0;
  std::vector<std::uint8_t> fresh(size + kMaxTrailer);
  std::memcpy(fresh.data(), data, size);
  auto sealed = rtcp ? sender->protect_rtcp(fresh, size) : sender->protect_rtp(fresh, size);
  if (!sealed) return 0;  // e.g. a header whose CSRC list or extension runs past the packet
  auto opened = rtcp ? receiver->unprotect_rtcp(fresh, *sealed) : receiver->unprotect_rtp(fresh, *sealed);
  if (!opened || *opened != size || std::memcmp(fresh.data(), data, size) != 0) __builtin_trap();
  return 0;
}
