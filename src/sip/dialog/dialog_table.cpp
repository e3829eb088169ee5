#include "sip/dialog/dialog_table.hpp"

#include "sip/dialog/dialog_errc.hpp"
#include "sip/message/builder.hpp"

namespace callwire::sip {

Result<Dialog*> DialogTable::insert(Dialog&& dialog) {
  if (dialogs_.find(DialogIdView(dialog.id())) != dialogs_.end())
    return fail(DialogErrc::DialogExists);
  auto owned = std::make_unique<Dialog>(std::move(dialog));
  Dialog* raw = owned.get();
  dialogs_.emplace(raw->id(), std::move(owned));
  by_call_id_[raw->id().call_id].push_back(raw);
  return raw;
}

Dialog* DialogTable::find(DialogIdView id) {
  auto it = dialogs_.find(id);
  return it == dialogs_.end() ? nullptr : it->second.get();
}

Dialog* DialogTable::find_for_request(const Message& request) {
  return find({request.call_id(), request.to_tag(), request.from_tag()});
}

Dialog* DialogTable::find_for_response(const Message& response) {
  return find({response.call_id(), response.from_tag(), response.to_tag()});
}

std::vector<Dialog*> DialogTable::find_all(std::string_view call_id, std::string_view local_tag) {
  std::vector<Dialog*> out;
  auto it = by_call_id_.find(call_id);
  if (it == by_call_id_.end()) return out;
  for (Dialog* d : it->second)
    if (d->local_tag() == local_tag) out.push_back(d);
  return out;
}

bool DialogTable::remove(DialogIdView id) {
  auto it = dialogs_.find(id);
  if (it == dialogs_.end()) return false;
  Dialog* d = it->second.get();
  if (auto c = by_call_id_.find(d->call_id()); c != by_call_id_.end()) {
    std::erase(c->second, d);
    if (c->second.empty()) by_call_id_.erase(c);
  }
  dialogs_.erase(it);
  return true;
}

bool is_in_dialog_request(const Message& request) {
  return request.is_request() && !request.to_tag().empty();
}

std::optional<std::string> no_dialog_response(const Message& request) {
  if (request.method() == Method::Ack) return std::nullopt;  // §12.2.2: nothing to answer
  return rejection(request, Error{make_error_code(DialogErrc::NoDialog)});
}

}  // namespace callwire::sip
