#include "media/engine/media_session.hpp"

#include <algorithm>
#include <array>

#include "media/engine/endpoint_util.hpp"
#include "media/engine/media_bridge.hpp"
#include "media/engine/media_engine.hpp"
#include "media/rtp/rtcp_writer.hpp"
#include "media/rtp/telephone_event.hpp"

namespace callwire::media::engine {

namespace asio = boost::asio;
using detail::to_endpoint;
using detail::to_peer;


Result<SessionConfig> SessionConfig::from_negotiated(const sdp::Negotiated& n) {
  SessionConfig c;
  c.codec = CodecParams{n.codec.name, n.codec.clock_rate, n.codec.channels, n.codec.fmtp};
  c.payload_type = static_cast<std::uint8_t>(n.codec.payload_type);
  if (n.telephone_event) {
    c.telephone_event_pt = static_cast<std::uint8_t>(n.telephone_event->payload_type);
    c.telephone_event_clock = n.telephone_event->clock_rate;
  }
  c.ptime = std::chrono::milliseconds(n.ptime ? n.ptime : 20);
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(n.remote_rtp.address, ec);
  if (ec) return fail(Errc::BadArgument, "remote RTP address is not an IP literal");
  c.remote_rtp = Endpoint(addr, n.remote_rtp.port);
  auto rtcp_addr = asio::ip::make_address(n.remote_rtcp.address.empty() ? n.remote_rtp.address : n.remote_rtcp.address, ec);
  if (ec) rtcp_addr = addr;
  c.remote_rtcp = Endpoint(rtcp_addr, n.remote_rtcp.port ? n.remote_rtcp.port : n.remote_rtp.port + 1);
  c.rtcp_mux = n.rtcp_mux;
  c.send = sdp::sends(n.direction) && !n.remote_hold_address;
  c.receive = sdp::receives(n.direction);
  c.srtp = n.srtp;
  return c;
}

MediaSession::MediaSession(MediaEngine& engine, rtp::PortPair ports, asio::ip::udp::socket rtp,
                           asio::ip::udp::socket rtcp)
    : engine_(&engine), ports_(ports), rtp_(std::move(rtp)), rtcp_(std::move(rtcp)) {}

MediaSession::~MediaSession() = default;

const std::string& MediaSession::advertised_address() const {
  static const std::string kNone;
  return engine_ ? engine_->advertised_address() : kNone;
}

Status MediaSession::start(const SessionConfig& cfg) {
  if (closed_ || !engine_) return fail(Errc::Closed, "session closed");
  if (started_) return fail(Errc::Busy, "session already started");
  auto codec = codec::make_codec(cfg.codec.name, cfg.codec.clock_rate, cfg.codec.channels, cfg.codec.fmtp);
  if (!codec) return std::unexpected(codec.error());
  if ((*codec)->samples_per_frame(cfg.ptime) == 0) return fail(Errc::BadArgument, "bad ptime");
  if (cfg.srtp) {
    auto suite = srtp::parse_suite(cfg.srtp->suite);
    if (!suite) return fail(srtp::Errc::UnknownSuite, cfg.srtp->suite);
    auto keys = srtp::SrtpSession::create({*suite, cfg.srtp->local_key, cfg.srtp->remote_key});
    if (!keys) return std::unexpected(keys.error());
    srtp_ = std::make_unique<srtp::SrtpSession>(std::move(*keys));
  }
  cfg_ = cfg;
  codec_ = std::move(*codec);
  player_params_ = cfg.codec;
  std::optional<std::uint32_t> te;
  if (cfg.telephone_event_pt) te = cfg.telephone_event_clock;
  player_.emplace(*codec_, cfg.ptime, te);
  sender_.emplace(rtp::RtpSenderConfig{cfg.payload_type, cfg.codec.clock_rate, cfg.ptime});
  receiver_.emplace(cfg.codec.clock_rate);
  auto now = Clock::now();
  // Sessions started together are spread over the tick phases of one ptime,
  // so a burst of new calls does not put every send into the same tick.
  auto phases = std::max<std::int64_t>(1, cfg.ptime / engine_->config().tick);
  auto phase = static_cast<std::int64_t>(engine_->stats_.sessions_created % static_cast<std::uint64_t>(phases));
  pacer_.emplace(engine_->grid_at_or_after(now) + engine_->config().tick * phase, cfg.ptime, 3);
  latch_.emplace(cfg.latch, to_peer(cfg.remote_rtp));
  next_rtcp_ = now + engine_->config().rtcp_interval / 2 +
               engine_->config().rtcp_interval * static_cast<std::int64_t>(sender_->ssrc() % 1000) / 1000;
  started_ = true;
  arm_rtp();
  arm_rtcp();
  return {};
}

Status MediaSession::ready() const {
  if (closed_ || !engine_) return fail(Errc::Closed, "session closed");
  if (!started_) return fail(Errc::NotStarted, "session not started");
  return {};
}

void MediaSession::close() {
  if (closed_) return;
  if (media_bridge_) media_bridge_->disconnect();  // the other leg gets its Player back
  if (started_ && engine_) send_rtcp(Clock::now(), true);
  closed_ = true;
  if (player_) {
    player_->stop();
    run_completions();
  }
  if (recorder_) finish_recording(RecordEnd::Closed);
  boost::system::error_code ec;
  rtp_.close(ec);
  rtcp_.close(ec);
  if (engine_) engine_->remove(this);
}

// ---------------------------------------------------------------- sources

Status MediaSession::play(std::shared_ptr<const tts::Audio> audio, unsigned loops, PlaybackDone done) {
  if (auto r = ready(); !r) return r;
  auto enc = engine_->prompts().get(audio, player_params_, cfg_.ptime);
  if (!enc) return std::unexpected(enc.error());
  player_->play(std::move(*enc), loops, std::move(done));
  return {};
}

Status MediaSession::play_pcm(std::vector<std::int16_t> pcm, std::uint32_t rate, unsigned loops, PlaybackDone done) {
  if (auto r = ready(); !r) return r;
  auto enc = encode_prompt(pcm, rate, player_params_, cfg_.ptime);
  if (!enc) return std::unexpected(enc.error());
  player_->play(std::move(*enc), loops, std::move(done));
  return {};
}

Status MediaSession::silence(std::chrono::milliseconds duration, PlaybackDone done) {
  if (auto r = ready(); !r) return r;
  player_->silence(duration, std::move(done));
  return {};
}

Status MediaSession::beep(int frequency_hz, std::chrono::milliseconds duration, PlaybackDone done) {
  if (auto r = ready(); !r) return r;
  auto tone = codec::ToneGenerator::beep(frequency_hz, duration, player_codec().sample_rate());
  if (!tone) return std::unexpected(tone.error());
  player_->tone(std::move(*tone), std::move(done));
  return {};
}

Status MediaSession::send_digits(std::string digits, PlaybackDone done) {
  if (auto r = ready(); !r) return r;
  for (char c : digits)
    if (c != 'w' && c != 'W' && !rtp::dtmf_event_code(c))
      return fail(Errc::BadArgument, std::string("not a DTMF digit: ") + c);
  player_->digits(std::move(digits), std::move(done));
  return {};
}

void MediaSession::stop_playback() {
  if (!player_) return;
  player_->stop();
  run_completions();
}

void MediaSession::run_completions() {
  if (!player_) return;
  // A completion may queue more items and so produce new completions.
  for (auto batch = player_->take_completions(); !batch.empty(); batch = player_->take_completions())
    for (auto& [done, result] : batch) done(result);
}

// ---------------------------------------------------------------- pacing and sending

void MediaSession::on_tick(Clock::time_point now) {
  if (!started_ || closed_) return;
  auto due = pacer_->due(now);
  if (due.skipped > 0) {
    stats_.frames_skipped += due.skipped;
    have_last_send_ = false;
  }
  if (media_bridge_) {
    // The bridge sends this session's stream: the Player waits, and the
    // sender's own line keeps time for when the bridge lets go.
    sender_->skip_frames(due.send + due.skipped);
    have_last_send_ = false;
  } else {
    // Skipped frames still move the sources on, so audio stays in time.
    for (std::uint32_t i = 0; i < due.skipped; ++i) send_frame(now, false);
    for (std::uint32_t i = 0; i < due.send && !closed_; ++i) send_frame(now, true);
  }
  run_completions();
  if (bridge_codec_ && !closed_ && player_->idle()) end_bridge();  // the old codec's audio has played
  if (!closed_ && now >= next_rtcp_) {
    send_rtcp(now, false);
    auto iv = engine_->config().rtcp_interval;
    next_rtcp_ = now + iv / 2 + iv * static_cast<std::int64_t>((stats_.rtcp_sent * 7919 + sender_->ssrc()) % 1000) / 1000;
  }
}

void MediaSession::send_frame(Clock::time_point now, bool transmit) {
  Frame f = player_->next();
  bool out = transmit && cfg_.send;
  // After a re-INVITE dropped telephone-event, digits already queued go unsent.
  if (f.kind == Frame::Kind::Event && !cfg_.telephone_event_pt) out = false;
  auto& tx = engine_->tx_;
  Result<std::size_t> n = 0;
  if (f.kind == Frame::Kind::Event) {
    if (f.event_start) {
      event_ts_ = sender_->next_timestamp();
      event_frames_ = 0;
    }
    ++event_frames_;
    if (out) n = sender_->write_event(*cfg_.telephone_event_pt, event_ts_, f.event, tx, now);
    if (f.event_last) sender_->skip_frames(event_frames_);
  } else {
    if (f.talkspurt) sender_->mark_talkspurt();
    if (!out) {
      sender_->skip_frames(1);
      return;
    }
    auto payload = bridge_codec_ ? transcode(f.payload) : f.payload;
    if (payload.empty()) {
      sender_->skip_frames(1);
      return;
    }
    n = sender_->write_frame(payload, tx, now);
  }
  if (!out || !n || *n == 0) return;
  if (srtp_) {
    n = srtp_->protect_rtp(tx, *n);
    if (!n) {
      ++stats_.send_errors;
      return;
    }
  }
  boost::system::error_code ec;
  auto t = Clock::now();
  rtp_.send_to(asio::buffer(tx.data(), *n), to_endpoint(latch_->target()), 0, ec);
  if (ec) {
    ++stats_.send_errors;
    ++engine_->stats_.send_errors;
    return;
  }
  ++stats_.packets_sent;
  stats_.bytes_sent += *n;
  ++engine_->stats_.packets_sent;
  extra_tx_.relayed_last = false;
  if (have_last_send_) {
    auto dev = std::chrono::duration_cast<std::chrono::microseconds>(t - last_send_) -
               std::chrono::duration_cast<std::chrono::microseconds>(cfg_.ptime);
    if (dev.count() < 0) dev = -dev;
    stats_.send_deviation_max = std::max(stats_.send_deviation_max, dev);
    deviation_sum_us_ += static_cast<std::uint64_t>(dev.count());
    ++deviation_count_;
    engine_->stats_.send_deviation.add(dev);
  }
  have_last_send_ = true;
  last_send_ = t;
}

void MediaSession::send_rtcp(Clock::time_point now, bool bye) {
  std::array<std::uint8_t, 512 + srtp::kMaxTrailer> buf{};
  std::array<rtp::ReportBlock, 1> blocks{};
  std::size_t nblocks = 0;
  if (receiver_->valid()) blocks[nblocks++] = receiver_->report_block(now);
  rtp::SenderInfo info;
  bool sr = sender_->take_sent_since_report();
  if (extra_tx_.sent_since_report) sr = true;
  extra_tx_.sent_since_report = false;
  if (sr) {
    info = sender_->sender_info(std::chrono::system_clock::now(), now);
    info.packet_count += extra_tx_.packets;
    info.octet_count += extra_tx_.octets;
    if (extra_tx_.relayed_last) {  // extrapolated from the last relayed packet, as RtpSender does
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - extra_tx_.last_at).count();
      info.rtp_timestamp = extra_tx_.last_ts + static_cast<std::uint32_t>(
                                                   static_cast<std::uint64_t>(std::max<std::int64_t>(us, 0)) *
                                                   cfg_.codec.clock_rate / 1'000'000);
    }
  }
  auto n = rtp::write_report_compound(sr ? &info : nullptr, sender_->ssrc(),
                                      std::span<const rtp::ReportBlock>(blocks.data(), nblocks),
                                      engine_->config().cname, bye, buf);
  if (!n) return;
  Endpoint to;
  if (cfg_.rtcp_mux)
    to = to_endpoint(latch_->target());
  else
    to = rtcp_from_.value_or(cfg_.remote_rtcp);
  if (to.address().is_unspecified() || to.port() == 0) return;  // c=0.0.0.0 hold: nowhere to send
  if (srtp_) {
    n = srtp_->protect_rtcp(buf, *n);
    if (!n) return;
  }
  boost::system::error_code ec;
  auto& sock = cfg_.rtcp_mux ? rtp_ : rtcp_;
  sock.send_to(asio::buffer(buf.data(), *n), to, 0, ec);
  if (!ec) ++stats_.rtcp_sent;
}

SessionStats MediaSession::stats() const {
  SessionStats s = stats_;
  if (receiver_ && receiver_->has_source()) {
    s.lost = receiver_->cumulative_lost();
    s.jitter_units = receiver_->jitter();
    s.jitter = std::chrono::microseconds(std::uint64_t{s.jitter_units} * 1'000'000 / cfg_.codec.clock_rate);
  }
  if (deviation_count_ > 0)
    s.send_deviation_mean = std::chrono::microseconds(deviation_sum_us_ / deviation_count_);
  return s;
}

}  // namespace callwire::media::engine
