#include "media/engine/call_recording.hpp"

namespace callwire::media::engine {

Result<std::shared_ptr<CallRecording>> CallRecording::start(std::shared_ptr<MediaSession> first,
                                                            std::shared_ptr<MediaSession> second,
                                                            const CallRecorderConfig& cfg, RecordingDone done) {
  if (!first || !second || first == second) return fail(Errc::BadArgument, "a call recording needs two sessions");
  for (const auto& s : {first, second}) {
    if (s->closed()) return fail(Errc::Closed, "session closed");
    if (!s->started()) return fail(Errc::NotStarted, "session not started");
    if (s->pcm_tapped()) return fail(Errc::Busy, "session already feeds a call recording");
  }
  auto rec = CallRecorder::open(cfg, Clock::now());
  if (!rec) return std::unexpected(rec.error());
  std::shared_ptr<CallRecording> r(new CallRecording());
  r->sessions_[0] = std::move(first);
  r->sessions_[1] = std::move(second);
  r->recorder_ = std::move(*rec);
  r->done_ = std::move(done);
  for (int ch = 0; ch < 2; ++ch) {
    r->sessions_[ch]->set_pcm_tap([weak = r->weak_from_this(), ch](std::span<const std::int16_t> pcm,
                                                                    std::uint32_t rate, std::size_t lost) {
      if (auto self = weak.lock()) self->on_pcm(ch, pcm, rate, lost);
    });
  }
  return r;
}

CallRecording::~CallRecording() {
  done_ = nullptr;
  if (recorder_) finish(RecordEnd::Closed);
}

void CallRecording::on_pcm(int channel, std::span<const std::int16_t> pcm, std::uint32_t rate, std::size_t lost) {
  if (!recorder_) return;
  auto now = Clock::now();
  std::optional<RecordEnd> end;
  if (lost > 0) end = recorder_->write_gap(channel, lost, rate, now);
  if (!end) end = recorder_->write(channel, pcm, rate, now);
  if (end) finish(*end);
}

void CallRecording::stop() {
  if (recorder_) finish(RecordEnd::Stopped);
}

void CallRecording::detach() {
  for (auto& s : sessions_) {
    if (s) s->set_pcm_tap(nullptr);
    s.reset();
  }
}

void CallRecording::finish(RecordEnd why) {
  detach();
  auto rec = std::move(recorder_);
  auto done = std::move(done_);
  done_ = nullptr;
  auto info = rec->finish(why);
  if (done) done(std::move(info));
}

}  // namespace callwire::media::engine
