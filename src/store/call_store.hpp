#pragma once
// Call logs (contract §11). Written by the call pipeline, read by REST.
// Lists are newest first (descending insertion order, as Twilio lists
// calls); PageRequest::after_seq is then the seq of the last row seen and
// the next page holds older rows.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

// Every set field must match. Time bounds: `*_after` is inclusive
// (time >= bound), `*_before` exclusive (time < bound); a call without that
// time never matches a bound on it. The API turns StartTime=D into
// [D, D+1 day), StartTime>D into after=D, StartTime<D into before=D+1 day.
struct CallFilter {
  std::optional<std::string> to{};
  std::optional<std::string> from{};
  std::optional<std::string> parent_call_sid{};
  std::optional<std::string> status{};
  std::optional<Timestamp> start_after{};
  std::optional<Timestamp> start_before{};
  std::optional<Timestamp> end_after{};
  std::optional<Timestamp> end_before{};
};

class CallStore {
 public:
  virtual ~CallStore() = default;

  // Stores `call` (sid kept when given, else generated). ForeignKey when the
  // account does not exist, Conflict when the sid exists, Invalid for an
  // unknown status.
  [[nodiscard]] virtual Result<Call> create(const Call& call) = 0;
  // Writes every field of (call.account_sid, call.sid) except sid,
  // account_sid and date_created; date_updated becomes now. NotFound when absent.
  [[nodiscard]] virtual Result<Call> update(const Call& call) = 0;
  // Writes the latest state of many calls in one transaction (the call log's
  // batches): each (account_sid, sid) is inserted when new, else every field
  // is written as update() does. Sids must be given. A record that cannot be
  // written is skipped and the others are still committed; the error then
  // counts the skipped ones and carries the first one's code: Conflict when
  // the sid belongs to another account (that row is left unchanged),
  // ForeignKey for an unknown account, Invalid for a bad value. Any other
  // code (Unavailable, Internal) means nothing was written.
  [[nodiscard]] virtual Status save(const std::vector<Call>& calls) = 0;
  // NotFound unless `sid` exists *and* belongs to `account_sid`.
  [[nodiscard]] virtual Result<Call> fetch(std::string_view account_sid, std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<Call>> list(std::string_view account_sid, const CallFilter& filter,
                                                const PageRequest& page) = 0;
  // Deletes the log entry whatever its status (the API refuses live calls).
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
