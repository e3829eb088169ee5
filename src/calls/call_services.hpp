#pragma once
// What every inbound call uses, shared by all workers. Each member is
// thread-safe or, like `timers`, indexed by the worker that owns the call.
#include <functional>
#include <string>
#include <vector>

#include "auth/abuse_guard.hpp"
#include "auth/digest.hpp"
#include "auth/domain_host.hpp"
#include "calls/call_log.hpp"
#include "calls/calls_config.hpp"
#include "calls/domain_directory.hpp"
#include "core/timers.hpp"
#include "dial/trunk_usage.hpp"
#include "media/audio/decoded_audio_cache.hpp"
#include "media/engine/media_engine.hpp"
#include "media/tts/synthesizer.hpp"
#include "metrics/metrics.hpp"
#include "net/worker_pool.hpp"
#include "store/recording_store.hpp"
#include "store/account_store.hpp"
#include "store/trunk_store.hpp"
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

  // Media. Without engines (tests of the signalling alone) calls are
  // answered with an SDP that declines every stream and media verbs fail.
  std::vector<media::engine::MediaEngine*> media = {};  // media[w] runs on worker w
  media::tts::Synthesizer* tts = nullptr;                // one per process, its own thread
  std::vector<webhook::Client*> media_fetch = {};        // <Play> GETs: media_fetch[w] runs on worker w
  media::audio::DecodedAudioCache* audio_cache = nullptr;
  // Runs blocking work (decoding <Play> media, recording rows) off the workers.
  std::function<void(std::function<void()>)> offload = {};

  // <Record>: rows in `recordings` (written through `offload`), WAV files at
  // <data_dir>/recordings/<AccountSid>/<RecordingSid>.wav (where the REST API
  // serves them), RecordingUrl = <api_base_url>/2010-04-01/Accounts/…/Recordings/<Sid>.
  store::RecordingStore* recordings = nullptr;
  std::string data_dir = {};
  std::string api_base_url = {};

  // <Dial><Number>: the account's (and its parent account's) outbound
  // trunks, read through `offload`; concurrent calls per trunk on this node.
  store::TrunkStore* trunks = nullptr;
  store::AccountStore* accounts = nullptr;
  dial::TrunkUsage* trunk_usage = nullptr;
};

}  // namespace callwire::calls
