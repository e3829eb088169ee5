#pragma once
// What <Record> and <Dial record> share about a recording: its Recording row
// written off the worker in order, and recordingStatusCallback.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "calls/call_services.hpp"
#include "store/models.hpp"

namespace callwire::calls {

// Row writes run on the blocking pool, where two of one recording could
// overtake each other: the later state (higher seq) always wins.
struct RecordingWriteOrder {
  std::mutex mutex;
  int written = 0;
};

// Saves `row` through services.offload (state number `seq` of `order`), then
// runs `then` there; without a store or offload, runs `then` at once.
void save_recording_row(CallServices& services, const store::Recording& row, int seq,
                        std::shared_ptr<RecordingWriteOrder> order, std::function<void()> then);

// Where a recording's status callbacks go.
struct RecordingCallback {
  std::string url;  // "" = none
  std::string method = "POST";
  std::string auth_token;
};

// Posts RecordingStatus=row.status (with RecordingChannels, RecordingSource,
// RecordingStartTime and, once known, RecordingDuration) from worker `worker`;
// a failure becomes a warning alert on the call.
void send_recording_status(CallServices& services, std::size_t worker, const RecordingCallback& to,
                           const store::Recording& row, const std::string& recording_url,
                           std::chrono::system_clock::time_point started);

}  // namespace callwire::calls
