#pragma once
// The send side of a session: a queue of playback items (prompt, silence,
// tone, DTMF digits) played in order, one frame per ptime. The Player only
// decides what each frame carries; the session stamps and sends it. Items
// finish with a completion (Done, or Interrupted by stop()); completions are
// collected and run by the session after the frame went out, so a callback
// may enqueue or stop again safely.
//
// Between items and when the queue is empty the Player yields the codec's
// silence frame: timestamps keep advancing, NAT bindings stay open and the
// peer's jitter buffer sees a steady stream. The first frame of each prompt or
// tone (and of each DTMF event) starts a talkspurt (marker bit).
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/codec/codec.hpp"
#include "media/codec/tone_generator.hpp"
#include "media/engine/prompt_cache.hpp"
#include "media/rtp/telephone_event.hpp"
#include "media/tts/request.hpp"

namespace callwire::media::engine {

enum class PlaybackResult { Done, Interrupted, Failed };
using PlaybackDone = std::function<void(PlaybackResult)>;

struct Frame {
  enum class Kind { Media, Event, Idle };
  Kind kind = Kind::Idle;
  std::span<const std::uint8_t> payload;  // Media / Idle
  bool talkspurt = false;                 // Media: first frame of a prompt or tone
  rtp::DtmfPacket event;                  // Event
  bool event_start = false;               // first packet of a digit: take a new event timestamp
  bool event_last = false;                // last packet of a digit: advance the timestamp past it
};

class Player {
 public:
  // `encoder` encodes tones and the silence frame; `telephone_event` is the
  // negotiated RFC 4733 clock rate, or nullopt for in-band digits.
  Player(codec::Codec& encoder, std::chrono::milliseconds ptime, std::optional<std::uint32_t> telephone_event);
  ~Player();
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;

  void play(std::shared_ptr<const EncodedPrompt> prompt, unsigned loops, PlaybackDone done);
  void silence(std::chrono::milliseconds duration, PlaybackDone done);
  void tone(codec::ToneGenerator tone, PlaybackDone done);
  // '0'-'9', '*', '#', 'A'-'D', and 'w' (a 500 ms pause, as Twilio's Play digits).
  void digits(std::string digits, PlaybackDone done);
  // Ends every queued item with Interrupted.
  void stop();

  Frame next();
  bool idle() const { return queue_.empty(); }
  std::size_t queued() const { return queue_.size(); }
  // Completions since the last call, in order.
  std::vector<std::pair<PlaybackDone, PlaybackResult>> take_completions();

 private:
  struct Item;
  bool produce(Item& item, Frame& out);
  bool produce_tone_frame(Item& item, Frame& out);
  void finish_front(PlaybackResult r);
  std::span<const std::uint8_t> encode(std::span<const std::int16_t> pcm);

  codec::Codec& encoder_;
  std::chrono::milliseconds ptime_;
  std::optional<std::uint32_t> te_clock_;
  std::size_t spf_;  // PCM samples per frame
  std::vector<std::uint8_t> silence_;
  std::vector<std::int16_t> pcm_;
  std::vector<std::uint8_t> payload_;
  std::deque<std::unique_ptr<Item>> queue_;
  std::vector<std::pair<PlaybackDone, PlaybackResult>> completions_;
};

}  // namespace callwire::media::engine
