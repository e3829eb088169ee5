#include "media/engine/playback.hpp"

#include <algorithm>

namespace callwire::media::engine {

namespace {
constexpr std::chrono::milliseconds kDigitPause{500};  // 'w'
constexpr std::chrono::milliseconds kDigitGap{60};      // between RFC 4733 events
}  // namespace

struct Player::Item {
  enum class Kind { Prompt, Silence, Tone, Digits } kind = Kind::Silence;
  PlaybackDone done;
  // Prompt
  std::shared_ptr<const EncodedPrompt> prompt;
  unsigned loops = 1;  // 0: forever
  unsigned loop = 0;
  std::size_t frame = 0;
  // Silence (also the gaps inside Digits)
  std::uint64_t silence_frames = 0;
  // Tone (also in-band digits)
  std::optional<codec::ToneGenerator> tone;
  bool started = false;
  // Digits
  std::string digits;
  std::size_t pos = 0;
  std::optional<rtp::DtmfSequence> seq;
  std::size_t seq_pos = 0;
};

Player::Player(codec::Codec& encoder, std::chrono::milliseconds ptime, std::optional<std::uint32_t> te)
    : encoder_(encoder), ptime_(ptime), te_clock_(te), spf_(encoder.samples_per_frame(ptime)) {
  pcm_.assign(spf_, 0);
  payload_.resize(encoder_.max_payload_size(spf_));
  auto s = encode(pcm_);
  silence_.assign(s.begin(), s.end());
}

Player::~Player() = default;

std::span<const std::uint8_t> Player::encode(std::span<const std::int16_t> pcm) {
  std::size_t n = encoder_.encode(pcm, payload_);
  return {payload_.data(), n};
}

void Player::play(std::shared_ptr<const EncodedPrompt> prompt, unsigned loops, PlaybackDone done) {
  auto it = std::make_unique<Item>();
  it->kind = Item::Kind::Prompt;
  it->prompt = std::move(prompt);
  it->loops = loops;
  it->done = std::move(done);
  queue_.push_back(std::move(it));
}

void Player::silence(std::chrono::milliseconds duration, PlaybackDone done) {
  auto it = std::make_unique<Item>();
  it->kind = Item::Kind::Silence;
  it->silence_frames = static_cast<std::uint64_t>((duration + ptime_ - std::chrono::milliseconds(1)) / ptime_);
  it->done = std::move(done);
  queue_.push_back(std::move(it));
}

void Player::tone(codec::ToneGenerator tone, PlaybackDone done) {
  auto it = std::make_unique<Item>();
  it->kind = Item::Kind::Tone;
  it->tone.emplace(std::move(tone));
  it->done = std::move(done);
  queue_.push_back(std::move(it));
}

void Player::digits(std::string digits, PlaybackDone done) {
  auto it = std::make_unique<Item>();
  it->kind = Item::Kind::Digits;
  it->digits = std::move(digits);
  it->done = std::move(done);
  queue_.push_back(std::move(it));
}

void Player::stop() {
  while (!queue_.empty()) finish_front(PlaybackResult::Interrupted);
}

void Player::finish_front(PlaybackResult r) {
  auto item = std::move(queue_.front());
  queue_.pop_front();
  if (item->done) completions_.emplace_back(std::move(item->done), r);
}

std::vector<std::pair<PlaybackDone, PlaybackResult>> Player::take_completions() {
  std::vector<std::pair<PlaybackDone, PlaybackResult>> out;
  out.swap(completions_);
  return out;
}

bool Player::produce_tone_frame(Item& item, Frame& out) {
  if (!item.tone || item.tone->done()) return false;
  std::size_t got = item.tone->generate(pcm_);
  if (got == 0) return false;
  std::fill(pcm_.begin() + static_cast<std::ptrdiff_t>(got), pcm_.end(), 0);
  out.kind = Frame::Kind::Media;
  out.talkspurt = !item.started;
  item.started = true;
  out.payload = encode(pcm_);
  std::fill(pcm_.begin(), pcm_.end(), 0);
  return true;
}

// Fills `out` from `item`; false when the item has nothing more to send.
bool Player::produce(Item& item, Frame& out) {
  switch (item.kind) {
    case Item::Kind::Prompt: {
      auto n = item.prompt ? item.prompt->frames() : 0;
      if (n == 0) return false;
      if (item.frame == n) {
        ++item.loop;
        if (item.loops != 0 && item.loop >= item.loops) return false;
        item.frame = 0;
      }
      out.kind = Frame::Kind::Media;
      out.talkspurt = item.frame == 0 && item.loop == 0;
      out.payload = item.prompt->frame(item.frame++);
      return true;
    }
    case Item::Kind::Silence:
      if (item.silence_frames == 0) return false;
      --item.silence_frames;
      out.kind = Frame::Kind::Media;
      out.payload = silence_;
      return true;
    case Item::Kind::Tone:
      return produce_tone_frame(item, out);
    case Item::Kind::Digits:
      for (;;) {
        if (item.silence_frames > 0) {  // pause or gap
          --item.silence_frames;
          out.kind = Frame::Kind::Media;
          out.payload = silence_;
          return true;
        }
        if (item.tone) {  // in-band digit in progress
          if (produce_tone_frame(item, out)) return true;
          item.tone.reset();
          continue;
        }
        if (item.seq) {  // RFC 4733 event in progress
          out.kind = Frame::Kind::Event;
          out.event = item.seq->packet(item.seq_pos);
          out.event_start = item.seq_pos == 0;
          out.event_last = ++item.seq_pos == item.seq->size();
          if (out.event_last) {
            item.seq.reset();
            item.silence_frames = static_cast<std::uint64_t>(kDigitGap / ptime_);
          }
          return true;
        }
        if (item.pos >= item.digits.size()) return false;
        char d = item.digits[item.pos++];
        if (d == 'w' || d == 'W') {
          item.silence_frames = static_cast<std::uint64_t>(kDigitPause / ptime_);
          continue;
        }
        if (te_clock_) {
          rtp::DtmfSendConfig cfg;
          cfg.clock_rate = *te_clock_;
          cfg.interval = ptime_;
          auto seq = rtp::DtmfSequence::make(d, cfg);
          if (seq) item.seq.emplace(std::move(*seq));
        } else {
          auto tone = codec::ToneGenerator::dtmf(std::string(1, d), {}, encoder_.sample_rate());
          if (tone) {
            item.tone.emplace(std::move(*tone));
            item.started = false;
          }
        }
      }
  }
  return false;
}

Frame Player::next() {
  Frame out;
  while (!queue_.empty()) {
    if (produce(*queue_.front(), out)) return out;
    finish_front(PlaybackResult::Done);
  }
  out.kind = Frame::Kind::Idle;
  out.payload = silence_;
  return out;
}

}  // namespace callwire::media::engine
