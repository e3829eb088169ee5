#pragma once
// Built-in Twimlets (contract 13.2), served by the REST API's HTTP server
// without credentials, as twimlets.com serves them: a voice URL can point
// at http://<callwire>/twimlets/message?Message[0]=... with no app behind it.
#include <string>

#include "http/params.hpp"
#include "http/router.hpp"

namespace callwire::api {

// The `message` twimlet's TwiML: each Message value (plain `Message`
// values first, then `Message[N]` by N), trimmed; one starting with "http"
// (any case) becomes <Play>, any other non-empty one <Say>. Parameters come
// from the query and, for a POST, the form body.
std::string message_twimlet(const http::Params& query, const http::Params& form);

// GET and POST /twimlets/message.
void add_twimlet_routes(http::Router& router);

}  // namespace callwire::api
