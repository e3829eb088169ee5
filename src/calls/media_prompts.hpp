#pragma once
// The media verbs <Say>, <Play> and <Play digits> on one MediaSession: text
// to speech through the Synthesizer (cached prompts play at once), <Play>
// media fetched with the worker's media client and decoded off the worker
// (kept in the decoded audio cache), DTMF through the session. Shared by the
// caller's call (InboundCall) and a screened callee's leg (ScreeningCall).
// Lives on one worker; results from other threads are posted back to it and
// dropped once the owner is gone or `live` says the call has ended.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calls/call_services.hpp"
#include "media/engine/media_session.hpp"
#include "twiml/call_control.hpp"

namespace callwire::calls {

class MediaPrompts {
 public:
  struct Hooks {
    // The session to play on, started and open; nullptr while there is none.
    std::function<std::shared_ptr<media::engine::MediaSession>()> session;
    // False once the call has ended: no completion runs after that.
    std::function<bool()> live;
    // A warning alert about a verb that could not play (its `done` gets Failed).
    std::function<void(int code, std::string message)> warn;
    // A prompt finished sending (optional).
    std::function<void()> played;
  };

  // `auth_token` signs the <Play> GETs like every request of the account.
  MediaPrompts(CallServices& services, std::size_t worker, std::string auth_token, Hooks hooks);
  MediaPrompts(const MediaPrompts&) = delete;
  MediaPrompts& operator=(const MediaPrompts&) = delete;

  // As twiml::CallControl's say/play/play_digits: `done` runs once on the
  // worker, never inside the call that started it.
  void say(std::vector<twiml::SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
           twiml::MediaDone done);
  void play(std::string url, unsigned loop, twiml::MediaDone done);
  void play_digits(std::string digits, twiml::MediaDone done);

 private:
  bool usable() const { return hooks_.live(); }
  // Runs `f` on the worker unless the owner is gone or the call has ended.
  std::function<void()> later(std::function<void()> f);
  void speak(std::shared_ptr<const media::tts::Audio> audio, unsigned loop, twiml::MediaDone done);
  void play_audio(std::shared_ptr<const media::tts::Audio> audio, unsigned loop, twiml::MediaDone done);
  void on_media_fetched(webhook::Outcome outcome, std::string url, unsigned loop, twiml::MediaDone done);
  // Ends a verb that could not run: the warning, then `done` on a later turn.
  void failed(int code, std::string message, twiml::MediaDone done);
  media::engine::PlaybackDone on_playback(twiml::MediaDone done);

  CallServices& services_;
  std::size_t worker_;
  std::string auth_token_;
  Hooks hooks_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace callwire::calls
