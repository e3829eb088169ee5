#pragma once
// Concurrent calls per trunk on this node, for MaxConcurrentCalls. Any thread
// may acquire and release (calls live on different workers), so the counts
// sit behind one mutex; a slot is held for the whole outbound leg.
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace callwire::dial {

class TrunkUsage;

// One call on one trunk; released when destroyed (or moved from). It shares
// the counters with its TrunkUsage, so it may outlive it.
class TrunkSlot {
 public:
  TrunkSlot(TrunkSlot&& other) noexcept;
  TrunkSlot& operator=(TrunkSlot&& other) noexcept;
  TrunkSlot(const TrunkSlot&) = delete;
  TrunkSlot& operator=(const TrunkSlot&) = delete;
  ~TrunkSlot();

  const std::string& trunk_sid() const { return sid_; }
  // Gives the slot back now (idempotent).
  void release();

 private:
  friend class TrunkUsage;
  struct Counters;
  TrunkSlot(std::shared_ptr<Counters> counters, std::string sid);

  std::shared_ptr<Counters> counters_;
  std::string sid_;
};

class TrunkUsage {
 public:
  TrunkUsage();

  // A slot when `sid` has fewer than `max_concurrent` calls (0 = unlimited),
  // else nullopt: the caller tries the next trunk of the plan.
  [[nodiscard]] std::optional<TrunkSlot> try_acquire(std::string_view sid, int max_concurrent);
  // Calls currently holding a slot of `sid`.
  std::size_t active(std::string_view sid) const;

 private:
  std::shared_ptr<TrunkSlot::Counters> counters_;
};

// Internal, here so the header stays self-contained for the slot's inline users.
struct TrunkSlot::Counters {
  mutable std::mutex mutex;
  std::unordered_map<std::string, std::size_t> calls;
};

}  // namespace callwire::dial
