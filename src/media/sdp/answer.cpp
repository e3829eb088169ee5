// answer() and answer_reoffer(): the UAS side of offer/answer.
#include <cctype>

#include "media/sdp/errc.hpp"
#include "media/sdp/negotiation.hpp"
#include "media/sdp/negotiation_util.hpp"
#include "media/sdp/parse_util.hpp"

namespace callwire::media::sdp {
namespace {

using namespace detail;

// Our preferred codec that the offer has (the offer's PT and fmtp); `keep`
// (the codec in use, on a re-offer) wins when still offered.
std::optional<Codec> choose_codec(const MediaDescription& m, const std::vector<CodecSpec>& prefs,
                                  const std::optional<Codec>& keep) {
  std::vector<Codec> offered;
  for (const auto& f : m.formats) {
    if (auto c = resolve_format(m, f); c && !is_telephone_event(c->name)) offered.push_back(std::move(*c));
  }
  if (keep) {
    for (const auto& c : offered) {
      if (iequals(c.name, keep->name) && c.clock_rate == keep->clock_rate) {
        for (const auto& spec : prefs) {
          if (matches(spec, c)) return c;
        }
      }
    }
  }
  for (const auto& spec : prefs) {
    if (is_telephone_event(spec.name)) continue;
    for (const auto& c : offered) {
      if (matches(spec, c)) return c;
    }
  }
  return std::nullopt;
}

// The first a=crypto of the offer we can key, in the offerer's order.
const CryptoAttribute* choose_crypto(const MediaDescription& m) {
  for (const auto& c : m.crypto) {
    if (!usable_key(c).empty()) return &c;
  }
  return nullptr;
}

struct Choice {
  std::size_t index = 0;
  Codec codec;
  const CryptoAttribute* crypto = nullptr;
};

// The first audio m= line we can accept, or the reason the first audio line failed.
Result<Choice> choose_stream(const SessionDescription& offer, const LocalMedia& local,
                             const std::optional<Codec>& keep) {
  std::optional<Error> first_failure;
  auto note = [&](Errc e, std::string why) {
    if (!first_failure) first_failure = Error(make_error_code(e), std::move(why));
  };
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& m = offer.media[i];
    if (m.media != "audio" || m.port == 0) continue;
    if (!offer.connection_for(m)) {
      note(Errc::NoAudioStream, "audio stream without a c= address");
      continue;
    }
    Choice choice{i, {}, nullptr};
    switch (transport_of(m.protocol)) {
      case Transport::Other:
        note(Errc::NoAudioStream, "audio transport " + m.protocol + " not supported");
        continue;
      case Transport::Plain:
        if (local.srtp == SrtpPolicy::Required) {
          note(Errc::SrtpRequired, "SRTP required, the offer is " + m.protocol);
          continue;
        }
        break;
      case Transport::Sdes:
        if (local.srtp == SrtpPolicy::Refuse) {
          note(Errc::SrtpNotAllowed, "SRTP not allowed, the offer is " + m.protocol);
          continue;
        }
        choice.crypto = choose_crypto(m);
        if (!choice.crypto) {
          note(Errc::NoCommonCrypto, "no a=crypto with AES_CM_128_HMAC_SHA1_80/32 and a 30-byte key, without MKI");
          continue;
        }
        break;
    }
    auto codec = choose_codec(m, local.codecs, keep);
    if (!codec) {
      note(Errc::NoCommonCodec, "no common codec");
      continue;
    }
    choice.codec = std::move(*codec);
    return choice;
  }
  if (first_failure) return std::unexpected(*first_failure);
  return fail(Errc::NoAudioStream, "no audio stream offered");
}

const CodecSpec* spec_for(const std::vector<CodecSpec>& prefs, const Codec& c) {
  for (const auto& spec : prefs) {
    if (matches(spec, c)) return &spec;
  }
  return nullptr;
}

Result<Negotiated> answer_with(const SessionDescription& offer, const LocalMedia& local,
                               const std::optional<Codec>& keep) {
  if (auto ok = check_local(local); !ok) return std::unexpected(ok.error());
  auto choice = choose_stream(offer, local, keep);
  if (!choice) return std::unexpected(choice.error());
  const MediaDescription& om = offer.media[choice->index];
  const Connection* oc = offer.connection_for(om);

  Negotiated n;
  n.media_index = choice->index;
  n.codec = choice->codec;
  take_remote(offer, om, om.rtcp_mux && local.rtcp_mux, n);
  n.direction = intersect(reverse(peer_direction(offer, om)), local.direction);

  n.local = skeleton(local, pick_address(local, oc && oc->addr_type == "IP6"));
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& o = offer.media[i];
    MediaDescription a;
    a.media = o.media;
    a.protocol = o.protocol;
    if (i != choice->index) {  // refused: port 0, the offer's formats
      a.formats = o.formats.empty() ? std::vector<std::string>{"0"} : o.formats;
      n.local.media.push_back(std::move(a));
      continue;
    }
    a.port = local.rtp_port;
    const CodecSpec* spec = spec_for(local.codecs, n.codec);
    add_format(a, n.codec.payload_type, n.codec.name, n.codec.clock_rate,
               n.codec.channels, spec ? spec->fmtp : std::string());
    for (const auto& s : local.codecs) {
      if (!is_telephone_event(s.name)) continue;
      n.telephone_event = find_telephone_event(o, n.codec.clock_rate);
      if (n.telephone_event) {
        add_format(a, n.telephone_event->payload_type, "telephone-event", n.codec.clock_rate, 1,
                   s.fmtp.empty() ? n.telephone_event->fmtp : s.fmtp);
      }
      break;
    }
    a.ptime = local.ptime ? local.ptime : om.ptime;
    a.rtcp_mux = n.rtcp_mux;
    a.direction = n.direction;
    if (choice->crypto) {
      SrtpKeys keys{choice->crypto->suite, choice->crypto->tag, {}, usable_key(*choice->crypto)};
      for (const auto& mine : local.crypto) {  // keep our key across re-INVITEs
        if (mine.suite == keys.suite && usable_key(mine).size() == kAesCm128KeySaltBytes) {
          keys.local_key = usable_key(mine);
          break;
        }
      }
      if (keys.local_key.empty()) {
        auto key = random_key(local);
        if (!key) return std::unexpected(key.error());
        keys.local_key = std::move(*key);
      }
      CryptoAttribute ours;
      ours.tag = keys.tag;
      ours.suite = keys.suite;
      ours.key = base64_encode(keys.local_key);
      a.crypto.push_back(std::move(ours));
      n.srtp = std::move(keys);
    }
    n.local.media.push_back(std::move(a));
  }
  return n;
}

}  // namespace

Result<Negotiated> answer(const SessionDescription& offer, const LocalMedia& local) {
  return answer_with(offer, local, std::nullopt);
}

Result<Negotiated> answer_reoffer(const SessionDescription& offer, const LocalMedia& local,
                                  const Negotiated& previous) {
  LocalMedia next = local;
  next.session_id = previous.local.origin.session_id;
  next.session_version = previous.local.origin.session_version + 1;
  if (previous.srtp) {
    CryptoAttribute kept;
    kept.suite = previous.srtp->suite;
    kept.key = base64_encode(previous.srtp->local_key);
    next.crypto.insert(next.crypto.begin(), std::move(kept));
  }
  return answer_with(offer, next, previous.codec);
}

}  // namespace callwire::media::sdp
