#pragma once
// Writes call records and debugger alerts to the store from one writer
// thread, so SIP workers never wait on a disk or a database. A call hands
// over the latest state of its record; records are written in batches, one
// transaction each (CallStore::save): every `period`, or at once when
// `batch_size` are pending. A later state replaces an unwritten earlier one,
// so a call that ends before the next write is written once. One thread
// switch and one fsync per batch instead of several per call.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/store.hpp"

namespace callwire::calls {

struct AlertInfo {
  std::string account_sid;
  int error_code = 0;
  std::string log_level = "error";  // error | warning
  std::string message;
  std::string call_sid;
  std::string request_method;
  std::string request_url;
  std::string request_variables;    // form-encoded parameters of the failed request
  std::string response_body;
};

struct CallLogOptions {
  std::chrono::milliseconds period{50};  // longest a record waits for its write
  std::size_t batch_size = 500;          // this many pending records are written at once
  // Beyond this many pending records (the database is slow or down) the
  // caller writes them itself: the queue never grows without bound.
  std::size_t max_pending = 100000;
};

class CallLog {
 public:
  explicit CallLog(store::Store& store, CallLogOptions options = {});
  // Writes everything still pending, then stops the writer.
  ~CallLog();
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

  // The current state of a call, new or changed (sid and account_sid set).
  void record(const store::Call& call);
  void alert(AlertInfo alert);
  // Writes everything handed over so far; returns once it is committed (or
  // its failure logged). For shutdown, after the SIP workers have stopped.
  void flush();

 private:
  void run();
  bool pending() const { return !calls_.empty() || !alerts_.empty(); }
  void added(std::unique_lock<std::mutex>& lock, bool was_empty);
  void write_calls(std::vector<store::Call> calls);
  void write_alerts(const std::vector<store::Alert>& alerts);
  void put_back(std::vector<store::Call> calls);

  store::Store& store_;
  const CallLogOptions options_;

  std::mutex mutex_;  // guards the pending records below
  std::condition_variable wake_;
  std::vector<store::Call> calls_;                      // in arrival order, so list order stays call order
  std::unordered_map<std::string, std::size_t> index_;  // sid → position in calls_
  std::vector<store::Alert> alerts_;
  std::chrono::steady_clock::time_point first_pending_{};
  bool stopping_ = false;

  // One batch at a time, in hand-over order: an earlier state of a call is
  // never written after a later one.
  std::mutex write_mutex_;
  std::thread writer_;
};

}  // namespace callwire::calls
