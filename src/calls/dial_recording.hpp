#pragma once
// <Dial record> (contract 10.6): the bridged call recorded by a
// media::engine::CallRecording from the bridge's start to its end, mono
// mixed or dual (channel 1 the caller, channel 2 the callee), to
// <data_dir>/recordings/<AccountSid>/<RecordingSid>.wav; its Recording row
// (source DialVerb, in-progress then completed/absent/failed) and
// recordingStatusCallback as <Record> has them. Lives on the call's worker.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calls/call_services.hpp"
#include "calls/recording_rows.hpp"
#include "core/result.hpp"
#include "media/engine/call_recording.hpp"
#include "store/models.hpp"
#include "twiml/call_control.hpp"

namespace callwire::calls {

// Whose call is recorded.
struct DialRecordingOwner {
  std::string account_sid;
  std::string call_sid;
  std::string auth_token;
};

// What the Dial action hears about it.
struct DialRecordingResult {
  bool recorded = false;  // false: the recording failed (no params)
  std::string sid;
  std::string url;        // RecordingUrl, without extension
  int duration = 0;
};

class DialRecording {
 public:
  // Starts recording `caller` (channel 1) and `callee` (channel 2) now;
  // request.record must not be None.
  [[nodiscard]] static Result<std::unique_ptr<DialRecording>> start(
      CallServices& services, std::size_t worker, DialRecordingOwner owner, const twiml::DialRequest& request,
      std::shared_ptr<media::engine::MediaSession> caller, std::shared_ptr<media::engine::MediaSession> callee);

  // Ends the file now (before either session closes); `then` runs on a later
  // turn of the worker, once the final row is saved (so the action may fetch
  // it). Only the first call does anything.
  void stop(std::function<void(DialRecordingResult)> then);

 private:
  DialRecording(CallServices& services, std::size_t worker) : services_(services), worker_(worker) {}
  void send_status();

  CallServices& services_;
  std::size_t worker_;
  RecordingCallback callback_;
  std::vector<std::string> events_;
  store::Recording row_;
  std::string url_;
  std::chrono::system_clock::time_point started_wall_;
  std::shared_ptr<RecordingWriteOrder> order_ = std::make_shared<RecordingWriteOrder>();
  int seq_ = 0;
  std::shared_ptr<media::engine::CallRecording> recording_;
  Result<media::engine::RecordingInfo> info_ = fail(media::engine::Errc::Closed, "not finished");
  bool stopped_ = false;
};

}  // namespace callwire::calls
