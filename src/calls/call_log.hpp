#pragma once
// Writes call records and debugger alerts to the store from the blocking
// pool, so SIP workers never wait on a disk or a database. Writes of one call
// go through one strand: its create always lands before its updates.
#include <memory>
#include <string>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "store/store.hpp"

namespace callwire::calls {

struct AlertInfo {
  std::string account_sid;
  int error_code = 0;
  std::string log_level = "error";  // error | warning
  std::string message;
  std::string call_sid;
  std::string request_method;
  std::string request_url;
  std::string request_variables;    // form-encoded parameters of the failed request
  std::string response_body;
};

class CallLog {
 public:
  using Strand = boost::asio::strand<boost::asio::thread_pool::executor_type>;

  CallLog(store::Store& store, boost::asio::thread_pool& blocking);

  // A strand for one call's writes.
  Strand strand();
  void create(Strand& strand, store::Call call);
  void update(Strand& strand, store::Call call);
  void alert(AlertInfo alert);

 private:
  store::Store& store_;
  boost::asio::thread_pool& blocking_;
};

}  // namespace callwire::calls
