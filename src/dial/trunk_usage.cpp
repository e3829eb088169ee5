#include "dial/trunk_usage.hpp"

namespace callwire::dial {

TrunkSlot::TrunkSlot(std::shared_ptr<Counters> counters, std::string sid)
    : counters_(std::move(counters)), sid_(std::move(sid)) {}

TrunkSlot::TrunkSlot(TrunkSlot&& other) noexcept
    : counters_(std::move(other.counters_)), sid_(std::move(other.sid_)) {}

TrunkSlot& TrunkSlot::operator=(TrunkSlot&& other) noexcept {
  if (this != &other) {
    release();
    counters_ = std::move(other.counters_);
    sid_ = std::move(other.sid_);
  }
  return *this;
}

TrunkSlot::~TrunkSlot() { release(); }

void TrunkSlot::release() {
  if (!counters_) return;
  {
    std::lock_guard lock(counters_->mutex);
    auto it = counters_->calls.find(sid_);
    if (it != counters_->calls.end() && --it->second == 0) counters_->calls.erase(it);
  }
  counters_.reset();
}

TrunkUsage::TrunkUsage() : counters_(std::make_shared<TrunkSlot::Counters>()) {}

std::optional<TrunkSlot> TrunkUsage::try_acquire(std::string_view sid, int max_concurrent) {
  std::string key(sid);
  {
    std::lock_guard lock(counters_->mutex);
    auto& n = counters_->calls[key];
    if (max_concurrent > 0 && n >= static_cast<std::size_t>(max_concurrent)) {
      if (n == 0) counters_->calls.erase(key);
      return std::nullopt;
    }
    ++n;
  }
  return TrunkSlot(counters_, std::move(key));
}

std::size_t TrunkUsage::active(std::string_view sid) const {
  std::lock_guard lock(counters_->mutex);
  auto it = counters_->calls.find(std::string(sid));
  return it == counters_->calls.end() ? 0 : it->second;
}

}  // namespace callwire::dial
