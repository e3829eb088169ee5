#pragma once
// Debugger alerts (contract §12). Written by the call pipeline, read by the
// Monitor API. Lists are newest first, like call logs (call_store.hpp).
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

// On date_generated: start_date inclusive (>=), end_date exclusive (<).
struct AlertFilter {
  std::optional<std::string> log_level{};
  std::optional<Timestamp> start_date{};
  std::optional<Timestamp> end_date{};
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;

  // Stores `alert` (sid kept when given, else generated; date_generated
  // defaults to now). ForeignKey when the account does not exist, Invalid
  // for an unknown log_level.
  [[nodiscard]] virtual Result<Alert> create(const Alert& alert) = 0;
  // Every field, the fetch-only ones included.
  [[nodiscard]] virtual Result<Alert> fetch(std::string_view account_sid, std::string_view sid) = 0;
  // Items carry every field but request_variables, request_headers,
  // response_body and response_headers, which stay empty (list responses do
  // not show them, and they are the large ones).
  [[nodiscard]] virtual Result<Page<Alert>> list(std::string_view account_sid, const AlertFilter& filter,
                                                 const PageRequest& page) = 0;
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
