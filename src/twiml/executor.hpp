#pragma once
// Runs one TwiML document's verbs in order against a CallControl. A verb
// either finishes at once (the executor goes on), waits (Pause: a timer;
// Say/Play: the end of playback), or hands the call elsewhere (Redirect: a
// new document replaces this one; Reject/Hangup: the call ends). At the end
// of the document the call hangs up.
//
// Say and Play answer the call first (contract 8.4). Verbs not executed by
// this version (Gather, Record, Dial, ...) answer the call, raise a 12200
// warning naming the verb, and execution goes on.
#include <cstddef>
#include <memory>
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
  Step execute(const Node& verb);
  Step pause(const Node& verb);
  Step redirect(const Node& verb);
  Step reject(const Node& verb);
  Step say(const Node& verb);
  Step play(const Node& verb);
  // Continues after a verb that waited; safe to call from inside run().
  void resume();
  // The continuation a waiting verb hands to the call.
  MediaDone media_done();

  CallControl& call_;
  Document document_;
  std::string document_url_;
  ExecutorConfig config_;
  std::size_t next_ = 0;
  bool finished_ = false;
  bool running_ = false;         // inside run()
  bool resume_pending_ = false;  // resume() was called while running
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace callwire::twiml
