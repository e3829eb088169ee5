#pragma once
// Recording media files on disk. The media engine writes a recording's WAV
// to <data_dir>/<media_path> (store::recording_media_path() by default);
// REST serves and deletes it. Blocking file I/O: call from the API's
// handler pool only.
#include <filesystem>
#include <optional>
#include <string>

#include "api/api_config.hpp"
#include "store/models.hpp"

namespace callwire::api {

// The file of `recording`: its media_path (relative to the data dir, or
// absolute), or the default location when the row names none.
std::filesystem::path recording_file(const ApiConfig& config, const store::Recording& recording);

// The whole file, or nullopt when it does not exist or cannot be read.
std::optional<std::string> read_recording_file(const std::filesystem::path& file);

// Removes the file; true when it is gone (also when it never existed).
bool remove_recording_file(const std::filesystem::path& file, std::string& error);

}  // namespace callwire::api
