#pragma once
// The dialogs of one worker, keyed by (Call-ID, local tag, remote tag). No
// locks: a call and its dialogs live on one worker. The table owns each
// Dialog; callers keep a DialogId and look the dialog up again.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_id.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

class DialogTable {
 public:
  // Takes the dialog; DialogExists when its id is taken.
  [[nodiscard]] Result<Dialog*> insert(Dialog&& dialog);
  Dialog* find(DialogIdView id);
  // The dialog a received request belongs to: Call-ID, To tag = local tag,
  // From tag = remote tag (§12.2.2).
  Dialog* find_for_request(const Message& request);
  // The dialog a received response belongs to: Call-ID, From tag = local
  // tag, To tag = remote tag (§12.2.1.2).
  Dialog* find_for_response(const Message& response);
  // Every dialog of one Call-ID and local tag: the forked early dialogs of
  // one INVITE we sent.
  std::vector<Dialog*> find_all(std::string_view call_id, std::string_view local_tag);
  // Whether a dialog was removed.
  bool remove(DialogIdView id);
  std::size_t size() const { return dialogs_.size(); }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<DialogId, std::unique_ptr<Dialog>, DialogIdHash, DialogIdEqual> dialogs_;
  // Call-ID → its dialogs (usually one; more when an INVITE forked).
  std::unordered_map<std::string, std::vector<Dialog*>, StringHash, std::equal_to<>> by_call_id_;
};

// A request that claims to be in a dialog: it has a To tag (§12.2).
bool is_in_dialog_request(const Message& request);

// For an in-dialog request with no dialog (§12.2.2): the 481 Call/Transaction
// Does Not Exist to send, or nullopt for an ACK, which is dropped silently.
std::optional<std::string> no_dialog_response(const Message& request);

}  // namespace callwire::sip
