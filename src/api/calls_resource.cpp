// Call logs (contract §11): /2010-04-01/Accounts/{AccountSid}/Calls. Calls
// are written by the call pipeline; REST lists, fetches and deletes them.
// Outbound creation and live updates are not offered (docs/compatibility.md
// §11): those POSTs answer 405 20004 with a message saying so.
#include <fmt/format.h>

#include <algorithm>

#include "api/context.hpp"
#include "api/dates.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/call_store.hpp"

namespace callwire::api {

namespace {

// Deleting the log of a call that is still up would leave the pipeline
// updating a row that no longer exists; Twilio refuses it as well.
inline constexpr int kCodeInvalidCallState = 21220;

bool live(std::string_view status) { return status == "queued" || status == "ringing" || status == "in-progress"; }

ApiResult<store::CallFilter> parse_filter(const http::Params& query, http::Params& kept) {
  store::CallFilter f;
  struct Text {
    const char* param;
    std::optional<std::string>* field;
  };
  const Text texts[] = {{"To", &f.to}, {"From", &f.from}, {"ParentCallSid", &f.parent_call_sid}, {"Status", &f.status}};
  for (const auto& t : texts) {
    if (auto v = query.get(t.param)) {
      *t.field = std::string(*v);
      kept.add(t.param, std::string(*v));
    }
  }
  if (f.status) {
    const bool known = std::any_of(std::begin(store::kCallStatuses), std::end(store::kCallStatuses),
                                   [&](const char* s) { return *f.status == s; });
    if (!known) {
      return bad_request(fmt::format("Invalid value for Status: {} is not one of queued, ringing, in-progress, "
                                     "completed, busy, failed, no-answer, canceled",
                                     *f.status));
    }
  }
  if (f.parent_call_sid) {
    auto sid = normalize_sid(*f.parent_call_sid, "CA");
    if (!sid) return bad_request("Invalid value for ParentCallSid: expected CA followed by 32 hex digits");
    f.parent_call_sid = std::move(*sid);
  }
  if (auto ok = apply_date_filters(query, "StartTime", f.start_after, f.start_before, kept); !ok)
    return std::unexpected(ok.error());
  if (auto ok = apply_date_filters(query, "EndTime", f.end_after, f.end_before, kept); !ok)
    return std::unexpected(ok.error());
  return f;
}

Reply list_calls(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::calls(scope.target.sid) + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  http::Params kept;
  auto filter = parse_filter(req.query(), kept);
  if (!filter) return std::unexpected(filter.error());
  auto page = read_page<store::Call>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.calls().list(scope.target.sid, *filter, pr); });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : page->items) items.push_back(call_json(c));
  return http::json_response(200, page_envelope(path, kept, *q, "calls", std::move(items), page->has_more,
                                                page->last_seq));
}

Reply fetch_call(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "CA");
  if (!sid) return std::unexpected(sid.error());
  auto c = ctx.store.calls().fetch(scope.target.sid, *sid);
  if (!c) return std::unexpected(from_store(c.error(), req.path()));
  return http::json_response(200, call_json(*c));
}

Reply delete_call(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "CA");
  if (!sid) return std::unexpected(sid.error());
  auto c = ctx.store.calls().fetch(scope.target.sid, *sid);
  if (!c) return std::unexpected(from_store(c.error(), req.path()));
  if (live(c->status)) {
    return bad_request(fmt::format("Call {} is {}: a call's log can only be deleted once the call has ended", c->sid,
                                   c->status),
                       kCodeInvalidCallState);
  }
  if (auto ok = ctx.store.calls().remove(scope.target.sid, *sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  ctx.log->info("account {} deleted call log {}", scope.target.sid, *sid);
  return http::empty_response(204);
}

// Outbound calls and live-call control need the media and dialing side.
Reply not_offered(std::string message, const char* allow) {
  auto r = http::error_response(405, http::kCodeMethodNotAllowed, std::move(message));
  r.headers.set("Allow", allow);
  return r;
}

Reply create_call(const Context&, const http::Request&, const Scope&) {
  return not_offered("Method not allowed: callwire does not place outbound calls (POST Calls.json); it logs the "
                     "inbound calls of its SIP domains",
                     "GET");
}

Reply update_call(const Context&, const http::Request&, const Scope&) {
  return not_offered("Method not allowed: callwire does not modify live calls through the REST API (POST "
                     "Calls/{Sid}.json); end or redirect a call with TwiML",
                     "GET, DELETE");
}

}  // namespace

void add_call_routes(http::Router& router, const Context& ctx) {
  const std::string base = "/2010-04-01/Accounts/{AccountSid}/Calls";
  router.add(http::Method::Get, base + ".json", with_scope(ctx, Access::Read, list_calls));
  router.add(http::Method::Post, base + ".json", with_scope(ctx, Access::Read, create_call));
  router.add(http::Method::Get, base + "/{Sid}.json", with_scope(ctx, Access::Read, fetch_call));
  router.add(http::Method::Post, base + "/{Sid}.json", with_scope(ctx, Access::Read, update_call));
  router.add(http::Method::Delete, base + "/{Sid}.json", with_scope(ctx, Access::Write, delete_call));
}

}  // namespace callwire::api
