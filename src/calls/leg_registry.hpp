#pragma once
// The dialogs of one worker's outbound legs, so requests inside them (BYE,
// re-INVITE, INFO) reach the leg that placed the call. Only that worker
// touches it.
#include <memory>
#include <unordered_map>

#include "sip/dialog/dialog_id.hpp"

namespace callwire::calls {

class OutboundLeg;

class LegRegistry {
 public:
  void add(const sip::DialogId& id, std::weak_ptr<OutboundLeg> leg) { legs_[id] = std::move(leg); }
  void remove(const sip::DialogId& id) { legs_.erase(id); }
  std::shared_ptr<OutboundLeg> find(const sip::DialogId& id) const {
    auto it = legs_.find(id);
    return it == legs_.end() ? nullptr : it->second.lock();
  }
  std::size_t size() const { return legs_.size(); }

 private:
  std::unordered_map<sip::DialogId, std::weak_ptr<OutboundLeg>, sip::DialogIdHash, sip::DialogIdEqual> legs_;
};

}  // namespace callwire::calls
