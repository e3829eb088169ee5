#pragma once
// Test helper: an MP3 stream decoded by libmpg123 (gapless, as players do),
// with the first frame's header facts. Shared by the encoder and API tests.
#include <mpg123.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace callwire::test {

struct DecodedMp3 {
  std::string error;  // empty when the stream decoded
  std::vector<std::int16_t> samples;
  long rate = 0;
  int channels = 0;
  int version = -1;  // mpg123_version: MPG123_1_0, MPG123_2_0, MPG123_2_5
  int layer = 0;
  int bitrate_kbps = 0;
  bool cbr = false;
};

inline DecodedMp3 decode_failure(std::string error) {
  DecodedMp3 d;
  d.error = std::move(error);
  return d;
}

inline DecodedMp3 decode_mp3(const void* data, std::size_t size) {
  DecodedMp3 d;
  int err = MPG123_OK;
  std::unique_ptr<mpg123_handle, void (*)(mpg123_handle*)> mh(mpg123_new(nullptr, &err), mpg123_delete);
  if (!mh) return decode_failure("mpg123_new failed");
  mpg123_param(mh.get(), MPG123_ADD_FLAGS, MPG123_QUIET | MPG123_GAPLESS, 0.0);
  if (mpg123_open_feed(mh.get()) != MPG123_OK) return decode_failure("mpg123_open_feed failed");
  if (mpg123_feed(mh.get(), static_cast<const unsigned char*>(data), size) != MPG123_OK)
    return decode_failure(mpg123_strerror(mh.get()));
  std::vector<unsigned char> out(16384);
  for (;;) {
    std::size_t done = 0;
    const int ret = mpg123_read(mh.get(), out.data(), out.size(), &done);
    if (ret == MPG123_NEW_FORMAT) {
      int encoding = 0;
      mpg123_getformat(mh.get(), &d.rate, &d.channels, &encoding);
      mpg123_frameinfo info{};
      if (mpg123_info(mh.get(), &info) == MPG123_OK) {
        d.version = info.version;
        d.layer = info.layer;
        d.bitrate_kbps = info.bitrate;
        d.cbr = info.vbr == MPG123_CBR;
      }
    }
    const auto* pcm = reinterpret_cast<const std::int16_t*>(out.data());
    d.samples.insert(d.samples.end(), pcm, pcm + done / sizeof(std::int16_t));
    if (ret == MPG123_NEED_MORE || ret == MPG123_DONE) break;
    if (ret != MPG123_OK && ret != MPG123_NEW_FORMAT) {
      d.error = mpg123_strerror(mh.get());
      break;
    }
  }
  if (d.error.empty() && d.rate == 0) d.error = "no MPEG audio frame found";
  return d;
}

inline double rms(const std::vector<std::int16_t>& s, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  to = std::min(to, s.size());
  if (from >= to) return 0.0;
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(s[i]) * s[i];
  return std::sqrt(sum / static_cast<double>(to - from));
}

}  // namespace callwire::test
