#pragma once
// callwire's Prometheus metrics: one registry per process, served as text on
// the HTTP listener at /metrics. Every method is thread-safe (prometheus-cpp
// metrics are atomics), so SIP workers, the webhook thread and the store pool
// update them directly.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace callwire::metrics {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // A call ended with this final CallStatus (completed, busy, failed, no-answer, canceled).
  void call_ended(std::string_view status);
  void call_started();  // active_calls +1 (call_ended takes it back)
  // INVITEs refused before a call exists: unknown_domain, no_auth_mapped, account_inactive, not_tls.
  void invite_refused(std::string_view reason);
  // Digest outcomes other than success: missing (challenged), stale, replay, unknown_user, wrong_password, malformed.
  void auth_failure(std::string_view kind);
  // Requests dropped or refused by the admission policy: ip_acl, blocked, flood, scanner.
  void admission_drop(std::string_view reason);
  // One webhook exchange (voice, fallback, status_callback) and its outcome ("ok" or the error code).
  void webhook(std::string_view kind, std::string_view outcome, std::chrono::microseconds latency);
  // Authenticated INVITE received → voice webhook request handed to the HTTP client.
  void webhook_dispatch_delay(std::chrono::microseconds delay);

  // The Prometheus text exposition format (version 0.0.4).
  std::string scrape() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* calls_;
  prometheus::Family<prometheus::Counter>* refused_;
  prometheus::Family<prometheus::Counter>* auth_failures_;
  prometheus::Family<prometheus::Counter>* admission_drops_;
  prometheus::Family<prometheus::Counter>* webhooks_;
  prometheus::Family<prometheus::Histogram>* webhook_latency_;
  prometheus::Gauge* active_calls_;
  prometheus::Histogram* dispatch_delay_;
  // The labelled metrics already added, by family and label values: a
  // family's Add() builds a label map and takes the family's lock on every
  // call, which cost more than a call's other metrics together.
  struct Seen;
  std::unique_ptr<Seen> seen_;
};

}  // namespace callwire::metrics
