// IP access control lists and their addresses (contract §4):
// /2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists[/{Sid}[/IpAddresses[/{IpAddressSid}]]].
#include <fmt/format.h>

#include "api/context.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

constexpr std::size_t kAclNameMax = 255;

Reply list_acls(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::ip_acls(scope.target.sid) + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  auto page = read_page<store::IpAccessControlList>(*q, [&](const store::PageRequest& pr) {
    return ctx.store.ip_access_control_lists().list(scope.target.sid, pr);
  });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& l : page->items) items.push_back(ip_acl_json(l));
  return http::json_response(
      200, page_envelope(path, {}, *q, "ip_access_control_lists", std::move(items), page->has_more, page->last_seq));
}

Reply create_acl(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::ip_acls(scope.target.sid) + ".json";
  auto name = required_param(req.form(), "FriendlyName");
  if (!name) return std::unexpected(name.error());
  if (auto ok = check_friendly_name(*name, kAclNameMax); !ok) return std::unexpected(ok.error());
  auto count = ctx.store.ip_access_control_lists().count(scope.target.sid);
  if (!count) return std::unexpected(from_store(count.error(), path));
  if (*count >= ctx.config.limits.ip_access_control_lists_per_account) {
    return bad_request(fmt::format("This account already has the maximum of {} IP access control lists",
                                   ctx.config.limits.ip_access_control_lists_per_account));
  }
  store::IpAccessControlList list;
  list.account_sid = scope.target.sid;
  list.friendly_name = std::move(*name);
  auto created = ctx.store.ip_access_control_lists().create(list);
  if (!created) return std::unexpected(from_store(created.error(), path));
  return http::json_response(201, ip_acl_json(*created));
}

Reply fetch_acl(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "AL");
  if (!sid) return std::unexpected(sid.error());
  auto list = ctx.store.ip_access_control_lists().fetch(scope.target.sid, *sid);
  if (!list) return std::unexpected(from_store(list.error(), req.path()));
  return http::json_response(200, ip_acl_json(*list));
}

Reply update_acl(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "AL");
  if (!sid) return std::unexpected(sid.error());
  auto list = ctx.store.ip_access_control_lists().fetch(scope.target.sid, *sid);
  if (!list) return std::unexpected(from_store(list.error(), req.path()));
  auto name = required_param(req.form(), "FriendlyName");
  if (!name) return std::unexpected(name.error());
  if (auto ok = check_friendly_name(*name, kAclNameMax); !ok) return std::unexpected(ok.error());
  list->friendly_name = std::move(*name);
  auto updated = ctx.store.ip_access_control_lists().update(*list);
  if (!updated) return std::unexpected(from_store(updated.error(), req.path()));
  return http::json_response(200, ip_acl_json(*updated));
}

Reply delete_acl(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "AL");
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.ip_access_control_lists().remove(scope.target.sid, *sid); !ok) {
    if (store::is(ok.error(), store::Errc::ForeignKey)) {
      auto mappings = ctx.store.mappings().list_by_list(scope.target.sid, *sid);
      std::string domains;
      if (mappings) {
        for (const auto& m : *mappings) domains += (domains.empty() ? "" : ", ") + m.domain_sid;
      }
      return bad_request(fmt::format("IpAccessControlList {} is mapped to {}: delete those mappings first", *sid,
                                     domains.empty() ? std::string("a domain") : domains),
                         kCodeDomainValidation);
    }
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  return http::empty_response(204);
}

// --- IP addresses ----------------------------------------------------------

ApiResult<std::string> parent_acl(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "AL");
  if (!sid) return std::unexpected(sid.error());
  auto list = ctx.store.ip_access_control_lists().fetch(scope.target.sid, *sid);
  if (!list) return std::unexpected(from_store(list.error(), req.path()));
  return std::move(*sid);
}

Reply list_addresses(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto acl = parent_acl(ctx, req, scope);
  if (!acl) return std::unexpected(acl.error());
  const auto path = paths::ip_acl(scope.target.sid, *acl) + "/IpAddresses.json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  auto page = read_page<store::IpAddress>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.ip_addresses().list(scope.target.sid, *acl, pr); });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : page->items) items.push_back(ip_address_json(a));
  return http::json_response(
      200, page_envelope(path, {}, *q, "ip_addresses", std::move(items), page->has_more, page->last_seq));
}

// FriendlyName, IpAddress and CidrPrefixLength from the form into `a`; the
// prefix is checked against the (possibly new) address family.
ApiResult<void> apply_address_params(const http::Params& form, store::IpAddress& a) {
  if (auto v = form.get("FriendlyName")) {
    if (v->empty()) return missing_param("FriendlyName");
    if (auto ok = check_friendly_name(*v, kAclNameMax); !ok) return ok;
    a.friendly_name = std::string(*v);
  }
  bool v6 = a.ip_address.find(':') != std::string::npos;
  if (auto v = form.get("IpAddress")) {
    auto ip = parse_ip_literal(*v);
    if (!ip) return std::unexpected(ip.error());
    a.ip_address = std::move(ip->text);
    v6 = ip->v6;
  }
  if (auto v = form.get("CidrPrefixLength")) {
    auto prefix = parse_cidr_prefix(*v, v6);
    if (!prefix) return std::unexpected(prefix.error());
    a.cidr_prefix_length = *prefix;
  }
  return check_cidr_prefix(a.cidr_prefix_length, v6);
}

Reply create_address(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto acl = parent_acl(ctx, req, scope);
  if (!acl) return std::unexpected(acl.error());
  if (auto ok = required_param(req.form(), "FriendlyName"); !ok) return std::unexpected(ok.error());
  if (auto ok = required_param(req.form(), "IpAddress"); !ok) return std::unexpected(ok.error());
  store::IpAddress a;
  a.account_sid = scope.target.sid;
  a.ip_access_control_list_sid = *acl;
  if (auto ok = apply_address_params(req.form(), a); !ok) return std::unexpected(ok.error());
  auto count = ctx.store.ip_addresses().count(scope.target.sid, *acl);
  if (!count) return std::unexpected(from_store(count.error(), req.path()));
  if (*count >= ctx.config.limits.ip_addresses_per_list) {
    return bad_request(fmt::format("This IP access control list already has the maximum of {} addresses",
                                   ctx.config.limits.ip_addresses_per_list));
  }
  auto created = ctx.store.ip_addresses().create(a);
  if (!created) {
    if (store::is(created.error(), store::Errc::ForeignKey)) return not_found(req.path());
    return std::unexpected(from_store(created.error(), req.path()));
  }
  return http::json_response(201, ip_address_json(*created));
}

ApiResult<store::IpAddress> fetch_address_of(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto acl = sid_capture(req, "Sid", "AL");
  if (!acl) return std::unexpected(acl.error());
  auto sid = sid_capture(req, "IpAddressSid", "IP");
  if (!sid) return std::unexpected(sid.error());
  auto a = ctx.store.ip_addresses().fetch(scope.target.sid, *acl, *sid);
  if (!a) return std::unexpected(from_store(a.error(), req.path()));
  return std::move(*a);
}

Reply fetch_address(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto a = fetch_address_of(ctx, req, scope);
  if (!a) return std::unexpected(a.error());
  return http::json_response(200, ip_address_json(*a));
}

Reply update_address(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto a = fetch_address_of(ctx, req, scope);
  if (!a) return std::unexpected(a.error());
  if (auto ok = apply_address_params(req.form(), *a); !ok) return std::unexpected(ok.error());
  auto updated = ctx.store.ip_addresses().update(*a);
  if (!updated) return std::unexpected(from_store(updated.error(), req.path()));
  return http::json_response(200, ip_address_json(*updated));
}

Reply delete_address(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto acl = sid_capture(req, "Sid", "AL");
  if (!acl) return std::unexpected(acl.error());
  auto sid = sid_capture(req, "IpAddressSid", "IP");
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.ip_addresses().remove(scope.target.sid, *acl, *sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  return http::empty_response(204);
}

}  // namespace

void add_ip_acl_routes(http::Router& router, const Context& ctx) {
  const std::string base = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists";
  router.add(http::Method::Get, base + ".json", with_scope(ctx, Access::Read, list_acls));
  router.add(http::Method::Post, base + ".json", with_scope(ctx, Access::Write, create_acl));
  router.add(http::Method::Get, base + "/{Sid}.json", with_scope(ctx, Access::Read, fetch_acl));
  router.add(http::Method::Post, base + "/{Sid}.json", with_scope(ctx, Access::Write, update_acl));
  router.add(http::Method::Delete, base + "/{Sid}.json", with_scope(ctx, Access::Write, delete_acl));
  const std::string addrs = base + "/{Sid}/IpAddresses";
  router.add(http::Method::Get, addrs + ".json", with_scope(ctx, Access::Read, list_addresses));
  router.add(http::Method::Post, addrs + ".json", with_scope(ctx, Access::Write, create_address));
  router.add(http::Method::Get, addrs + "/{IpAddressSid}.json", with_scope(ctx, Access::Read, fetch_address));
  router.add(http::Method::Post, addrs + "/{IpAddressSid}.json", with_scope(ctx, Access::Write, update_address));
  router.add(http::Method::Delete, addrs + "/{IpAddressSid}.json", with_scope(ctx, Access::Write, delete_address));
}

}  // namespace callwire::api
