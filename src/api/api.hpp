#pragma once
// callwire's Twilio-compatible REST API (version 2010-04-01): accounts and
// sub-accounts, SIP domains, credential lists, IP access control lists and
// the domain auth mappings, call logs (Calls.json) and Monitor alerts
// (/v1/Alerts). Handlers call the store synchronously, so the
// router must be run by http::Server, whose handlers run on a blocking pool.
#include <memory>

#include "api/api_config.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace callwire::api {

struct Context;

class Api {
 public:
  // `store` must outlive the Api and every router it made.
  Api(store::Store& store, ApiConfig config);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Registers every route of the API on `router`. Handlers keep a reference to
  // this Api: it must outlive the router (and the server running it).
  void add_routes(http::Router& router) const;
  http::Router make_router() const;

  const ApiConfig& config() const;

 private:
  std::unique_ptr<Context> ctx_;
};

}  // namespace callwire::api
