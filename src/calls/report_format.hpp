#pragma once
// How calls write times and parameters into records, callbacks and alerts.
#include <chrono>
#include <string>

#include "calls/invite_facts.hpp"
#include "store/models.hpp"

namespace callwire::calls {

// RFC 2822 date, always GMT: a status callback's Timestamp.
std::string rfc2822(std::chrono::system_clock::time_point t);
// The current time, whole seconds: what call records keep.
store::Timestamp now_seconds();
// "k=v&k=v" of the parameters a failed request carried (an alert's request_variables).
std::string form_summary(const Params& params);

}  // namespace callwire::calls
