#pragma once
// A CallRecorder fed by two sessions of one engine (a bridged call): channel
// 1 is what `first` receives (the caller's voice), channel 2 what `second`
// receives (the callee's). Each session decodes what it receives while the
// recording runs, also when a MediaBridge relays its payloads untouched, and
// reports lost packets as gaps. Runs on the engine's worker.
#include <functional>
#include <memory>

#include "core/result.hpp"
#include "media/engine/call_recorder.hpp"
#include "media/engine/media_session.hpp"

namespace callwire::media::engine {

class CallRecording : public std::enable_shared_from_this<CallRecording> {
 public:
  // Fails when either session is closed or not started, both are the same,
  // either already feeds a recording (Busy), or the file cannot be created.
  // `done` runs once: after stop(), or when max_length is reached.
  [[nodiscard]] static Result<std::shared_ptr<CallRecording>> start(std::shared_ptr<MediaSession> first,
                                                                    std::shared_ptr<MediaSession> second,
                                                                    const CallRecorderConfig& cfg, RecordingDone done);
  // Finishes the file if stop() was not called (`done` does not run then).
  ~CallRecording();
  CallRecording(const CallRecording&) = delete;
  CallRecording& operator=(const CallRecording&) = delete;

  // Ends the recording; `done` runs before it returns. Idempotent.
  void stop();
  bool active() const { return recorder_ != nullptr; }

 private:
  CallRecording() = default;
  void on_pcm(int channel, std::span<const std::int16_t> pcm, std::uint32_t rate, std::size_t lost);
  void finish(RecordEnd why);
  void detach();

  std::shared_ptr<MediaSession> sessions_[2];
  std::unique_ptr<CallRecorder> recorder_;
  RecordingDone done_;
};

}  // namespace callwire::media::engine
