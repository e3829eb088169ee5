#pragma once
// What to say, and the audio it becomes. The TwiML layer flattens a <Say>
// element into Pieces: each text run carries the SSML attributes of the
// elements around it (as written in the document; this layer interprets
// them), and each <break> becomes a Break piece.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace callwire::media::tts {

struct Piece {
  enum class Kind { Text, Break };
  Kind kind = Kind::Text;

  // Kind::Text
  std::string text;
  std::string emphasis;  // <emphasis level>: strong | moderate | reduced | none; "" outside <emphasis>
  std::string rate;      // <prosody rate>: x-slow..x-fast or "N%"
  std::string pitch;     // <prosody pitch>: x-low..x-high or "+N%" / "-N%"
  std::string volume;    // <prosody volume>: silent..x-loud or "+NdB" / "-NdB"
  std::string say_as;    // <say-as interpret-as>: digits | characters | spell-out | telephone spell the text

  // Kind::Break
  std::string time;      // "500ms", "2s", "1.5s" (wins over strength)
  std::string strength;  // none | x-weak | weak | medium | strong | x-strong; "" = medium

  static Piece plain(std::string t) {
    Piece p;
    p.text = std::move(t);
    return p;
  }
  static Piece pause(std::string time, std::string strength = {}) {
    Piece p;
    p.kind = Kind::Break;
    p.time = std::move(time);
    p.strength = std::move(strength);
    return p;
  }
};

struct Request {
  std::vector<Piece> pieces;
  std::string voice;          // Say voice attribute; "" = man
  std::string language;       // Say language attribute; "" = the voice's own, else en-US
  std::uint32_t sample_rate = 8000;  // of the audio wanted (8000, 16000, 48000, ...)

  static Request text(std::string t, std::string voice = {}, std::string language = {},
                      std::uint32_t sample_rate = 8000) {
    Request r;
    r.pieces.push_back(Piece::plain(std::move(t)));
    r.voice = std::move(voice);
    r.language = std::move(language);
    r.sample_rate = sample_rate;
    return r;
  }
};

// Synthesized speech: mono PCM16. Shared read-only between calls.
struct Audio {
  std::vector<std::int16_t> samples;
  std::uint32_t sample_rate = 8000;
  // Why the voice or an attribute was not honoured exactly (unknown voice,
  // unknown language, unreadable SSML value); the caller raises the warning.
  std::vector<std::string> warnings;

  std::chrono::milliseconds duration() const {
    return std::chrono::milliseconds(sample_rate ? samples.size() * 1000 / sample_rate : 0);
  }
  std::size_t bytes() const { return samples.size() * sizeof(std::int16_t) + sizeof(Audio); }
};

}  // namespace callwire::media::tts
