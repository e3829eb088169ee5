#include "metrics/metrics.hpp"

#include <mutex>
#include <unordered_map>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace callwire::metrics {
namespace {

using prometheus::Histogram;

double seconds(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1e6; }

// Webhooks: 1 ms .. 15 s (the contract's whole-request limit).
Histogram::BucketBoundaries webhook_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15};
}
// In-process delay: 10 µs .. 100 ms.
Histogram::BucketBoundaries dispatch_buckets() {
  return {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1};
}

}  // namespace

struct Metrics::Seen {
  std::mutex mutex;
  std::unordered_map<std::string, void*> metrics;  // key: family address, then label values

  template <class T, class Add>
  T& get(const prometheus::Family<T>* family, std::string_view v1, std::string_view v2, Add add) {
    std::string key(reinterpret_cast<const char*>(&family), sizeof family);
    key += v1;
    key += '\0';
    key += v2;
    std::lock_guard lock(mutex);
    void*& slot = metrics[key];
    if (!slot) slot = &add();
    return *static_cast<T*>(slot);
  }
};

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()), seen_(std::make_unique<Seen>()) {
  calls_ = &prometheus::BuildCounter()
                .Name("callwire_calls_total")
                .Help("Inbound calls by final CallStatus")
                .Register(*registry_);
  refused_ = &prometheus::BuildCounter()
                  .Name("callwire_invites_refused_total")
                  .Help("INVITEs refused before a call was created, by reason")
                  .Register(*registry_);
  auth_failures_ = &prometheus::BuildCounter()
                        .Name("callwire_auth_failures_total")
                        .Help("Digest authentication outcomes other than success")
                        .Register(*registry_);
  admission_drops_ = &prometheus::BuildCounter()
                          .Name("callwire_admission_drops_total")
                          .Help("Requests dropped or refused by the admission policy, by reason")
                          .Register(*registry_);
  webhooks_ = &prometheus::BuildCounter()
                   .Name("callwire_webhooks_total")
                   .Help("Webhook requests by kind and outcome (ok or Twilio error code)")
                   .Register(*registry_);
  webhook_latency_ = &prometheus::BuildHistogram()
                          .Name("callwire_webhook_latency_seconds")
                          .Help("Time from sending a webhook to its complete answer")
                          .Register(*registry_);
  active_calls_ = &prometheus::BuildGauge()
                       .Name("callwire_active_calls")
                       .Help("Calls between the authenticated INVITE and their end")
                       .Register(*registry_)
                       .Add({});
  dispatch_delay_ = &prometheus::BuildHistogram()
                         .Name("callwire_webhook_dispatch_delay_seconds")
                         .Help("Authenticated INVITE received to voice webhook handed to the HTTP client")
                         .Register(*registry_)
                         .Add({}, dispatch_buckets());
}

Metrics::~Metrics() = default;

void Metrics::call_started() { active_calls_->Increment(); }

void Metrics::call_ended(std::string_view status) {
  seen_->get(calls_, status, {}, [&]() -> auto& { return calls_->Add({{"status", std::string(status)}}); })
      .Increment();
  active_calls_->Decrement();
}

void Metrics::invite_refused(std::string_view reason) {
  seen_->get(refused_, reason, {}, [&]() -> auto& { return refused_->Add({{"reason", std::string(reason)}}); })
      .Increment();
}

void Metrics::auth_failure(std::string_view kind) {
  seen_->get(auth_failures_, kind, {}, [&]() -> auto& { return auth_failures_->Add({{"kind", std::string(kind)}}); })
      .Increment();
}

void Metrics::admission_drop(std::string_view reason) {
  seen_->get(admission_drops_, reason, {},
             [&]() -> auto& { return admission_drops_->Add({{"reason", std::string(reason)}}); })
      .Increment();
}

void Metrics::webhook(std::string_view kind, std::string_view outcome, std::chrono::microseconds latency) {
  seen_->get(webhooks_, kind, outcome,
             [&]() -> auto& {
               return webhooks_->Add({{"kind", std::string(kind)}, {"outcome", std::string(outcome)}});
             })
      .Increment();
  seen_->get(webhook_latency_, kind, {},
             [&]() -> auto& { return webhook_latency_->Add({{"kind", std::string(kind)}}, webhook_buckets()); })
      .Observe(seconds(latency));
}

void Metrics::webhook_dispatch_delay(std::chrono::microseconds delay) { dispatch_delay_->Observe(seconds(delay)); }

std::string Metrics::scrape() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

}  // namespace callwire::metrics
