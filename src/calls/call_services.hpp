#pragma once
// What every inbound call uses, shared by all workers. Each member is
// thread-safe or, like `timers`, indexed by the worker that owns the call.
#include <vector>

#include "auth/abuse_guard.hpp"
#include "auth/digest.hpp"
#include "auth/domain_host.hpp"
#include "calls/call_log.hpp"
#include "calls/calls_config.hpp"
#include "calls/domain_directory.hpp"
#include "core/timers.hpp"
#include "metrics/metrics.hpp"
#include "net/worker_pool.hpp"
#include "webhook/client.hpp"

namespace callwire::calls {

struct CallServices {
  CallsConfig config;
  net::WorkerPool& pool;
  std::vector<Timers*> timers;  // timers[w] runs on worker w
  DomainDirectory& directory;
  std::vector<webhook::Client*> webhooks;  // webhooks[w] runs on worker w
  CallLog& log;
  metrics::Metrics& metrics;
  auth::HostResolver& hosts;
  auth::DigestAuthenticator& digest;
  auth::AbuseGuard& abuse;
};

}  // namespace callwire::calls
