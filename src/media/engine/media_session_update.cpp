// MediaSession changes after start: update() (hold, resume, a new remote
// address) and reconfigure() (a new codec, payload type, ptime or SRTP key
// from a re-INVITE or UPDATE), the bridge that transcodes audio queued for
// the old codec, and SRTP on the receive path.
#include <algorithm>

#include "media/engine/endpoint_util.hpp"
#include "media/engine/media_bridge.hpp"
#include "media/engine/media_engine.hpp"
#include "media/engine/media_session.hpp"

namespace callwire::media::engine {

using detail::to_peer;

namespace {

bool identical_codec(const CodecParams& a, const CodecParams& b) {
  return a.name == b.name && a.clock_rate == b.clock_rate && a.channels == b.channels && a.fmtp == b.fmtp;
}

}  // namespace

Status MediaSession::update(const SessionConfig& cfg) {
  if (auto r = ready(); !r) return r;
  if (cfg.payload_type != cfg_.payload_type || !identical_codec(cfg.codec, cfg_.codec) || cfg.ptime != cfg_.ptime)
    return fail(Errc::Unsupported, "codec change: use reconfigure()");
  return reconfigure(cfg);
}

std::optional<std::uint32_t> MediaSession::te_clock() const {
  if (!cfg_.telephone_event_pt) return std::nullopt;
  return cfg_.telephone_event_clock;
}

Status MediaSession::reconfigure(const SessionConfig& cfg) {
  if (auto r = ready(); !r) return r;
  bool codec_swap = !identical_codec(cfg.codec, cfg_.codec);
  bool ptime_change = cfg.ptime != cfg_.ptime;
  bool sender_change = codec_swap || ptime_change || cfg.payload_type != cfg_.payload_type;
  bool te_change = cfg.telephone_event_pt != cfg_.telephone_event_pt ||
                   (cfg.telephone_event_pt && cfg.telephone_event_clock != cfg_.telephone_event_clock);

  // Everything that can fail comes first, so a failure changes nothing.
  std::unique_ptr<codec::Codec> next;
  if (codec_swap || ptime_change) {
    auto made = codec::make_codec(cfg.codec.name, cfg.codec.clock_rate, cfg.codec.channels, cfg.codec.fmtp);
    if (!made) return std::unexpected(made.error());
    if ((*made)->samples_per_frame(cfg.ptime) == 0) return fail(Errc::BadArgument, "bad ptime");
    next = std::move(*made);
  }
  std::unique_ptr<srtp::SrtpSession> keys;
  bool rekey = cfg.srtp != cfg_.srtp;
  if (rekey && cfg.srtp) {
    auto suite = srtp::parse_suite(cfg.srtp->suite);
    if (!suite) return fail(srtp::Errc::UnknownSuite, cfg.srtp->suite);
    auto made = srtp::SrtpSession::create({*suite, cfg.srtp->local_key, cfg.srtp->remote_key});
    if (!made) return std::unexpected(made.error());
    keys = std::make_unique<srtp::SrtpSession>(std::move(*made));
  }

  std::vector<std::pair<PlaybackDone, PlaybackResult>> pending;
  std::uint32_t old_rate = codec_->sample_rate();
  if (next) {
    std::optional<std::uint32_t> te;
    if (cfg.telephone_event_pt) te = cfg.telephone_event_clock;
    if (ptime_change || player_->idle()) {
      // Nothing worth keeping (or frames of another length): a fresh player.
      player_->stop();
      pending = player_->take_completions();
      player_.reset();
      codec_ = std::move(next);
      bridge_codec_.reset();
      bridge_rs_.reset();
      player_.emplace(*codec_, cfg.ptime, te);
      player_params_ = cfg.codec;
    } else {
      // Queued audio is encoded for the player's codec: keep playing it,
      // decoded and re-encoded for the wire, until the queue drains.
      if (!bridge_codec_) bridge_codec_ = std::move(codec_);
      codec_ = std::move(next);
      bridge_rs_.reset();
      if (bridge_codec_->sample_rate() != codec_->sample_rate()) {
        auto rs = codec::Resampler::create(bridge_codec_->sample_rate(), codec_->sample_rate());
        if (rs) bridge_rs_ = std::make_unique<codec::Resampler>(std::move(*rs));
      }
      std::size_t spf = codec_->samples_per_frame(cfg.ptime);
      bridge_pcm_.assign(spf, 0);
      bridge_out_.resize(codec_->max_payload_size(spf));
    }
  } else if (te_change && player_->idle()) {
    pending = player_->take_completions();
    std::optional<std::uint32_t> te;
    if (cfg.telephone_event_pt) te = cfg.telephone_event_clock;
    player_.emplace(*codec_, cfg.ptime, te);
  }

  if (sender_change) {
    rtp::RtpSenderStart keep{sender_->ssrc(), sender_->next_seq(), sender_->next_timestamp()};
    replace_sender(rtp::RtpSenderConfig{cfg.payload_type, cfg.codec.clock_rate, cfg.ptime}, keep);
  }
  if (cfg.codec.clock_rate != cfg_.codec.clock_rate) receiver_.emplace(cfg.codec.clock_rate);
  if (codec_swap) {
    have_next_ts_ = false;
    to8k_.reset();
    if (detector_ && codec_->sample_rate() != 8000) {
      auto rs = codec::Resampler::create(codec_->sample_rate(), 8000, 0);
      if (rs) to8k_ = std::make_unique<codec::Resampler>(std::move(*rs));
    }
  }
  if (ptime_change) pacer_.emplace(engine_->grid_at_or_after(Clock::now()), cfg.ptime, 3);
  if (rekey) srtp_ = std::move(keys);
  if (cfg.remote_rtp != cfg_.remote_rtp) latch_->reset(to_peer(cfg.remote_rtp));
  if (cfg.remote_rtcp != cfg_.remote_rtcp || cfg.rtcp_mux != cfg_.rtcp_mux) rtcp_from_.reset();
  cfg_ = cfg;

  // The recorder writes at the rate it was opened with: a new rate ends it.
  if (recorder_ && codec_->sample_rate() != old_rate) finish_recording(RecordEnd::Stopped);
  // A bridge relays with each leg's codec and payload types: it follows.
  if (media_bridge_) media_bridge_->on_reconfigured();
  for (auto& [done, result] : pending)
    if (done) done(result);
  run_completions();
  return {};
}

std::span<const std::uint8_t> MediaSession::transcode(std::span<const std::uint8_t> payload) {
  auto& pcm = engine_->pcm_;
  auto decoded = bridge_codec_->decode(payload, pcm);
  if (!decoded) return {};
  std::span<const std::int16_t> in(pcm.data(), *decoded);
  std::fill(bridge_pcm_.begin(), bridge_pcm_.end(), 0);
  if (bridge_rs_) {
    bridge_rs_->process(in, bridge_pcm_);  // a short first frame (filter delay) is padded with silence
  } else {
    std::copy_n(in.begin(), std::min(in.size(), bridge_pcm_.size()), bridge_pcm_.begin());
  }
  std::size_t n = codec_->encode(bridge_pcm_, bridge_out_);
  return {bridge_out_.data(), n};
}

void MediaSession::end_bridge() {
  auto pending = player_->take_completions();
  player_.reset();
  bridge_codec_.reset();
  bridge_rs_.reset();
  player_.emplace(*codec_, cfg_.ptime, te_clock());
  player_params_ = cfg_.codec;
  for (auto& [done, result] : pending)
    if (done) done(result);
}

bool MediaSession::unprotect(std::span<std::uint8_t> bytes, std::size_t& len, bool rtcp) {
  auto plain = rtcp ? srtp_->unprotect_rtcp(bytes, len) : srtp_->unprotect_rtp(bytes, len);
  if (!plain) {
    ++stats_.srtp_failures;
    return false;
  }
  len = *plain;
  return true;
}

}  // namespace callwire::media::engine
