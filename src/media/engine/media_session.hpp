#pragma once
// One call leg's media on one worker: an RTP/RTCP socket pair, the send
// side (a Player of queued sources, paced by the engine's shared tick) and
// the receive side (symmetric latching, statistics, sinks: DTMF digits,
// Recorder). Everything runs on the engine's io_context; no locks.
//
// Life cycle: MediaEngine::create_session() binds the ports (so the SDP
// answer can name them); start() begins media with the negotiated
// parameters; close() sends RTCP BYE, ends playback (Interrupted) and any
// recording (Closed), closes the sockets and gives the ports back.
//
// Sources and sinks stay separate (Player → encoder → RTP; RTP → decoder →
// sinks) so a later bridge can feed one session's decoded audio to another.
#include <array>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"
#include "media/engine/errc.hpp"
#include "core/timers.hpp"
#include "media/codec/codec.hpp"
#include "media/codec/dtmf_detector.hpp"
#include "media/codec/resampler.hpp"
#include "media/engine/playback.hpp"
#include "media/engine/prompt_cache.hpp"
#include "media/engine/recorder.hpp"
#include "media/engine/rtp_relay.hpp"
#include "media/engine/stats.hpp"
#include "media/rtp/dtmf_receiver.hpp"
#include "media/rtp/pacer.hpp"
#include "media/rtp/port_allocator.hpp"
#include "media/rtp/rtp_receiver.hpp"
#include "media/rtp/rtp_sender.hpp"
#include "media/rtp/symmetric_latch.hpp"
#include "media/sdp/negotiation.hpp"
#include "media/srtp/srtp_session.hpp"

namespace callwire::media::engine {

class MediaEngine;
class MediaBridge;
using Endpoint = boost::asio::ip::udp::endpoint;

struct SessionConfig {
  CodecParams codec;
  std::uint8_t payload_type = 0;
  std::optional<std::uint8_t> telephone_event_pt;  // RFC 4733 negotiated
  std::uint32_t telephone_event_clock = 8000;
  std::chrono::milliseconds ptime{20};
  Endpoint remote_rtp;
  Endpoint remote_rtcp;              // ignored with rtcp_mux
  bool rtcp_mux = false;
  bool send = true;                  // false: hold / recvonly / inactive (frames still consumed)
  bool receive = true;
  rtp::LatchConfig latch;
  // SDES keys (RFC 4568) of an RTP/SAVP stream: RTP and RTCP are protected
  // with the local key and unprotected with the remote one; packets that
  // fail authentication or replay checks are dropped before latching.
  std::optional<sdp::SrtpKeys> srtp;

  // From an SDP negotiation. Fails when the remote address is not an IP
  // literal. A hold address (0.0.0.0) or a recvonly/inactive direction
  // clears `send`.
  [[nodiscard]] static Result<SessionConfig> from_negotiated(const sdp::Negotiated& n);
};

enum class DigitSource { Rfc4733, InBand };
using DigitHandler = std::function<void(char digit, DigitSource source)>;
using RecordingDone = std::function<void(Result<RecordingInfo>)>;
// Decoded received audio at the codec's sample rate, and how many samples
// were lost just before it (from the RTP timestamps).
using PcmTap = std::function<void(std::span<const std::int16_t> pcm, std::uint32_t sample_rate, std::size_t lost)>;

class MediaSession : public std::enable_shared_from_this<MediaSession> {
 public:
  ~MediaSession();
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  // Local ports, bound at creation; the address to put in SDP is the engine's.
  rtp::PortPair ports() const { return ports_; }
  const std::string& advertised_address() const;

  // Starts sending and receiving (once; a re-INVITE goes through update()).
  [[nodiscard]] Status start(const SessionConfig& cfg);
  // New remote address or direction on the same codec (hold/resume).
  [[nodiscard]] Status update(const SessionConfig& cfg);
  // A new negotiation on a running session (re-INVITE, UPDATE): what
  // update() does, and a new codec, payload type, ptime or SRTP key swaps
  // what it must while the SSRC, sequence numbers and timestamps run on
  // (RFC 3550 §5.1: one SSRC, payload type changes allowed). Audio queued
  // for the old codec keeps playing, transcoded, until the queue drains; a
  // ptime change interrupts it. Nothing changes when it fails.
  [[nodiscard]] Status reconfigure(const SessionConfig& cfg);
  const SessionConfig& config() const { return cfg_; }
  bool secure() const { return srtp_ != nullptr; }
  void close();
  bool started() const { return started_; }
  bool closed() const { return closed_; }

  // --- sources: played in order; `done` runs on the worker.
  // `loops` 0 repeats until stop_playback() or close().
  [[nodiscard]] Status play(std::shared_ptr<const tts::Audio> audio, unsigned loops = 1, PlaybackDone done = {});
  // Raw PCM of this call only (not cached across sessions).
  [[nodiscard]] Status play_pcm(std::vector<std::int16_t> pcm, std::uint32_t sample_rate, unsigned loops = 1,
                                PlaybackDone done = {});
  [[nodiscard]] Status silence(std::chrono::milliseconds duration, PlaybackDone done = {});
  [[nodiscard]] Status beep(int frequency_hz, std::chrono::milliseconds duration, PlaybackDone done = {});
  // RFC 4733 events when negotiated, else in-band tones; 'w' pauses 500 ms.
  [[nodiscard]] Status send_digits(std::string digits, PlaybackDone done = {});
  // Barge-in: every queued item ends with Interrupted.
  void stop_playback();
  bool playing() const { return player_ && !player_->idle(); }

  // --- sinks. Each digit is reported once; in-band detection (which decodes
  // every packet) runs only while a handler is set and stops for good once
  // the peer sends RFC 4733 events, so a key is never reported twice.
  void on_digit(DigitHandler handler, bool in_band = true);
  [[nodiscard]] Status start_recording(const RecorderConfig& cfg, RecordingDone done);
  void stop_recording();
  bool recording() const { return recorder_ != nullptr; }
  // One consumer of the decoded received audio (a CallRecording); while set
  // every received packet is decoded, bridged or not. nullptr removes it.
  void set_pcm_tap(PcmTap tap) { pcm_tap_ = std::move(tap); }
  bool pcm_tapped() const { return static_cast<bool>(pcm_tap_); }

  SessionStats stats() const;
  const rtp::SymmetricLatch* latch() const { return latch_ ? &*latch_ : nullptr; }
  std::uint32_t ssrc() const { return sender_ ? sender_->ssrc() : 0; }
  // Joined to another session by a MediaBridge (media_bridge.hpp).
  bool bridged() const { return media_bridge_ != nullptr; }

 private:
  friend class MediaEngine;
  friend class MediaBridge;
  MediaSession(MediaEngine& engine, rtp::PortPair ports, boost::asio::ip::udp::socket rtp,
               boost::asio::ip::udp::socket rtcp);

  void on_tick(Clock::time_point now);
  void send_frame(Clock::time_point now, bool transmit);
  void send_rtcp(Clock::time_point now, bool bye);
  void arm_rtp();
  void receive_rtp(std::shared_ptr<MediaSession> self);
  void arm_rtcp();
  void drain(boost::asio::ip::udp::socket& s, bool rtcp_socket);
  void on_datagram(std::span<std::uint8_t> buf, std::size_t n, const Endpoint& from, bool rtcp_socket);
  void on_rtp(std::span<const std::uint8_t> bytes, const Endpoint& from, Clock::time_point now);
  void on_rtcp(std::span<const std::uint8_t> bytes, const Endpoint& from, Clock::time_point now);
  void on_pcm(std::span<const std::int16_t> pcm, std::uint32_t timestamp);
  void emit_digit(char d, DigitSource src);
  void finish_recording(RecordEnd why);
  void run_completions();
  bool needs_pcm() const { return recorder_ || pcm_tap_ || (digit_handler_ && in_band_ && !rfc4733_seen_); }
  Status ready() const;
  // media_session_update.cpp: the codec the Player encodes with (the old one
  // while a codec change drains the queue), and the bridge to the new one.
  codec::Codec& player_codec() { return bridge_codec_ ? *bridge_codec_ : *codec_; }
  std::span<const std::uint8_t> transcode(std::span<const std::uint8_t> payload);
  void end_bridge();
  std::optional<std::uint32_t> te_clock() const;
  // In-place SRTP/SRTCP on a received datagram; false: drop it.
  bool unprotect(std::span<std::uint8_t> bytes, std::size_t& len, bool rtcp);
  // media_session_bridge.cpp: the MediaBridge side. The bridge writes a
  // packet into relay_buffer() (the engine's send buffer, less room for the
  // SRTP trailer) and send_relayed() protects, sends and counts it.
  std::span<std::uint8_t> relay_buffer();
  bool send_relayed(std::size_t len, std::size_t payload_len, std::uint32_t ts, Clock::time_point now);
  // The bridge let go: the Player sends again, on `resume` when the bridge sent anything.
  void leave_bridge(const std::optional<RelayStart>& resume);
  // Replaces the RtpSender, keeping its counts for the SR.
  void replace_sender(const rtp::RtpSenderConfig& cfg, const rtp::RtpSenderStart& start);

  MediaEngine* engine_;
  rtp::PortPair ports_;
  boost::asio::ip::udp::socket rtp_;
  boost::asio::ip::udp::socket rtcp_;
  // RTP is read by asio's receive operation itself (see arm_rtp), into this
  // session's own buffer: a read done ahead of its handler must not share
  // the engine's. Allocated by start().
  std::unique_ptr<std::array<std::uint8_t, 2048>> rtp_rx_;
  Endpoint rtp_from_;
  bool started_ = false;
  bool closed_ = false;
  SessionConfig cfg_;
  std::unique_ptr<codec::Codec> codec_;          // the codec on the wire (encode and decode)
  std::unique_ptr<codec::Codec> bridge_codec_;   // after a codec change: what queued audio is in
  CodecParams player_params_;                    // what new prompts are encoded in
  std::unique_ptr<codec::Resampler> bridge_rs_;  // bridge → wire sample rate, when they differ
  std::vector<std::int16_t> bridge_pcm_;
  std::vector<std::uint8_t> bridge_out_;
  std::unique_ptr<srtp::SrtpSession> srtp_;
  std::optional<Player> player_;
  std::optional<rtp::RtpSender> sender_;
  std::optional<rtp::RtpReceiver> receiver_;
  std::optional<rtp::Pacer> pacer_;
  std::optional<rtp::SymmetricLatch> latch_;
  rtp::DtmfReceiver dtmf_rx_;
  std::optional<Endpoint> rtcp_from_;  // where the peer's RTCP really comes from
  Clock::time_point next_rtcp_{};
  std::uint32_t event_ts_ = 0;
  std::uint32_t event_frames_ = 0;

  DigitHandler digit_handler_;
  bool in_band_ = false;
  bool rfc4733_seen_ = false;
  char last_digit_ = 0;
  DigitSource last_digit_source_ = DigitSource::Rfc4733;
  Clock::time_point last_digit_at_{};
  std::unique_ptr<codec::DtmfDetector> detector_;
  std::unique_ptr<codec::Resampler> to8k_;  // for in-band detection of wideband codecs
  std::unique_ptr<Recorder> recorder_;
  RecordingDone recording_done_;
  PcmTap pcm_tap_;
  bool have_next_ts_ = false;
  std::uint32_t next_rx_ts_ = 0;            // expected timestamp of the next audio frame

  MediaBridge* media_bridge_ = nullptr;  // set by the bridge, which clears it before it goes
  // What went out around the current RtpSender (relayed packets, and the
  // counts of senders replaced by reconfigure() or a bridge), so the SR
  // counts every packet of the SSRC (RFC 3550 §6.4.1).
  struct ExtraTx {
    std::uint32_t packets = 0;
    std::uint32_t octets = 0;
    bool sent_since_report = false;
    bool relayed_last = false;  // the newest packet was relayed: its timestamp anchors the SR
    std::uint32_t last_ts = 0;
    Clock::time_point last_at{};
  } extra_tx_;

  SessionStats stats_;
  bool have_last_send_ = false;
  Clock::time_point last_send_{};
  std::uint64_t deviation_sum_us_ = 0;
  std::uint64_t deviation_count_ = 0;
};

}  // namespace callwire::media::engine
