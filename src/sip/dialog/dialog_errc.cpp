#include "sip/dialog/dialog_errc.hpp"

#include <cstdlib>

#include "core/random.hpp"
#include "sip/message/builder.hpp"

namespace callwire::sip {

namespace {

class DialogCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sip.dialog"; }
  std::string message(int c) const override {
    switch (static_cast<DialogErrc>(c)) {
      case DialogErrc::NoDialog: return "Call/Transaction Does Not Exist";
      case DialogErrc::CSeqOutOfOrder: return "CSeq out of order";
      case DialogErrc::RequestPending: return "Request Pending";
      case DialogErrc::InviteInProgress: return "Previous INVITE still in progress";
      case DialogErrc::MissingContact: return "Missing Contact";
      case DialogErrc::BadContact: return "Bad Contact";
      case DialogErrc::NotDialogCreating: return "Response does not create a dialog";
      case DialogErrc::DialogExists: return "Dialog already exists";
      case DialogErrc::NeedsDns: return "Next hop needs DNS resolution";
      case DialogErrc::BadTarget: return "Unusable target URI";
    }
    return "Unknown dialog error";
  }
};

}  // namespace

const std::error_category& dialog_category() {
  static const DialogCategory category;
  return category;
}

int dialog_status_for(const Error& e) {
  if (e.code.category() != dialog_category()) return 500;
  switch (static_cast<DialogErrc>(e.code.value())) {
    case DialogErrc::NoDialog: return 481;
    case DialogErrc::RequestPending: return 491;
    case DialogErrc::MissingContact:
    case DialogErrc::BadContact: return 400;
    default: return 500;
  }
}

std::string rejection(const Message& request, const Error& e) {
  int status = dialog_status_for(e);
  // The status's own phrase; the specific cause goes into a Reason header.
  auto b = Builder::response_to(request, status);
  if (e.code == DialogErrc::InviteInProgress) {
    // §14.2: "a randomly chosen value of between 0 and 10 seconds".
    unsigned seconds = std::strtoul(random_hex(4).c_str(), nullptr, 16) % 11;
    b.header(HeaderId::RetryAfter, std::to_string(seconds));
  }
  std::string text = e.what();
  std::string reason = "SIP;cause=" + std::to_string(status) + ";text=\"";
  for (char c : text) {
    if (c == '"' || c == '\\') reason += '\\';
    if (c != '\r' && c != '\n') reason += c;
  }
  reason += '"';
  b.header(HeaderId::Reason, reason);
  return b.build();
}

}  // namespace callwire::sip
