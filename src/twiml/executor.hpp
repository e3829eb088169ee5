#pragma once
// Runs one TwiML document's verbs in order against a CallControl. A verb
// either finishes at once (the executor goes on), waits (Pause: a timer;
// Say/Play: the end of playback), or hands the call elsewhere (Redirect: a
// new document replaces this one; Reject/Hangup: the call ends). At the end
// of the document the call hangs up.
//
// Say, Play, Gather and Record answer the call first (contract 8.4). Gather
// and Record wait for the caller, then either hand the call to their action
// (a new document) or go on with the next verb (no input, empty recording).
// Dial hands the call to CallControl::dial and then posts its action or
// goes on. Verbs not executed by this version (Enqueue, ...) answer the call,
// raise a 12200 warning naming the verb, and execution goes on.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "twiml/call_control.hpp"
#include "twiml/document.hpp"

namespace callwire::twiml {

struct ExecutorConfig {
  int reject_status = 404;  // <Reject reason="rejected">: 404 (current docs) or 603 (older docs)
};

class Executor {
 public:
  // `document_url` is where the document came from: relative URLs resolve against it.
  Executor(CallControl& call, Document document, std::string document_url, ExecutorConfig config = {});

  // Executes from the current verb until one waits or ends the call. The
  // executor must stay alive while a Pause is pending; replacing it (fetch)
  // or ending the call drops the pending continuation through `alive_`.
  void run();
  bool finished() const { return finished_; }

 private:
  enum class Step { Next, Wait, Stop };
  using Then = std::function<void()>;
  Step execute(const Node& verb);
  // Pause, Say and Play run as verbs and as Gather prompts: `then` (already
  // guarded against a destroyed executor) continues when they waited.
  Step pause(const Node& verb, Then then);
  Step redirect(const Node& verb);
  Step reject(const Node& verb);
  Step say(const Node& verb, Then then);
  Step play(const Node& verb, Then then);
  // Continues after a verb that waited; safe to call from inside run().
  void resume();
  // `f` unless the executor is gone by then.
  Then guarded(Then f);

  // --- <Gather> (executor_input.cpp)
  struct GatherState {
    const Node* verb = nullptr;
    std::string action, method;
    std::chrono::milliseconds timeout{5000};
    std::string finish_key;      // "" = none, else one key
    std::size_t num_digits = 0;  // 0 = unlimited
    bool on_empty = false;       // actionOnEmptyResult
    std::size_t prompt = 0;      // next nested verb
    bool prompting = true;       // nested verbs still running
    bool in_prompt = false;      // inside a nested verb's call
    bool prompt_ended = false;   // it ended while inside
    std::string digits;
    std::uint64_t epoch = 0;     // bumped on barge-in / each digit: stale prompts and timers do nothing
  };
  Step gather(const Node& verb);
  void next_prompt();
  void prompts_ended();
  void arm_gather_timer();
  void on_gather_digit(char digit);
  void gather_done();

  // --- <Record> (executor_input.cpp)
  struct RecordState {
    std::string action, method;
    std::string finish_keys;
    std::string key;  // the key that ended it
  };
  Step record(const Node& verb);
  void on_recorded(RecordResult result);
  // --- <Dial> (executor_dial.cpp)
  Step dial(const Node& verb);
  // A <Number> or <Sip> noun; false: skipped (warned).
  bool dial_target(const Node& noun, DialTarget& target);
  // 12200 warning naming the verb and attribute.
  void warn(const Node& verb, std::string_view attribute, std::string_view value, std::string_view what);

  CallControl& call_;
  Document document_;
  std::string document_url_;
  ExecutorConfig config_;
  std::size_t next_ = 0;
  bool finished_ = false;
  bool running_ = false;         // inside run()
  bool resume_pending_ = false;  // resume() was called while running
  std::optional<GatherState> gather_;
  std::optional<RecordState> record_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace callwire::twiml
