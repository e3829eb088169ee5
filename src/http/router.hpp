#pragma once
// Method + path-pattern routing. A pattern is a '/'-separated path whose
// segments are literal or hold one "{Name}" capture with optional literal text
// around it, e.g. "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json".
// Segments match exactly (case-sensitive, as Twilio's paths are) after
// percent-decoding; a capture matches one non-empty segment part.
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/method.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace callwire::http {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  // Registers a route. Routes are fixed at startup: a malformed pattern or a
  // duplicate (method, pattern) throws std::invalid_argument.
  void add(Method method, std::string_view pattern, Handler handler);

  // Finds the handler for `request` and stores its captures in it. When no
  // pattern matches the path: 404 (code 20404). When patterns match but none
  // for this method: 405 (code 20004) with an Allow header. When several
  // patterns match, the one with literal text earliest wins, then the first added.
  std::expected<const Handler*, Response> find(Request& request) const;

  // find() and, on a match, the handler. Handler exceptions propagate.
  Response dispatch(Request& request) const;

  std::size_t size() const { return routes_.size(); }

 private:
  struct Segment {
    std::string prefix;   // literal text (the whole segment when !capture)
    std::string name;     // capture name
    std::string suffix;
    bool capture = false;
  };
  struct Route {
    Method method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  std::vector<Route> routes_;
};

}  // namespace callwire::http
