#pragma once
// What the SIP side knows about domains: a cache of store::DomainAuth
// snapshots (with each domain's compiled IP matcher and its account's auth
// token, the webhook signing key), read without blocking. A miss is loaded on
// the blocking pool; a thread watches store::generation() and reloads every
// cached name when anything changed, so API edits (new ACL entry, suspended
// account) reach calls within the refresh period, also on other nodes
// sharing PostgreSQL.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "auth/ip_matcher.hpp"
#include "store/store.hpp"

namespace callwire::calls {

struct DomainEntry {
  store::DomainAuth auth;
  auth::IpMatcher ips;     // of auth.call_ips
  std::string auth_token;  // the domain's account's, for X-Twilio-Signature
};
using DomainRef = std::shared_ptr<const DomainEntry>;  // null: no such domain

class DomainDirectory {
 public:
  DomainDirectory(store::Store& store, boost::asio::thread_pool& blocking,
                  std::chrono::milliseconds refresh, std::size_t max_entries);
  ~DomainDirectory();  // stops the refresh thread
  DomainDirectory(const DomainDirectory&) = delete;
  DomainDirectory& operator=(const DomainDirectory&) = delete;

  // The cached entry for a canonical domain name; nullopt when not cached
  // (the inner DomainRef is null when the domain is known not to exist).
  std::optional<DomainRef> cached(const std::string& domain_name) const;
  // Loads `domain_name` on the blocking pool; `done` runs there, once. Loads
  // of the same name in flight share one store read. A store error answers
  // as "no such domain" for this request and is not cached.
  void load(const std::string& domain_name, std::function<void(DomainRef)> done);

  std::size_t size() const;

 private:
  void refresh_loop();
  // Reads one domain (blocking). nullopt on a store error.
  std::optional<DomainRef> read(const std::string& domain_name);

  store::Store& store_;
  boost::asio::thread_pool& blocking_;
  std::chrono::milliseconds refresh_;
  std::size_t max_entries_;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, DomainRef> entries_;
  std::unordered_map<std::string, std::vector<std::function<void(DomainRef)>>> loading_;
  std::uint64_t generation_ = 0;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace callwire::calls
