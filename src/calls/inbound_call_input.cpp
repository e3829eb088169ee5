// InboundCall's input verbs: the caller's keys for <Gather>/<Record>
// (RFC 4733 events and in-band tones from the MediaSession, handed to the
// executor on a later loop turn), and <Record>: beep, the session's
// Recorder writing <data_dir>/recordings/<AccountSid>/<RecordingSid>.wav,
// the Recording row (in-progress, then completed/absent/failed) written off
// the worker, recordingStatusCallback, and the action the call posts itself
// when the caller hangs up mid-recording (Digits=hangup, answer ignored).
#include <cmath>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <utility>

#include "calls/inbound_call.hpp"
#include "calls/calls_logger.hpp"
#include "calls/recording_rows.hpp"
#include "calls/report_format.hpp"
#include "calls/info_dtmf.hpp"
#include "core/log.hpp"
#include "core/sid.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
namespace {

constexpr int kBeepHz = 1000;
constexpr std::chrono::milliseconds kBeepLength{500};
// How often a recording checks that RTP still arrives: the Recorder's own
// silence timeout only counts audio it receives, so a peer that sends
// nothing at all (no RTP while muted) is caught here.
constexpr std::chrono::milliseconds kWatchEvery{250};

bool wants(const twiml::RecordRequest& r, std::string_view event) {
  for (const auto& e : r.status_events) {
    if (e == event) return true;
  }
  return false;
}

}  // namespace

struct InboundCall::ActiveRecording {
  twiml::RecordRequest request;
  twiml::RecordDone done;
  store::Recording row;
  std::string url;  // RecordingUrl, without extension
  std::chrono::system_clock::time_point started_wall;
  Clock::time_point started;
  Clock::time_point last_packet;
  std::uint64_t packets = 0;
  std::shared_ptr<RecordingWriteOrder> order = std::make_shared<RecordingWriteOrder>();
  int seq = 0;
  Timers::Id watch = 0;     // the pending watch_recording() check
  bool stop_early = false;  // a finish key during the beep
};

// --- keys ----------------------------------------------------------------------

void InboundCall::collect_digits(twiml::DigitHandler on_digit) {
  digit_handler_ = std::move(on_digit);
  if (!session_) return;
  if (!digit_handler_) {
    session_->on_digit(nullptr, false);
    return;
  }
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  // Keys arrive inside the session's receive path; the executor may stop
  // the recording or the session's playback, so it hears them a turn later.
  session_->on_digit(
      [weak, &pool, worker](char digit, media::engine::DigitSource source) {
        pool.post(worker, [weak, digit, source] {
          auto self = weak.lock();
          if (!self || self->phase_ == Phase::Ended || !self->digit_handler_) return;
          logger()->debug("[cid={}] call {}: key {} ({})", self->facts_.sip_call_id, self->sid(), digit,
                          source == media::engine::DigitSource::Rfc4733 ? "RFC 4733" : "in-band");
          auto handler = self->digit_handler_;  // it may replace itself
          handler(digit);
        });
      },
      true);
}

void InboundCall::on_info(const sip::Message& request) {
  auto key = info_dtmf_key(request.header(sip::HeaderId::ContentType), request.body());
  if (!key) return;
  logger()->debug("[cid={}] call {}: key {} (SIP INFO)", facts_.sip_call_id, sid(), *key);
  std::weak_ptr<InboundCall> weak = weak_from_this();
  services_.pool.post(worker_, [weak, key = *key] {
    auto self = weak.lock();
    if (!self || self->phase_ == Phase::Ended || !self->digit_handler_) return;
    auto handler = self->digit_handler_;
    handler(key);
  });
}

// --- <Record> ------------------------------------------------------------------

void InboundCall::record(twiml::RecordRequest request, twiml::RecordDone done) {
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = [this, request = std::move(request), done = std::move(done)]() mutable {
      record(std::move(request), std::move(done));
    };
    return;
  }
  auto fail_now = [&](std::string message) {
    alert(static_cast<int>(twiml::Errc::Schema), twiml::AlertLevel::Warning, std::move(message));
    std::weak_ptr<InboundCall> weak = weak_from_this();
    services_.pool.post(worker_, [weak, done = std::move(done)] {
      auto self = weak.lock();
      if (self && self->phase_ != Phase::Ended) done(twiml::RecordResult{true, false, {}, {}, 0});
    });
  };
  if (!media_ready()) return fail_now("<Record> needs a media session; skipped");
  if (recording_) return fail_now("<Record> while a recording is running; skipped");

  auto rec = std::make_shared<ActiveRecording>();
  rec->request = std::move(request);
  rec->done = std::move(done);
  rec->row.sid = make_sid("RE");
  rec->row.account_sid = identity_.account_sid;
  rec->row.call_sid = identity_.call_sid;
  rec->row.channels = 1;
  rec->row.source = "RecordVerb";
  rec->row.track = "inbound";
  rec->row.status = "in-progress";
  rec->row.media_path = store::recording_media_path(identity_.account_sid, rec->row.sid);
  rec->url = services_.api_base_url + "/2010-04-01/Accounts/" + identity_.account_sid + "/Recordings/" +
             rec->row.sid;
  recording_ = rec;
  if (!rec->request.play_beep) {
    start_recording(std::move(rec));
    return;
  }
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto beeped = [weak, rec](media::engine::PlaybackResult) {
    auto self = weak.lock();
    // Recording starts once the beep has played, so the file never holds it.
    if (!self || self->phase_ == Phase::Ended || self->recording_ != rec) return;
    if (rec->stop_early) {
      // Contract 10.7: no audio captured → the next verb, without the action.
      self->recording_.reset();
      rec->done(twiml::RecordResult{false, false, rec->row.sid, rec->url, 0});
      return;
    }
    self->start_recording(rec);
  };
  if (auto beep = session_->beep(kBeepHz, kBeepLength, std::move(beeped)); !beep) {
    logger()->info("[cid={}] call {}: no beep: {}", facts_.sip_call_id, sid(), beep.error().what());
    start_recording(std::move(rec));
  }
}

void InboundCall::start_recording(std::shared_ptr<ActiveRecording> rec) {
  auto fail_now = [&](std::string message) {
    recording_.reset();
    alert(12400, twiml::AlertLevel::Error, std::move(message));
    std::weak_ptr<InboundCall> weak = weak_from_this();
    services_.pool.post(worker_, [weak, rec] {
      auto self = weak.lock();
      if (self && self->phase_ != Phase::Ended) rec->done(twiml::RecordResult{true, false, {}, {}, 0});
    });
  };
  if (!media_ready()) return fail_now("<Record>: the media session ended");
  std::filesystem::path file = std::filesystem::path(services_.data_dir) / rec->row.media_path;
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return fail_now("<Record>: cannot create " + file.parent_path().string() + ": " + ec.message());

  media::engine::RecorderConfig cfg;
  cfg.path = file.string();
  cfg.max_length = rec->request.max_length;
  cfg.trim_silence = rec->request.trim_silence;
  cfg.silence_timeout = rec->request.silence_timeout;
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto started = session_->start_recording(cfg, [weak, rec](Result<media::engine::RecordingInfo> info) {
    if (auto self = weak.lock()) self->on_recorded(rec, std::move(info));
  });
  if (!started) return fail_now("<Record>: cannot record: " + started.error().what());

  rec->started_wall = std::chrono::system_clock::now();
  rec->started = Clock::now();
  rec->last_packet = rec->started;
  rec->packets = session_->stats().packets_received;
  rec->row.start_time = now_seconds();
  logger()->info("[cid={}] call {}: recording {} to {}", facts_.sip_call_id, sid(), rec->row.sid, cfg.path);
  save_recording_row(rec, nullptr);
  if (wants(rec->request, "in-progress")) send_recording_status(*rec);
  watch_recording(rec);
}

void InboundCall::stop_recording() {
  if (!recording_ || !media_ready()) return;
  if (session_->recording()) {
    session_->stop_recording();
  } else {
    recording_->stop_early = true;  // still beeping: nothing will be recorded
  }
}

void InboundCall::watch_recording(std::shared_ptr<ActiveRecording> rec) {
  std::weak_ptr<InboundCall> weak = weak_from_this();
  // Not in timers_ (one id per check would pile up over an hour): the
  // check itself sees a call that ended, and on_recorded() cancels it.
  rec->watch = services_.timers[worker_]->start(kWatchEvery, [weak, rec] {
    rec->watch = 0;
    auto self = weak.lock();
    if (!self || self->phase_ == Phase::Ended || self->recording_ != rec || !self->media_ready()) return;
    auto now = Clock::now();
    auto packets = self->session_->stats().packets_received;
    if (packets != rec->packets) {
      rec->packets = packets;
      rec->last_packet = now;
    }
    const auto& r = rec->request;
    bool mute_too_long = r.silence_timeout && now - rec->last_packet >= *r.silence_timeout;
    bool too_long = now - rec->started >= r.max_length + std::chrono::seconds(1);
    if (mute_too_long || too_long) {
      self->session_->stop_recording();
      return;
    }
    self->watch_recording(rec);
  });
}

void InboundCall::on_recorded(const std::shared_ptr<ActiveRecording>& rec, Result<media::engine::RecordingInfo> info) {
  if (recording_ != rec) return;
  recording_.reset();
  if (rec->watch != 0) services_.timers[worker_]->cancel(rec->watch);
  twiml::RecordResult result;
  result.sid = rec->row.sid;
  result.url = rec->url;
  if (!info) {
    alert(12400, twiml::AlertLevel::Error, "<Record> " + rec->row.sid + " failed: " + info.error().what());
    rec->row.status = "failed";
    result.failed = true;
  } else {
    result.heard_sound = info->heard_sound && info->samples > 0;
    result.duration = static_cast<int>(std::lround(static_cast<double>(info->duration.count()) / 1000.0));
    rec->row.duration = result.duration;
    rec->row.status = result.heard_sound ? "completed" : "absent";
    if (info->end == media::engine::RecordEnd::Error) {
      rec->row.status = "failed";
      result.failed = true;
    }
  }
  bool hung_up = phase_ == Phase::Ended;
  logger()->info("[cid={}] call {}: recording {} {} ({} s{})", facts_.sip_call_id, sid(), rec->row.sid,
                 rec->row.status, result.duration, hung_up ? ", caller hung up" : "");
  if (wants(rec->request, rec->row.status)) send_recording_status(*rec);

  if (hung_up) {
    // The executor is gone with the call: the action still hears about the
    // recording (contract 10.7: Digits=hangup); whatever it answers is not run.
    if (!result.heard_sound || result.failed || rec->request.action_url.empty()) {
      save_recording_row(rec, nullptr);
      return;
    }
    Params params = call_params(identity_, facts_, "completed");
    params.emplace_back("RecordingUrl", result.url);
    params.emplace_back("RecordingDuration", std::to_string(result.duration));
    params.emplace_back("RecordingSid", result.sid);
    params.emplace_back("Digits", "hangup");
    webhook::Request request;
    request.url = rec->request.action_url;
    request.method = rec->request.action_method;
    request.params = std::move(params);
    request.auth_token = domain_->auth_token;
    auto* client = services_.webhooks[worker_];
    auto& pool = services_.pool;
    std::size_t worker = worker_;
    save_recording_row(rec, [client, &pool, worker, request = std::move(request)]() mutable {
      pool.post(worker, [client, request = std::move(request)]() mutable {
        client->send(std::move(request), [](webhook::Outcome) {});
      });
    });
    return;
  }
  // The action may fetch the recording at once: it goes out once the row is written.
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  save_recording_row(rec, [weak, &pool, worker, rec, result = std::move(result)]() mutable {
    pool.post(worker, [weak, rec, result = std::move(result)]() mutable {
      auto self = weak.lock();
      if (self && self->phase_ != Phase::Ended) rec->done(std::move(result));
    });
  });
}

void InboundCall::save_recording_row(const std::shared_ptr<ActiveRecording>& rec, std::function<void()> then) {
  calls::save_recording_row(services_, rec->row, ++rec->seq, rec->order, std::move(then));
}

void InboundCall::send_recording_status(const ActiveRecording& rec) {
  calls::send_recording_status(services_, worker_,
                               {rec.request.status_callback, rec.request.status_callback_method, domain_->auth_token},
                               rec.row, rec.url, rec.started_wall);
}

}  // namespace callwire::calls
