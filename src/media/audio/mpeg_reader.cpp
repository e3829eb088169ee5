// MPEG audio through libmpg123's feed decoder: the bytes go in a chunk at a
// time, so the library never holds a second copy of a large file.
#include <mpg123.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "media/audio/readers.hpp"

namespace callwire::media::audio::detail {

namespace {

struct Delete {
  void operator()(mpg123_handle* h) const { mpg123_delete(h); }
};

constexpr std::size_t kFeedChunk = 16384;
constexpr int kMaxIdleReads = 64;  // reads in a row that neither produce nor ask for input

}  // namespace

Status read_mpeg(std::span<const std::uint8_t> bytes, MonoSink& sink) {
  static std::once_flag init;  // a no-op since mpg123 1.27; kept for older libraries
  std::call_once(init, [] { mpg123_init(); });
  int err = MPG123_OK;
  std::unique_ptr<mpg123_handle, Delete> mh(mpg123_new(nullptr, &err));
  if (!mh) return fail(Errc::DecoderFailed, "mpg123_new failed");
  mpg123_param(mh.get(), MPG123_ADD_FLAGS, MPG123_QUIET, 0.0);
  // 16-bit output at the stream's own rate and channel count.
  mpg123_format_none(mh.get());
  const long* rates = nullptr;
  std::size_t n_rates = 0;
  mpg123_rates(&rates, &n_rates);
  for (std::size_t i = 0; i < n_rates; ++i)
    mpg123_format(mh.get(), rates[i], MPG123_MONO | MPG123_STEREO, MPG123_ENC_SIGNED_16);
  if (mpg123_open_feed(mh.get()) != MPG123_OK) return fail(Errc::DecoderFailed, "mpg123_open_feed failed");

  std::vector<unsigned char> out(32768);
  std::size_t fed = 0;
  bool have_format = false;
  int idle = 0;
  for (;;) {
    std::size_t done = 0;
    const int ret = mpg123_read(mh.get(), out.data(), out.size(), &done);
    if (ret == MPG123_NEW_FORMAT) {
      long rate = 0;
      int channels = 0, encoding = 0;
      mpg123_getformat(mh.get(), &rate, &channels, &encoding);
      if (encoding != MPG123_ENC_SIGNED_16) return fail(Errc::UnsupportedFormat, "MPEG output encoding");
      if (auto s = sink.set_input(static_cast<std::uint32_t>(rate), channels); !s) return s;
      have_format = true;
    }
    if (done > 0) {
      if (!have_format) return fail(Errc::Corrupt, "MPEG samples before a format");
      idle = 0;
      const auto* pcm = reinterpret_cast<const std::int16_t*>(out.data());
      if (auto s = sink.push(std::span(pcm, done / sizeof(std::int16_t))); !s) return s;
    }
    if (ret == MPG123_NEED_MORE) {
      if (fed >= bytes.size()) break;
      const std::size_t n = std::min(kFeedChunk, bytes.size() - fed);
      if (mpg123_feed(mh.get(), bytes.data() + fed, n) != MPG123_OK)
        return fail(Errc::DecoderFailed, mpg123_strerror(mh.get()));
      fed += n;
      idle = 0;
      continue;
    }
    if (ret == MPG123_DONE) break;
    if (ret == MPG123_OK || ret == MPG123_NEW_FORMAT) {
      if (done == 0 && ++idle > kMaxIdleReads) return fail(Errc::Corrupt, "MPEG decoder makes no progress");
      continue;
    }
    // A hard error. What decoded before it still plays (a damaged tail is
    // common); nothing decoded means the file is not MPEG audio.
    if (have_format) break;
    return fail(Errc::Corrupt, std::string("MPEG: ") + mpg123_strerror(mh.get()));
  }
  if (!have_format) return fail(Errc::Corrupt, "no MPEG audio frames");
  return {};
}

}  // namespace callwire::media::audio::detail
