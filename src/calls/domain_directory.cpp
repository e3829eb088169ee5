#include "calls/domain_directory.hpp"

#include <boost/asio/post.hpp>

#include "core/log.hpp"

namespace callwire::calls {

DomainDirectory::DomainDirectory(store::Store& store, boost::asio::thread_pool& blocking,
                                 std::chrono::milliseconds refresh, std::size_t max_entries)
    : store_(store), blocking_(blocking), refresh_(refresh), max_entries_(max_entries) {
  generation_ = store_.generation();
  refresher_ = std::thread([this] { refresh_loop(); });
}

DomainDirectory::~DomainDirectory() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  refresher_.join();
}

std::optional<DomainRef> DomainDirectory::cached(const std::string& domain_name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(domain_name);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::size_t DomainDirectory::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

std::optional<DomainRef> DomainDirectory::read(const std::string& domain_name) {
  auto auth = store_.domain_auth(domain_name);
  if (!auth) {
    log::get("calls")->warn("domain {}: store read failed: {}", domain_name, auth.error().what());
    return std::nullopt;
  }
  if (!*auth) return DomainRef{};
  auto entry = std::make_shared<DomainEntry>();
  entry->auth = std::move(**auth);
  entry->ips = auth::IpMatcher::build(entry->auth.call_ips);
  auto account = store_.accounts().fetch(entry->auth.domain.account_sid);
  if (!account) {
    log::get("calls")->warn("domain {}: account {} unreadable: {}", domain_name, entry->auth.domain.account_sid,
                            account.error().what());
    return std::nullopt;
  }
  entry->auth_token = account->auth_token;
  return DomainRef(std::move(entry));
}

void DomainDirectory::load(const std::string& domain_name, std::function<void(DomainRef)> done) {
  {
    std::unique_lock lock(mutex_);
    if (auto it = entries_.find(domain_name); it != entries_.end()) {
      auto ref = it->second;
      lock.unlock();
      boost::asio::post(blocking_, [done = std::move(done), ref] { done(ref); });
      return;
    }
    auto& waiters = loading_[domain_name];
    waiters.push_back(std::move(done));
    if (waiters.size() > 1) return;  // a read is already on its way
  }
  boost::asio::post(blocking_, [this, domain_name] {
    auto ref = read(domain_name);
    std::vector<std::function<void(DomainRef)>> waiters;
    {
      std::unique_lock lock(mutex_);
      if (ref) {
        if (entries_.size() >= max_entries_) entries_.clear();  // crude, but bounded and rare
        entries_[domain_name] = *ref;
      }
      waiters = std::move(loading_[domain_name]);
      loading_.erase(domain_name);
    }
    for (auto& w : waiters) w(ref.value_or(DomainRef{}));
  });
}

void DomainDirectory::refresh_loop() {
  std::unique_lock stop_lock(stop_mutex_);
  while (!stop_cv_.wait_for(stop_lock, refresh_, [this] { return stopping_; })) {
    stop_lock.unlock();
    std::uint64_t now = store_.generation();
    if (now != generation_) {
      generation_ = now;
      std::vector<std::string> names;
      {
        std::shared_lock lock(mutex_);
        names.reserve(entries_.size());
        for (const auto& [name, ref] : entries_) {
          if (ref) names.push_back(name);  // unknown names are simply forgotten
        }
      }
      std::unordered_map<std::string, DomainRef> fresh;
      for (const auto& name : names) {
        if (auto ref = read(name)) fresh[name] = *ref;
      }
      std::unique_lock lock(mutex_);
      // Forget unknown names (they may exist now); replace what was re-read;
      // keep an entry whose re-read failed (a store hiccup must not cut calls).
      std::erase_if(entries_, [](const auto& kv) { return kv.second == nullptr; });
      for (auto& [name, ref] : fresh) entries_[name] = std::move(ref);
      log::get("calls")->debug("domain cache refreshed at generation {}: {} domains", now, entries_.size());
    }
    stop_lock.lock();
  }
}

}  // namespace callwire::calls
