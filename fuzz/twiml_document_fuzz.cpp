// TwiML documents from webhook answers: parse_document must never crash,
// hang or expand entities, and anything it accepts has a <Response> root
// with only known verbs. Run through the executor, a document must never
// make the call act after it ended.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "twiml/document.hpp"
#include "twiml/executor.hpp"

namespace {

using namespace callwire::twiml;

class CountingCall final : public CallControl {
 public:
  bool answered() const override { return answered_; }
  void answer() override { check(); answered_ = true; }
  void reject(int, std::string_view) override { check(); ended_ = true; }
  void hangup() override { check(); ended_ = true; }
  void fetch(std::string, std::string, ActionParams) override { check(); ended_ = true; }
  void after(std::chrono::milliseconds, std::function<void()>) override { check(); }
  void alert(int, AlertLevel, std::string) override {}
  // Media ends at once, inside the call: the executor must go on safely.
  void say(std::vector<SpeechPiece>, std::string, std::string, unsigned, MediaDone done) override { media(done); }
  void play(std::string, unsigned, MediaDone done) override { media(done); }
  void play_digits(std::string, MediaDone done) override { media(done); }
  void stop_media() override {}
  // Gather/Record wait for keys or a recording that never come: the
  // document stops there, as a call whose caller does nothing.
  void collect_digits(DigitHandler) override { check(); }
  void record(RecordRequest, RecordDone) override { check(); }
  void stop_recording() override { check(); }
  // A <Dial> that never ends (nobody answers): the document stops there too.
  void dial(DialRequest, DialDone) override { check(); }

 private:
  void media(const MediaDone& done) {
    check();
    done(MediaEnd::Done);
  }
  void check() const {
    if (ended_) __builtin_trap();  // acting on a call the document already ended
  }
  bool answered_ = false;
  bool ended_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto doc = parse_document(xml);
  if (!doc) return 0;
  for (const auto& verb : doc->verbs) {
    if (!is_voice_verb(verb.name)) __builtin_trap();
  }
  CountingCall call;
  Executor executor(call, std::move(*doc), "https://app.example.com/voice");
  executor.run();
  return 0;
}
