// offer() and accept_answer(): our offer (INVITE without SDP, re-offers)
// and what the peer's answer settles.
#include <algorithm>
#include <set>

#include "core/random.hpp"
#include "media/sdp/errc.hpp"
#include "media/sdp/negotiation.hpp"
#include "media/sdp/negotiation_util.hpp"
#include "media/sdp/parse_util.hpp"

namespace callwire::media::sdp {
namespace {

using namespace detail;

// The next free dynamic payload type; 101 stays for telephone-event/8000,
// the number most PBXs expect.
int next_dynamic(std::set<int>& used) {
  for (int pt = 96; pt <= 127; ++pt) {
    if (pt != 101 && used.insert(pt).second) return pt;
  }
  return -1;
}

Result<std::vector<CryptoAttribute>> our_keys(const LocalMedia& local) {
  if (!local.crypto.empty()) return local.crypto;
  std::vector<CryptoAttribute> keys;
  std::uint32_t tag = 1;
  for (auto suite : {kAesCm128Sha1_80, kAesCm128Sha1_32}) {
    auto key = random_key(local);
    if (!key) return std::unexpected(key.error());
    keys.push_back({tag++, std::string(suite), base64_encode(*key), "", "", "", ""});
  }
  return keys;
}

// Which of our offered codecs a format of the answer is.
std::optional<Codec> offered_codec(const MediaDescription& ours, const Codec& theirs) {
  for (const auto& f : ours.formats) {
    auto c = resolve_format(ours, f);
    if (c && iequals(c->name, theirs.name) && c->clock_rate == theirs.clock_rate) return c;
  }
  return std::nullopt;
}

}  // namespace

std::string new_session_id() {
  // 48 random bits as decimal: fits the 63 bits many implementations assume.
  return std::to_string(std::stoull(random_hex(12), nullptr, 16));
}

Result<SessionDescription> offer(const LocalMedia& local) {
  if (auto ok = check_local(local); !ok) return std::unexpected(ok.error());
  SessionDescription s = skeleton(local, local.address);
  MediaDescription m;
  m.port = local.rtp_port;
  m.protocol = local.srtp == SrtpPolicy::Required ? "RTP/SAVP" : "RTP/AVP";
  std::set<int> used;
  for (const auto& spec : local.codecs) {
    if (auto pt = static_payload_type(spec)) used.insert(*pt);
  }
  std::set<std::uint32_t> clocks;
  for (const auto& spec : local.codecs) {
    if (is_telephone_event(spec.name)) continue;
    auto pt = static_payload_type(spec);
    int number = pt ? *pt : next_dynamic(used);
    if (number < 0) break;
    add_format(m, number, spec.name, spec.clock_rate, spec.channels, spec.fmtp);
    clocks.insert(spec.clock_rate);
  }
  for (const auto& spec : local.codecs) {
    if (!is_telephone_event(spec.name)) continue;
    for (auto clock : clocks) {
      int number = clock == 8000 && used.insert(101).second ? 101 : next_dynamic(used);
      if (number < 0) break;
      add_format(m, number, spec.name, clock, 1, spec.fmtp);
    }
    break;
  }
  m.ptime = local.ptime;
  m.rtcp_mux = local.rtcp_mux;
  m.direction = local.direction;
  if (local.srtp == SrtpPolicy::Required) {
    auto keys = our_keys(local);
    if (!keys) return std::unexpected(keys.error());
    m.crypto = std::move(*keys);
  }
  s.media.push_back(std::move(m));
  return s;
}

Result<SessionDescription> reoffer(const LocalMedia& local, const Negotiated& previous) {
  LocalMedia next = local;
  next.session_id = previous.local.origin.session_id;
  next.session_version = previous.local.origin.session_version + 1;
  auto current = std::find_if(next.codecs.begin(), next.codecs.end(),
                              [&](const CodecSpec& s) { return matches(s, previous.codec); });
  if (current != next.codecs.end()) std::rotate(next.codecs.begin(), current, current + 1);
  if (previous.srtp) {
    next.crypto = {{previous.srtp->tag, previous.srtp->suite, base64_encode(previous.srtp->local_key), "", "", "",
                    ""}};
  }
  return offer(next);
}

Result<Negotiated> accept_answer(const SessionDescription& our_offer, const SessionDescription& answer,
                                 const LocalMedia& local) {
  auto audio = std::find_if(our_offer.media.begin(), our_offer.media.end(),
                            [](const MediaDescription& m) { return m.media == "audio" && m.port != 0; });
  if (audio == our_offer.media.end()) return fail(Errc::InvalidLocal, "our offer has no audio stream");
  std::size_t index = static_cast<std::size_t>(audio - our_offer.media.begin());
  if (answer.media.size() != our_offer.media.size()) {
    return fail(Errc::BadAnswer, "answer has " + std::to_string(answer.media.size()) + " m= lines, offer " +
                                     std::to_string(our_offer.media.size()));
  }
  const MediaDescription& ours = *audio;
  const MediaDescription& theirs = answer.media[index];
  if (theirs.media != ours.media) return fail(Errc::BadAnswer, "answer m= lines are not in offer order");
  if (theirs.port == 0) return fail(Errc::NoCommonCodec, "the answer refused the audio stream");
  if (!answer.connection_for(theirs)) return fail(Errc::BadAnswer, "the answer's audio stream has no c= address");
  if (transport_of(theirs.protocol) != transport_of(ours.protocol)) {
    return fail(Errc::BadAnswer, "answer transport " + theirs.protocol + " for an offer of " + ours.protocol);
  }

  Negotiated n;
  n.local = our_offer;
  n.media_index = index;
  for (const auto& f : theirs.formats) {  // the answerer's first format we offered
    auto c = resolve_format(theirs, f);
    if (!c || is_telephone_event(c->name) || !offered_codec(ours, *c)) continue;
    n.codec = std::move(*c);
    break;
  }
  if (n.codec.name.empty()) return fail(Errc::NoCommonCodec, "the answer has none of the offered codecs");
  if (find_telephone_event(ours, n.codec.clock_rate)) {
    n.telephone_event = find_telephone_event(theirs, n.codec.clock_rate);
  }
  take_remote(answer, theirs, theirs.rtcp_mux && ours.rtcp_mux, n);
  n.direction = intersect(reverse(peer_direction(answer, theirs)), local.direction);

  if (transport_of(ours.protocol) == Transport::Sdes) {
    for (const auto& c : theirs.crypto) {
      auto mine = std::find_if(ours.crypto.begin(), ours.crypto.end(),
                               [&](const CryptoAttribute& o) { return o.tag == c.tag && o.suite == c.suite; });
      auto remote = usable_key(c);
      if (mine == ours.crypto.end() || remote.empty()) continue;
      n.srtp = SrtpKeys{c.suite, c.tag, usable_key(*mine), std::move(remote)};
      break;
    }
    if (!n.srtp || n.srtp->local_key.empty()) {
      return fail(Errc::BadAnswer, "the answer has no a=crypto matching an offered tag and suite");
    }
  }
  return n;
}

}  // namespace callwire::media::sdp
