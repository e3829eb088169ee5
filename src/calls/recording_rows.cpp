#include "calls/recording_rows.hpp"

#include "calls/report_format.hpp"
#include "core/log.hpp"

namespace callwire::calls {

void save_recording_row(CallServices& services, const store::Recording& row, int seq,
                        std::shared_ptr<RecordingWriteOrder> order, std::function<void()> then) {
  auto* store = services.recordings;
  if (store == nullptr || !services.offload) {
    if (then) then();
    return;
  }
  services.offload([store, row, seq, order = std::move(order), then = std::move(then)] {
    {
      std::lock_guard lock(order->mutex);
      if (seq > order->written) {
        order->written = seq;
        if (auto saved = store->save(row); !saved) {
          log::get("calls")->warn("recording {} of call {} not saved: {}", row.sid, row.call_sid,
                                  saved.error().what());
        }
      }
    }
    if (then) then();
  });
}

void send_recording_status(CallServices& services, std::size_t worker, const RecordingCallback& to,
                           const store::Recording& row, const std::string& recording_url,
                           std::chrono::system_clock::time_point started) {
  if (to.url.empty()) return;
  Params params{{"AccountSid", row.account_sid},
                {"CallSid", row.call_sid},
                {"RecordingSid", row.sid},
                {"RecordingUrl", recording_url},
                {"RecordingStatus", row.status},
                {"RecordingChannels", std::to_string(row.channels)},
                {"RecordingStartTime", rfc2822(started)},
                {"RecordingSource", row.source}};
  if (row.duration) params.emplace_back("RecordingDuration", std::to_string(*row.duration));
  webhook::Request request;
  request.url = to.url;
  request.method = to.method;
  request.params = params;
  request.auth_token = to.auth_token;
  // The call may be gone when the outcome arrives: the alert is built now.
  auto& log = services.log;
  AlertInfo failure{row.account_sid, 0, "warning", {}, row.call_sid, to.method, to.url, {}, {}};
  for (const auto& [k, v] : params)
    failure.request_variables += (failure.request_variables.empty() ? "" : "&") + k + "=" + v;
  services.webhooks[worker]->send(std::move(request), [&log, failure](webhook::Outcome outcome) mutable {
    if (outcome) return;
    failure.error_code = outcome.error().error_code;
    failure.message = "recordingStatusCallback failed: " + outcome.error().message;
    failure.response_body = outcome.error().response_body;
    log.alert(std::move(failure));
  });
}

}  // namespace callwire::calls
