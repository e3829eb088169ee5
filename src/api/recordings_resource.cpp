// Recordings: /2010-04-01/Accounts/{AccountSid}/Recordings and
// /Calls/{CallSid}/Recordings. The media engine writes them; REST lists,
// fetches and deletes them and serves their media as WAV (also without an
// extension, Twilio's default) or MP3. Starting, pausing or stopping a
// recording through REST is not offered (405 20004; docs/compatibility.md,
// Recordings).
#include <fmt/format.h>

#include <system_error>

#include "api/context.hpp"
#include "api/dates.hpp"
#include "api/paging.hpp"
#include "api/recording_media.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/recording_store.hpp"

namespace callwire::api {

namespace {

// The media engine still writes these: a delete now would be undone by its
// next save (an upsert) and leave a row without its file.
bool live(std::string_view status) {
  return status == "in-progress" || status == "paused" || status == "processing";
}

ApiResult<std::optional<std::string>> sid_param(const http::Params& query, const char* name, std::string_view prefix,
                                                http::Params& kept) {
  auto v = query.get(name);
  if (!v) return std::optional<std::string>{};
  auto sid = normalize_sid(*v, prefix);
  if (!sid) return bad_request(fmt::format("Invalid value for {}: expected {} followed by 32 hex digits", name, prefix));
  kept.add(name, std::string(*v));
  return std::optional<std::string>(std::move(*sid));
}

Reply list_page(const Context& ctx, const http::Request& req, const Scope& scope, const std::string& path,
                store::RecordingFilter filter, http::Params kept) {
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  if (auto ok = apply_date_filters(req.query(), "DateCreated", filter.created_after, filter.created_before, kept); !ok)
    return std::unexpected(ok.error());
  auto page = read_page<store::Recording>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.recordings().list(scope.target.sid, filter, pr); });
  if (!page) return std::unexpected(from_store(page.error(), path));
  const auto base = request_base(req);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : page->items) items.push_back(recording_json(k, base));
  return http::json_response(200, page_envelope(path, kept, *q, "recordings", std::move(items), page->has_more,
                                                page->last_seq));
}

Reply list_recordings(const Context& ctx, const http::Request& req, const Scope& scope) {
  http::Params kept;
  store::RecordingFilter f;
  auto call = sid_param(req.query(), "CallSid", "CA", kept);
  if (!call) return std::unexpected(call.error());
  f.call_sid = std::move(*call);
  auto conference = sid_param(req.query(), "ConferenceSid", "CF", kept);
  if (!conference) return std::unexpected(conference.error());
  f.conference_sid = std::move(*conference);
  return list_page(ctx, req, scope, paths::recordings(scope.target.sid) + ".json", std::move(f), std::move(kept));
}

Reply list_call_recordings(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto call = sid_capture(req, "CallSid", "CA");
  if (!call) return std::unexpected(call.error());
  store::RecordingFilter f;
  f.call_sid = *call;
  return list_page(ctx, req, scope, paths::call(scope.target.sid, *call) + "/Recordings.json", std::move(f), {});
}

// The recording the path names; under /Calls/{CallSid} it must be that call's.
ApiResult<store::Recording> find(const Context& ctx, const http::Request& req, const std::string& account_sid) {
  auto sid = sid_capture(req, "Sid", "RE");
  if (!sid) return std::unexpected(sid.error());
  auto k = ctx.store.recordings().fetch(account_sid, *sid);
  if (!k) return std::unexpected(from_store(k.error(), req.path()));
  if (!req.capture("CallSid").empty()) {
    auto call = normalize_sid(req.capture("CallSid"), "CA");
    if (!call || *call != k->call_sid) return not_found(req.path());
  }
  return std::move(*k);
}

Reply fetch_recording(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto k = find(ctx, req, scope.target.sid);
  if (!k) return std::unexpected(k.error());
  return http::json_response(200, recording_json(*k, request_base(req)));
}

Reply delete_recording(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto k = find(ctx, req, scope.target.sid);
  if (!k) return std::unexpected(k.error());
  if (live(k->status)) {
    return bad_request(fmt::format("Recording {} is {}: a recording can only be deleted once it has ended", k->sid,
                                   k->status));
  }
  if (auto ok = ctx.store.recordings().remove(scope.target.sid, k->sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  // The row goes first: a file left behind is only disk space, a row
  // without its file would be a recording that cannot be played. The WAV
  // goes with its cached MP3.
  const auto file = recording_file(ctx.config, *k);
  if (std::string error; !remove_recording_file(file, error)) {
    ctx.log->warn("recording {} deleted but its media remains: {}", k->sid, error);
  }
  ctx.log->info("account {} deleted recording {}", scope.target.sid, k->sid);
  return http::empty_response(204);
}

// GET …/Recordings/{Sid}, {Sid}.wav: the WAV file. Also without
// credentials unless recording_media_require_auth (Twilio's default).
Reply media(const Context& ctx, const http::Request& req, const std::string& account_sid) {
  auto k = find(ctx, req, account_sid);
  if (!k) return std::unexpected(k.error());
  auto bytes = read_recording_file(recording_file(ctx.config, *k));
  if (!bytes) return not_found(req.path());
  http::Response r;
  r.status = 200;
  r.headers.set("Content-Type", "audio/x-wav");
  r.body = std::move(*bytes);
  return r;
}

// GET …/Recordings/{Sid}.mp3: the WAV encoded on first request (on the
// handler pool, like every handler) and cached next to it. A recording
// still being written is encoded as far as it goes and not cached.
Reply mp3_media(const Context& ctx, const http::Request& req, const std::string& account_sid) {
  auto k = find(ctx, req, account_sid);
  if (!k) return std::unexpected(k.error());
  auto mp3 = recording_mp3(recording_file(ctx.config, *k), !live(k->status));
  if (!mp3) {
    if (mp3.error().code == std::errc::no_such_file_or_directory) return not_found(req.path());
    ctx.log->error("recording {}: cannot serve it as MP3: {}", k->sid, mp3.error().what());
    return api_fail(500, kCodeInternal, fmt::format("Recording {} could not be converted to MP3", k->sid));
  }
  if (!mp3->cache_error.empty()) ctx.log->warn("recording {}: MP3 not cached: {}", k->sid, mp3->cache_error);
  if (!mp3->from_cache) ctx.log->debug("recording {} encoded as MP3 ({} bytes)", k->sid, mp3->bytes.size());
  http::Response r;
  r.status = 200;
  r.headers.set("Content-Type", "audio/mpeg");
  r.body = std::move(mp3->bytes);
  return r;
}

Reply not_offered(std::string message, const char* allow) {
  auto r = http::error_response(405, http::kCodeMethodNotAllowed, std::move(message));
  r.headers.set("Allow", allow);
  return r;
}

Reply update_recording(const Context&, const http::Request&, const Scope&) {
  return not_offered("Method not allowed: callwire does not pause, resume or stop recordings through the REST API "
                     "(POST Recordings/{Sid}.json); a recording ends with its <Record> verb",
                     "GET, DELETE");
}

Reply create_call_recording(const Context&, const http::Request&, const Scope&) {
  return not_offered("Method not allowed: callwire does not start recordings through the REST API (POST "
                     "Calls/{CallSid}/Recordings.json); record with the <Record> verb",
                     "GET");
}

using MediaFn = Reply (*)(const Context&, const http::Request&, const std::string&);

// Media routes: without credentials by default; the account is the path's.
http::Handler media_handler(const Context& ctx, MediaFn fn) {
  if (ctx.config.recording_media_require_auth) {
    return with_scope(ctx, Access::Read, [fn](const Context& c, const http::Request& req, const Scope& scope) {
      return fn(c, req, scope.target.sid);
    });
  }
  return [&ctx, fn](const http::Request& req) {
    auto account = normalize_sid(req.capture("AccountSid"), "AC");
    Reply reply = account ? fn(ctx, req, *account) : Reply(not_found(req.path()));
    if (reply) return std::move(*reply);
    return to_response(reply.error());
  };
}

}  // namespace

void add_recording_routes(http::Router& router, const Context& ctx) {
  const std::string account = "/2010-04-01/Accounts/{AccountSid}";
  for (const std::string& base : {account + "/Recordings", account + "/Calls/{CallSid}/Recordings"}) {
    router.add(http::Method::Get, base + "/{Sid}.json", with_scope(ctx, Access::Read, fetch_recording));
    router.add(http::Method::Post, base + "/{Sid}.json", with_scope(ctx, Access::Read, update_recording));
    router.add(http::Method::Delete, base + "/{Sid}.json", with_scope(ctx, Access::Write, delete_recording));
  }
  const std::string base = account + "/Recordings";
  router.add(http::Method::Get, base + ".json", with_scope(ctx, Access::Read, list_recordings));
  router.add(http::Method::Get, base + "/{Sid}", media_handler(ctx, media));
  router.add(http::Method::Get, base + "/{Sid}.wav", media_handler(ctx, media));
  router.add(http::Method::Get, base + "/{Sid}.mp3", media_handler(ctx, mp3_media));
  const std::string calls = account + "/Calls/{CallSid}/Recordings";
  router.add(http::Method::Get, calls + ".json", with_scope(ctx, Access::Read, list_call_recordings));
  router.add(http::Method::Post, calls + ".json", with_scope(ctx, Access::Read, create_call_recording));
}

}  // namespace callwire::api
