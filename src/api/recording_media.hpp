#pragma once
// Recording media files on disk. The media engine writes a recording's WAV
// to <data_dir>/<media_path> (store::recording_media_path() by default);
// REST serves and deletes it, and serves it as MP3 too, encoded on first
// request and cached next to the WAV as <name>.mp3. Blocking file I/O and
// CPU work: call from the API's handler pool only (http::Server runs every
// handler there, never on its I/O thread).
#include <filesystem>
#include <optional>
#include <string>

#include "api/api_config.hpp"
#include "core/result.hpp"
#include "store/models.hpp"

namespace callwire::api {

// The file of `recording`: its media_path (relative to the data dir, or
// absolute), or the default location when the row names none.
std::filesystem::path recording_file(const ApiConfig& config, const store::Recording& recording);

// Where the MP3 of the WAV `file` is cached: the same name ending in .mp3.
std::filesystem::path mp3_cache_file(const std::filesystem::path& file);

// The whole file, or nullopt when it does not exist or cannot be read.
std::optional<std::string> read_recording_file(const std::filesystem::path& file);

struct Mp3Media {
  std::string bytes;
  bool from_cache = false;
  std::string cache_error;  // why the encoded MP3 could not be cached (it is served anyway)
};

// The WAV `file` as MP3 (8 kHz recordings give MPEG-2.5 layer III mono,
// 32 kbit/s). With `use_cache`, a cached MP3 at least as new as the WAV is
// served as it is, and a new encoding is stored through a uniquely named
// temporary file renamed into place, so concurrent requests never read a
// partial file. Without it (a recording still being written) nothing is
// read from or written to the cache. std::errc::no_such_file_or_directory
// when the WAV does not exist; a WAV that is not 16-bit PCM or an encoder
// failure is another error.
[[nodiscard]] Result<Mp3Media> recording_mp3(const std::filesystem::path& file, bool use_cache);

// Removes the WAV `file` and its cached MP3; true when both are gone (also
// when they never existed).
bool remove_recording_file(const std::filesystem::path& file, std::string& error);

}  // namespace callwire::api
