#include "sip/message/method.hpp"

namespace callwire::sip {

// Method names are case-sensitive (RFC 3261 §7.1), so a plain compare after
// a switch on the length is all it takes.
Method parse_method(std::string_view t) {
  switch (t.size()) {
    case 3:
      if (t == "ACK") return Method::Ack;
      if (t == "BYE") return Method::Bye;
      break;
    case 4:
      if (t == "INFO") return Method::Info;
      break;
    case 5:
      if (t == "PRACK") return Method::Prack;
      if (t == "REFER") return Method::Refer;
      break;
    case 6:
      if (t == "INVITE") return Method::Invite;
      if (t == "CANCEL") return Method::Cancel;
      if (t == "UPDATE") return Method::Update;
      if (t == "NOTIFY") return Method::Notify;
      break;
    case 7:
      if (t == "OPTIONS") return Method::Options;
      if (t == "MESSAGE") return Method::Message;
      if (t == "PUBLISH") return Method::Publish;
      break;
    case 8:
      if (t == "REGISTER") return Method::Register;
      break;
    case 9:
      if (t == "SUBSCRIBE") return Method::Subscribe;
      break;
  }
  return Method::Unknown;
}

std::string_view method_name(Method m) {
  switch (m) {
    case Method::Unknown: return "";
    case Method::Invite: return "INVITE";
    case Method::Ack: return "ACK";
    case Method::Bye: return "BYE";
    case Method::Cancel: return "CANCEL";
    case Method::Options: return "OPTIONS";
    case Method::Register: return "REGISTER";
    case Method::Info: return "INFO";
    case Method::Update: return "UPDATE";
    case Method::Prack: return "PRACK";
    case Method::Subscribe: return "SUBSCRIBE";
    case Method::Notify: return "NOTIFY";
    case Method::Refer: return "REFER";
    case Method::Message: return "MESSAGE";
    case Method::Publish: return "PUBLISH";
  }
  return "";
}

}  // namespace callwire::sip
