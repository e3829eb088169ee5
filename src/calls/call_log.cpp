#include "calls/call_log.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "core/sid.hpp"

namespace callwire::calls {
namespace {

// Records per transaction: a backlog is written in bounded transactions.
constexpr std::size_t kMaxSave = 5000;

// Contract 12: alert_text is a URL-encoded key=value summary.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

store::Alert make_alert(AlertInfo info) {
  store::Alert a;
  a.sid = make_sid("NO");
  a.account_sid = std::move(info.account_sid);
  a.error_code = std::to_string(info.error_code);
  a.log_level = std::move(info.log_level);
  a.alert_text = "Msg=" + percent_encode(info.message);
  if (!info.request_url.empty()) a.alert_text += "&url=" + percent_encode(info.request_url);
  a.more_info = "https://www.twilio.com/docs/errors/" + a.error_code;
  a.request_method = std::move(info.request_method);
  a.request_url = std::move(info.request_url);
  if (!info.call_sid.empty()) a.resource_sid = std::move(info.call_sid);
  a.request_variables = std::move(info.request_variables);
  a.response_body = std::move(info.response_body);
  return a;
}

// Errors about single records: the store wrote the others, a retry would
// not help.
bool refused(const Error& e) {
  using store::Errc;
  return store::is(e, Errc::Conflict) || store::is(e, Errc::ForeignKey) || store::is(e, Errc::Invalid) ||
         store::is(e, Errc::NotFound);
}

}  // namespace

CallLog::CallLog(store::Store& store, CallLogOptions options)
    : store_(store), options_(options), writer_([this] { run(); }) {}

CallLog::~CallLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
  flush();
  std::lock_guard lock(mutex_);
  if (pending()) {
    log::get("calls")->error("{} call records and {} alerts not written at shutdown", calls_.size(),
                             alerts_.size());
  }
}

void CallLog::record(const store::Call& call) {
  std::unique_lock lock(mutex_);
  const bool was_empty = !pending();
  auto [it, fresh] = index_.try_emplace(call.sid, calls_.size());
  if (!fresh) {
    calls_[it->second] = call;  // still unwritten: only the latest state counts
    return;
  }
  calls_.push_back(call);
  added(lock, was_empty);
}

void CallLog::alert(AlertInfo info) {
  store::Alert a = make_alert(std::move(info));
  std::unique_lock lock(mutex_);
  const bool was_empty = !pending();
  alerts_.push_back(std::move(a));
  added(lock, was_empty);
}

void CallLog::added(std::unique_lock<std::mutex>& lock, bool was_empty) {
  if (was_empty) first_pending_ = std::chrono::steady_clock::now();
  const std::size_t n = calls_.size() + alerts_.size();
  // Wake the writer only to start a period or to cut it short.
  const bool wake = was_empty || calls_.size() == options_.batch_size;
  lock.unlock();
  if (wake) wake_.notify_one();
  if (n > options_.max_pending) {
    log::get("calls")->warn("{} call records pending: writing them before going on", n);
    flush();
  }
}

void CallLog::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || pending(); });
    if (stopping_) return;  // the destructor writes the rest
    wake_.wait_until(lock, first_pending_ + options_.period,
                     [&] { return stopping_ || calls_.size() >= options_.batch_size; });
    if (stopping_) return;
    lock.unlock();
    flush();
    lock.lock();
  }
}

void CallLog::flush() {
  std::lock_guard write(write_mutex_);
  std::vector<store::Call> calls;
  std::vector<store::Alert> alerts;
  {
    std::lock_guard lock(mutex_);
    calls.swap(calls_);
    alerts.swap(alerts_);
    index_.clear();
  }
  if (!calls.empty()) write_calls(std::move(calls));
  if (!alerts.empty()) write_alerts(alerts);
}

void CallLog::write_calls(std::vector<store::Call> calls) {
  auto logger = log::get("calls");
  std::vector<store::Call> failed;
  for (std::size_t at = 0; at < calls.size(); at += kMaxSave) {
    std::vector<store::Call> chunk;
    const std::size_t end = std::min(calls.size(), at + kMaxSave);
    chunk.assign(std::make_move_iterator(calls.begin() + at), std::make_move_iterator(calls.begin() + end));
    auto saved = store_.calls().save(chunk);
    if (!saved && !refused(saved.error())) {
      logger->warn("{} call records not written ({}); retrying", chunk.size(), saved.error().what());
      saved = store_.calls().save(chunk);
    }
    if (saved) continue;
    if (refused(saved.error())) {
      logger->error("call records refused by the store: {}", saved.error().what());
      continue;
    }
    logger->error("{} call records not written again ({}); kept for the next write", chunk.size(),
                  saved.error().what());
    std::move(chunk.begin(), chunk.end(), std::back_inserter(failed));
  }
  if (!failed.empty()) put_back(std::move(failed));
}

// Failed records go back in the queue unless a later state of the same call
// has arrived meanwhile; what does not fit under max_pending is logged as lost.
void CallLog::put_back(std::vector<store::Call> calls) {
  std::size_t lost = 0;
  std::string first_lost;
  {
    std::lock_guard lock(mutex_);
    const bool was_empty = !pending();
    for (auto& c : calls) {
      if (index_.contains(c.sid)) continue;
      if (calls_.size() + alerts_.size() >= options_.max_pending) {
        if (lost++ == 0) first_lost = c.sid;
        continue;
      }
      index_.emplace(c.sid, calls_.size());
      calls_.push_back(std::move(c));
    }
    if (was_empty && pending()) first_pending_ = std::chrono::steady_clock::now();
  }
  if (lost) log::get("calls")->error("{} call records lost (queue full), first {}", lost, first_lost);
}

void CallLog::write_alerts(const std::vector<store::Alert>& alerts) {
  auto logger = log::get("calls");
  for (const auto& a : alerts) {
    auto r = store_.alerts().create(a);
    if (!r && !refused(r.error())) r = store_.alerts().create(a);
    if (!r) {
      logger->error("alert {} for {} not recorded: {}", a.error_code, a.resource_sid.value_or("-"),
                    r.error().what());
    }
  }
}

}  // namespace callwire::calls
