// Credential lists and their credentials (contract §3):
// /2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists[/{Sid}[/Credentials[/{CredentialSid}]]].
#include <fmt/format.h>

#include "api/context.hpp"
#include "api/digest.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

constexpr std::size_t kListNameMax = 64;

// "CredentialList CL… is mapped to domain SD… (and …): remove the mappings first".
ApiError mapped_list_error(const Context& ctx, std::string_view account_sid, std::string_view list_sid,
                           std::string_view kind, std::string_view path) {
  auto mappings = ctx.store.mappings().list_by_list(account_sid, list_sid);
  std::string domains;
  if (mappings) {
    for (const auto& m : *mappings) {
      if (domains.find(m.domain_sid) != std::string::npos) continue;
      if (!domains.empty()) domains += ", ";
      domains += m.domain_sid;
    }
  }
  if (domains.empty()) domains = "a domain";
  return bad_request(fmt::format("{} {} is mapped to {}: delete those mappings first", kind, list_sid, domains),
                     kCodeDomainValidation)
      .error();
}

Reply list_lists(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::credential_lists(scope.target.sid) + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  auto page = read_page<store::CredentialList>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.credential_lists().list(scope.target.sid, pr); });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& l : page->items) items.push_back(credential_list_json(l));
  return http::json_response(
      200, page_envelope(path, {}, *q, "credential_lists", std::move(items), page->has_more, page->last_seq));
}

Reply create_list(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::credential_lists(scope.target.sid) + ".json";
  auto name = required_param(req.form(), "FriendlyName");
  if (!name) return std::unexpected(name.error());
  if (auto ok = check_friendly_name(*name, kListNameMax); !ok) return std::unexpected(ok.error());
  auto count = ctx.store.credential_lists().count(scope.target.sid);
  if (!count) return std::unexpected(from_store(count.error(), path));
  if (*count >= ctx.config.limits.credential_lists_per_account) {
    return bad_request(fmt::format("This account already has the maximum of {} credential lists",
                                   ctx.config.limits.credential_lists_per_account));
  }
  store::CredentialList list;
  list.account_sid = scope.target.sid;
  list.friendly_name = std::move(*name);
  auto created = ctx.store.credential_lists().create(list);
  if (!created) return std::unexpected(from_store(created.error(), path));
  return http::json_response(201, credential_list_json(*created));
}

Reply fetch_list(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "CL");
  if (!sid) return std::unexpected(sid.error());
  auto list = ctx.store.credential_lists().fetch(scope.target.sid, *sid);
  if (!list) return std::unexpected(from_store(list.error(), req.path()));
  return http::json_response(200, credential_list_json(*list));
}

Reply update_list(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "CL");
  if (!sid) return std::unexpected(sid.error());
  auto list = ctx.store.credential_lists().fetch(scope.target.sid, *sid);
  if (!list) return std::unexpected(from_store(list.error(), req.path()));
  auto name = required_param(req.form(), "FriendlyName");
  if (!name) return std::unexpected(name.error());
  if (auto ok = check_friendly_name(*name, kListNameMax); !ok) return std::unexpected(ok.error());
  list->friendly_name = std::move(*name);
  auto updated = ctx.store.credential_lists().update(*list);
  if (!updated) return std::unexpected(from_store(updated.error(), req.path()));
  return http::json_response(200, credential_list_json(*updated));
}

Reply delete_list(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "CL");
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.credential_lists().remove(scope.target.sid, *sid); !ok) {
    if (store::is(ok.error(), store::Errc::ForeignKey)) {
      return std::unexpected(mapped_list_error(ctx, scope.target.sid, *sid, "CredentialList", req.path()));
    }
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  return http::empty_response(204);
}

// --- Credentials -----------------------------------------------------------

// The list of the path, which must exist in the account (404 otherwise).
ApiResult<std::string> parent_list(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "CL");
  if (!sid) return std::unexpected(sid.error());
  auto list = ctx.store.credential_lists().fetch(scope.target.sid, *sid);
  if (!list) return std::unexpected(from_store(list.error(), req.path()));
  return std::move(*sid);
}

Reply list_credentials(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto list_sid = parent_list(ctx, req, scope);
  if (!list_sid) return std::unexpected(list_sid.error());
  const auto path = paths::credential_list(scope.target.sid, *list_sid) + "/Credentials.json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  auto page = read_page<store::Credential>(*q, [&](const store::PageRequest& pr) {
    return ctx.store.credentials().list(scope.target.sid, *list_sid, pr);
  });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : page->items) items.push_back(credential_json(c));
  return http::json_response(
      200, page_envelope(path, {}, *q, "credentials", std::move(items), page->has_more, page->last_seq));
}

Reply create_credential(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto list_sid = parent_list(ctx, req, scope);
  if (!list_sid) return std::unexpected(list_sid.error());
  auto username = required_param(req.form(), "Username");
  if (!username) return std::unexpected(username.error());
  if (auto ok = check_username(*username); !ok) return std::unexpected(ok.error());
  auto password = req.form().get("Password");
  if (!password || password->empty()) return missing_param("Password");
  if (auto ok = check_password(*password); !ok) return std::unexpected(ok.error());

  auto count = ctx.store.credentials().count(scope.target.sid, *list_sid);
  if (!count) return std::unexpected(from_store(count.error(), req.path()));
  if (*count >= ctx.config.limits.credentials_per_list) {
    return bad_request(fmt::format("This credential list already has the maximum of {} credentials",
                                   ctx.config.limits.credentials_per_list));
  }
  store::Credential c;
  c.account_sid = scope.target.sid;
  c.credential_list_sid = *list_sid;
  c.username = std::move(*username);
  c.ha1_md5 = ha1_md5(c.username, ctx.config.realm(), *password);
  c.ha1_sha256 = ha1_sha256(c.username, ctx.config.realm(), *password);
  auto created = ctx.store.credentials().create(c);
  if (!created) {
    if (store::is(created.error(), store::Errc::Conflict)) {
      return bad_request(fmt::format("Username {} already exists in credential list {}", c.username, *list_sid));
    }
    if (store::is(created.error(), store::Errc::ForeignKey)) return not_found(req.path());
    return std::unexpected(from_store(created.error(), req.path()));
  }
  return http::json_response(201, credential_json(*created));
}

ApiResult<store::Credential> fetch_credential_of(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto list_sid = sid_capture(req, "Sid", "CL");
  if (!list_sid) return std::unexpected(list_sid.error());
  auto sid = sid_capture(req, "CredentialSid", "CR");
  if (!sid) return std::unexpected(sid.error());
  auto c = ctx.store.credentials().fetch(scope.target.sid, *list_sid, *sid);
  if (!c) return std::unexpected(from_store(c.error(), req.path()));
  return std::move(*c);
}

Reply fetch_credential(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto c = fetch_credential_of(ctx, req, scope);
  if (!c) return std::unexpected(c.error());
  return http::json_response(200, credential_json(*c));
}

Reply update_credential(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto c = fetch_credential_of(ctx, req, scope);
  if (!c) return std::unexpected(c.error());
  // Only the password changes; the username is immutable (a Username
  // parameter is ignored like any other unknown one).
  auto password = req.form().get("Password");
  if (!password || password->empty()) return missing_param("Password");
  if (auto ok = check_password(*password); !ok) return std::unexpected(ok.error());
  c->ha1_md5 = ha1_md5(c->username, ctx.config.realm(), *password);
  c->ha1_sha256 = ha1_sha256(c->username, ctx.config.realm(), *password);
  auto updated = ctx.store.credentials().update(*c);
  if (!updated) return std::unexpected(from_store(updated.error(), req.path()));
  return http::json_response(200, credential_json(*updated));
}

Reply delete_credential(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto list_sid = sid_capture(req, "Sid", "CL");
  if (!list_sid) return std::unexpected(list_sid.error());
  auto sid = sid_capture(req, "CredentialSid", "CR");
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.credentials().remove(scope.target.sid, *list_sid, *sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  return http::empty_response(204);
}

}  // namespace

void add_credential_list_routes(http::Router& router, const Context& ctx) {
  const std::string base = "/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists";
  router.add(http::Method::Get, base + ".json", with_scope(ctx, Access::Read, list_lists));
  router.add(http::Method::Post, base + ".json", with_scope(ctx, Access::Write, create_list));
  router.add(http::Method::Get, base + "/{Sid}.json", with_scope(ctx, Access::Read, fetch_list));
  router.add(http::Method::Post, base + "/{Sid}.json", with_scope(ctx, Access::Write, update_list));
  router.add(http::Method::Delete, base + "/{Sid}.json", with_scope(ctx, Access::Write, delete_list));
  const std::string creds = base + "/{Sid}/Credentials";
  router.add(http::Method::Get, creds + ".json", with_scope(ctx, Access::Read, list_credentials));
  router.add(http::Method::Post, creds + ".json", with_scope(ctx, Access::Write, create_credential));
  router.add(http::Method::Get, creds + "/{CredentialSid}.json", with_scope(ctx, Access::Read, fetch_credential));
  router.add(http::Method::Post, creds + "/{CredentialSid}.json", with_scope(ctx, Access::Write, update_credential));
  router.add(http::Method::Delete, creds + "/{CredentialSid}.json",
             with_scope(ctx, Access::Write, delete_credential));
}

}  // namespace callwire::api
