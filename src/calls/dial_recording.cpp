#include "calls/dial_recording.hpp"

#include <cmath>
#include <filesystem>

#include "calls/report_format.hpp"
#include "core/log.hpp"
#include "core/sid.hpp"

namespace callwire::calls {

Result<std::unique_ptr<DialRecording>> DialRecording::start(CallServices& services, std::size_t worker,
                                                            DialRecordingOwner owner,
                                                            const twiml::DialRequest& request,
                                                            std::shared_ptr<media::engine::MediaSession> caller,
                                                            std::shared_ptr<media::engine::MediaSession> callee) {
  std::unique_ptr<DialRecording> r(new DialRecording(services, worker));
  bool dual = request.record == twiml::DialRequest::Record::Dual;
  r->callback_ = {request.recording_status_callback, request.recording_status_callback_method, owner.auth_token};
  r->events_ = request.recording_status_events;
  r->row_.sid = make_sid("RE");
  r->row_.account_sid = owner.account_sid;
  r->row_.call_sid = owner.call_sid;
  r->row_.channels = dual ? 2 : 1;
  r->row_.source = "DialVerb";
  r->row_.track = "both";
  r->row_.status = "in-progress";
  r->row_.media_path = store::recording_media_path(owner.account_sid, r->row_.sid);
  r->url_ = services.api_base_url + "/2010-04-01/Accounts/" + owner.account_sid + "/Recordings/" + r->row_.sid;

  std::filesystem::path file = std::filesystem::path(services.data_dir) / r->row_.media_path;
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return fail(ec, "cannot create " + file.parent_path().string());
  media::engine::CallRecorderConfig cfg;
  cfg.path = file.string();
  cfg.dual = dual;
  cfg.trim_silence = request.record_trim_silence;
  cfg.max_length = request.time_limit + std::chrono::seconds(60);  // the bridge ends first
  auto* self = r.get();
  auto rec = media::engine::CallRecording::start(std::move(caller), std::move(callee), cfg,
                                                 [self](Result<media::engine::RecordingInfo> info) {
                                                   self->info_ = std::move(info);
                                                 });
  if (!rec) return std::unexpected(rec.error());
  r->recording_ = std::move(*rec);
  r->started_wall_ = std::chrono::system_clock::now();
  r->row_.start_time = now_seconds();
  log::get("calls")->info("call {}: recording the bridge as {} ({} channel(s)) to {}", owner.call_sid, r->row_.sid,
                          r->row_.channels, cfg.path);
  save_recording_row(services, r->row_, ++r->seq_, r->order_, nullptr);
  r->send_status();
  return r;
}

void DialRecording::send_status() {
  for (const auto& e : events_) {
    if (e == row_.status) return send_recording_status(services_, worker_, callback_, row_, url_, started_wall_);
  }
}

void DialRecording::stop(std::function<void(DialRecordingResult)> then) {
  if (stopped_) return;
  stopped_ = true;
  recording_->stop();  // the done handler has set info_ when this returns
  recording_.reset();
  DialRecordingResult result;
  result.sid = row_.sid;
  result.url = url_;
  if (!info_ || info_->end == media::engine::RecordEnd::Error) {
    log::get("calls")->warn("call {}: recording {} failed: {}", row_.call_sid, row_.sid,
                            info_ ? "write error" : info_.error().what());
    row_.status = "failed";
  } else {
    result.recorded = true;
    result.duration = static_cast<int>(std::lround(static_cast<double>(info_->duration.count()) / 1000.0));
    row_.duration = result.duration;
    row_.status = info_->heard_sound && info_->samples > 0 ? "completed" : "absent";
  }
  log::get("calls")->info("call {}: recording {} {} ({} s)", row_.call_sid, row_.sid, row_.status, result.duration);
  send_status();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  save_recording_row(services_, row_, ++seq_, order_,
                     [&pool, worker, then = std::move(then), result = std::move(result)]() mutable {
                       pool.post(worker, [then = std::move(then), result = std::move(result)]() mutable {
                         if (then) then(std::move(result));
                       });
                     });
}

}  // namespace callwire::calls
