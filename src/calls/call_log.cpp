#include "calls/call_log.hpp"

#include <boost/asio/post.hpp>

#include "core/log.hpp"
#include "core/sid.hpp"

namespace callwire::calls {
namespace {

// Contract 12: alert_text is a URL-encoded key=value summary.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

CallLog::CallLog(store::Store& store, boost::asio::thread_pool& blocking) : store_(store), blocking_(blocking) {}

CallLog::Strand CallLog::strand() { return boost::asio::make_strand(blocking_.get_executor()); }

void CallLog::create(Strand& strand, store::Call call) {
  boost::asio::post(strand, [this, call = std::move(call)] {
    if (auto r = store_.calls().create(call); !r) {
      log::get("calls")->error("[cid={}] call {} not recorded: {}", call.sip_call_id, call.sid, r.error().what());
    }
  });
}

void CallLog::update(Strand& strand, store::Call call) {
  boost::asio::post(strand, [this, call = std::move(call)] {
    if (auto r = store_.calls().update(call); !r) {
      log::get("calls")->error("[cid={}] call {} update not recorded: {}", call.sip_call_id, call.sid,
                               r.error().what());
    }
  });
}

void CallLog::alert(AlertInfo info) {
  boost::asio::post(blocking_, [this, info = std::move(info)] {
    store::Alert a;
    a.sid = make_sid("NO");
    a.account_sid = info.account_sid;
    a.error_code = std::to_string(info.error_code);
    a.log_level = info.log_level;
    a.alert_text = "Msg=" + percent_encode(info.message);
    if (!info.request_url.empty()) a.alert_text += "&url=" + percent_encode(info.request_url);
    a.more_info = "https://www.twilio.com/docs/errors/" + a.error_code;
    a.request_method = info.request_method;
    a.request_url = info.request_url;
    if (!info.call_sid.empty()) a.resource_sid = info.call_sid;
    a.request_variables = info.request_variables;
    a.response_body = info.response_body;
    if (auto r = store_.alerts().create(a); !r) {
      log::get("calls")->error("alert {} for {} not recorded: {}", a.error_code, info.call_sid, r.error().what());
    }
  });
}

}  // namespace callwire::calls
