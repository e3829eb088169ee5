#include "media/engine/media_bridge.hpp"

#include <strings.h>

#include <array>
#include <optional>

#include "media/engine/media_session.hpp"
#include "media/engine/rtp_relay.hpp"
#include "media/engine/transcoder.hpp"
#include "media/rtp/bytes.hpp"
#include "media/rtp/telephone_event.hpp"

namespace callwire::media::engine {

namespace {

bool same_encoding(const CodecParams& a, const CodecParams& b) {
  return ::strcasecmp(a.name.c_str(), b.name.c_str()) == 0 && a.clock_rate == b.clock_rate;
}

std::uint32_t frame_units(const SessionConfig& c) {
  return static_cast<std::uint32_t>(std::uint64_t{c.codec.clock_rate} * static_cast<std::uint64_t>(c.ptime.count()) /
                                    1000);
}

}  // namespace

// One direction: what `from` receives goes out of `to`.
struct MediaBridge::Direction {
  Direction(MediaSession& f, MediaSession& t, const RelayStart& start)
      : from(&f),
        to(&t),
        relay(RelayConfig{f.cfg_.codec.clock_rate, t.cfg_.codec.clock_rate, frame_units(t.cfg_)}, start),
        out_pt(t.cfg_.payload_type),
        out_te_pt(t.cfg_.telephone_event_pt),
        in_te_clock(f.cfg_.telephone_event_clock),
        out_te_clock(t.cfg_.telephone_event_clock) {}

  MediaSession* from;
  MediaSession* to;
  RtpRelay relay;
  std::unique_ptr<Transcoder> transcoder;  // null: same codec, payloads pass through
  std::uint8_t out_pt;
  std::optional<std::uint8_t> out_te_pt;
  std::uint32_t in_te_clock;
  std::uint32_t out_te_clock;
  bool marker_next = false;  // after a hold or a new run: mark the next packet sent
  bool carried = false;      // continues an earlier relay of this bridge (rebuilt after a re-INVITE)
  // Transcoding: the incoming timestamp expected next and the outgoing
  // timestamp of the first sample buffered.
  bool have_expected = false;
  std::uint32_t expected_in_ts = 0;
  std::uint32_t out_ts = 0;
};

Result<std::shared_ptr<MediaBridge>> MediaBridge::connect(std::shared_ptr<MediaSession> a,
                                                          std::shared_ptr<MediaSession> b) {
  auto check = [&]() -> Status {
    if (!a || !b) return fail(Errc::BadArgument, "no session");
    if (a == b) return fail(Errc::BadArgument, "a session cannot be bridged to itself");
    for (auto* s : {a.get(), b.get()}) {
      if (s->closed_ || !s->engine_) return fail(Errc::Closed, "session closed");
      if (!s->started_) return fail(Errc::NotStarted, "session not started");
      if (s->media_bridge_) return fail(Errc::Busy, "session already bridged");
    }
    if (a->engine_ != b->engine_) return fail(Errc::BadArgument, "sessions of different engines");
    return {};
  };
  if (auto r = check(); !r) return std::unexpected(r.error());
  // The bridge replaces both Players' streams. Completions run here and may
  // close a session or bridge it elsewhere: check again after.
  a->stop_playback();
  b->stop_playback();
  if (auto r = check(); !r) return std::unexpected(r.error());
  std::shared_ptr<MediaBridge> br(new MediaBridge());
  br->a_ = std::move(a);
  br->b_ = std::move(b);
  if (auto r = br->build(); !r) {
    br->a_.reset();
    br->b_.reset();
    return std::unexpected(r.error());
  }
  br->a_->media_bridge_ = br.get();
  br->b_->media_bridge_ = br.get();
  return br;
}

MediaBridge::~MediaBridge() { disconnect(); }

Status MediaBridge::build() {
  auto now = Clock::now();
  auto make = [&](MediaSession& from, MediaSession& to,
                  const std::unique_ptr<Direction>& old) -> Result<std::unique_ptr<Direction>> {
    // A rebuild (re-INVITE on a leg) keeps the outgoing line where the old
    // relay left it; a new bridge starts where the Player stopped.
    RelayStart start{to.sender_->ssrc(), to.sender_->next_seq(), to.sender_->next_timestamp(), now};
    if (old) {
      start = old->relay.resume(now);
      start.at = now;
    }
    auto d = std::make_unique<Direction>(from, to, start);
    d->carried = old && (old->carried || old->relay.sent() > 0);
    d->marker_next = true;
    if (!same_encoding(from.cfg_.codec, to.cfg_.codec)) {
      auto t = Transcoder::create(from.cfg_.codec, to.cfg_.codec, to.cfg_.ptime);
      if (!t) return std::unexpected(t.error());
      d->transcoder = std::move(*t);
    }
    return d;
  };
  auto ab = make(*a_, *b_, a_to_b_);
  if (!ab) return std::unexpected(ab.error());
  auto ba = make(*b_, *a_, b_to_a_);
  if (!ba) return std::unexpected(ba.error());
  a_to_b_ = std::move(*ab);
  b_to_a_ = std::move(*ba);
  return {};
}

void MediaBridge::on_reconfigured() {
  if (!a_) return;
  if (!build()) disconnect();  // a codec we cannot create: each leg back to its own Player
}

void MediaBridge::disconnect() {
  if (!a_) return;
  auto now = Clock::now();
  auto a = std::move(a_);
  auto b = std::move(b_);
  a_.reset();
  b_.reset();
  std::optional<RelayStart> into_a, into_b;
  // Where each relay left the line; untouched when nothing was ever relayed
  // (the session's own line kept running meanwhile).
  auto resume = [&](const std::unique_ptr<Direction>& d) -> std::optional<RelayStart> {
    if (!d || (!d->carried && d->relay.sent() == 0)) return std::nullopt;
    return d->relay.resume(now);
  };
  into_a = resume(b_to_a_);
  into_b = resume(a_to_b_);
  a_to_b_.reset();
  b_to_a_.reset();
  a->leave_bridge(into_a);
  b->leave_bridge(into_b);
}

void MediaBridge::relay(MediaSession& from, const rtp::RtpView& v, bool event, Clock::time_point now) {
  if (!a_) return;
  bool forward = &from == a_.get();
  Direction& d = forward ? *a_to_b_ : *b_to_a_;
  std::uint64_t& relayed = forward ? stats_.relayed_a_to_b : stats_.relayed_b_to_a;
  MediaSession& to = *d.to;
  if (!to.cfg_.send) {
    ++stats_.held;
    d.marker_next = true;
    return;
  }
  auto buf = to.relay_buffer();

  if (event) {
    if (!d.out_te_pt) {
      ++stats_.events_dropped;
      return;
    }
    auto m = d.relay.map(v.ssrc, v.timestamp, now, true);
    std::span<const std::uint8_t> payload = v.payload;
    std::array<std::uint8_t, 4> scaled{};
    if (d.in_te_clock != d.out_te_clock && payload.size() >= 4) {
      // Durations count the telephone-event clock: convert them when the legs differ.
      std::copy_n(payload.begin(), 4, scaled.begin());
      auto dur = std::uint64_t{rtp::bytes::load16(scaled.data() + 2)} * d.out_te_clock / d.in_te_clock;
      rtp::bytes::store16(scaled.data() + 2, static_cast<std::uint16_t>(std::min<std::uint64_t>(dur, 0xFFFF)));
      payload = scaled;
    }
    auto n = d.relay.write(*d.out_te_pt, v.marker || m.reanchored, m.timestamp, payload, buf, now);
    if (n == 0 || !to.send_relayed(n, payload.size(), m.timestamp, now)) {
      ++stats_.dropped;
      return;
    }
    ++relayed;
    ++stats_.events_relayed;
    return;
  }

  auto m = d.relay.map(v.ssrc, v.timestamp, now);
  if (!d.transcoder) {
    auto n = d.relay.write(d.out_pt, v.marker || m.reanchored || d.marker_next, m.timestamp, v.payload, buf, now);
    if (n == 0 || !to.send_relayed(n, v.payload.size(), m.timestamp, now)) {
      ++stats_.dropped;
      return;
    }
    d.marker_next = false;
    ++relayed;
    return;
  }

  auto& tc = *d.transcoder;
  auto gap = static_cast<std::int32_t>(v.timestamp - d.expected_in_ts);
  if (m.reanchored || !d.have_expected || gap > 0) {
    // A new run, or packets lost: restart the buffer at this packet's time
    // (the partial frame held, under one outgoing frame, is dropped).
    tc.clear();
    d.out_ts = m.timestamp;
  } else if (gap < 0) {
    ++stats_.dropped;  // late or duplicate: its time has been sent already
    return;
  }
  auto units = tc.push(v.payload);
  if (units == 0) {
    ++stats_.dropped;
    d.have_expected = false;
    return;
  }
  d.have_expected = true;
  d.expected_in_ts = v.timestamp + units;
  if (v.marker || m.reanchored) d.marker_next = true;
  for (auto frame = tc.pop(); !frame.empty(); frame = tc.pop()) {
    auto ts = d.out_ts;
    d.out_ts += tc.frame_units();
    auto n = d.relay.write(d.out_pt, d.marker_next, ts, frame, buf, now);
    if (n == 0 || !to.send_relayed(n, frame.size(), ts, now)) {
      ++stats_.dropped;
      continue;
    }
    d.marker_next = false;
    ++relayed;
    ++stats_.transcoded;
  }
}

}  // namespace callwire::media::engine
