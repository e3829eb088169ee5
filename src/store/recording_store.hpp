#pragma once
// Call recordings. Written by the media engine (the row as the recording
// starts and again when it ends), read and deleted by REST. Lists are
// newest first, like call logs (call_store.hpp). Writes never move
// Store::generation().
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"

namespace callwire::store {

// Every set field must match. On date_created: `created_after` inclusive
// (>=), `created_before` exclusive (<). The API turns DateCreated=D into
// [D, D+1 day), DateCreated>D into after=D, DateCreated<D into before=D+1 day.
struct RecordingFilter {
  std::optional<std::string> call_sid{};
  std::optional<std::string> conference_sid{};
  std::optional<Timestamp> created_after{};
  std::optional<Timestamp> created_before{};
};

class RecordingStore {
 public:
  virtual ~RecordingStore() = default;

  // Insert-or-update by sid (the media engine saves the row when recording
  // starts and again when it ends). A new row gets a generated sid when
  // empty and date_created = now; an existing one keeps sid, account_sid and
  // date_created and has every other field written. date_updated = now.
  // ForeignKey for an unknown account, Conflict when the sid belongs to
  // another account, Invalid for an unknown status or empty call_sid.
  [[nodiscard]] virtual Result<Recording> save(const Recording& recording) = 0;
  // NotFound unless `sid` exists *and* belongs to `account_sid`.
  [[nodiscard]] virtual Result<Recording> fetch(std::string_view account_sid, std::string_view sid) = 0;
  [[nodiscard]] virtual Result<Page<Recording>> list(std::string_view account_sid, const RecordingFilter& filter,
                                                     const PageRequest& page) = 0;
  // The recordings of one call (list() with only call_sid set).
  [[nodiscard]] virtual Result<Page<Recording>> list_by_call(std::string_view account_sid, std::string_view call_sid,
                                                             const PageRequest& page) = 0;
  // Deletes the row only; the caller removes the media file.
  [[nodiscard]] virtual Status remove(std::string_view account_sid, std::string_view sid) = 0;
};

}  // namespace callwire::store
