#include "calls/inbound_admission.hpp"

#include "core/log.hpp"
#include "sip/message/uri.hpp"

namespace callwire::calls {

sip::Admission InboundAdmission::admit(const sip::Source& src, const sip::Message* message) {
  // Only a new INVITE asks for a domain's services; responses, in-dialog
  // requests and OPTIONS keep-alives go on to the stack's own checks.
  if (message == nullptr || !message->is_request() || message->method() != sip::Method::Invite ||
      !message->to_tag().empty()) {
    return sip::Admission::accept();
  }
  auto verdict = services_.abuse.on_request(src.remote_address, message->header(sip::HeaderId::UserAgent), Clock::now());
  if (verdict != auth::AbuseVerdict::Allow) {
    std::string_view reason = verdict == auth::AbuseVerdict::Blocked ? "blocked"
                              : verdict == auth::AbuseVerdict::Flood ? "flood"
                                                                     : "scanner";
    services_.metrics.admission_drop(reason);
    log::get("calls")->debug("[cid={}] INVITE from {} dropped: {}", message->call_id(), src.remote_address.to_string(),
                             reason);
    return sip::Admission::drop();
  }

  auto uri = sip::parse_uri(message->request_uri());
  if (!uri) return sip::Admission::accept();  // the sanity gate answers it
  auto host = services_.hosts.resolve(uri->host);
  if (!host) return sip::Admission::accept();  // InboundCalls answers 404
  if (auto cached = services_.directory.cached(host->domain_name)) return decide(*cached, src, message->call_id());

  std::size_t worker = services_.pool.current();
  if (worker == net::WorkerPool::npos) worker = 0;
  std::string call_id(message->call_id());
  return sip::Admission::defer([this, worker, src, call_id, name = host->domain_name](sip::Admission::Resume resume) {
    services_.directory.load(name, [this, worker, src, call_id, resume = std::move(resume)](DomainRef domain) {
      services_.pool.post(worker, [this, src, call_id, resume, domain] { resume(decide(domain, src, call_id)); });
    });
  });
}

sip::Admission InboundAdmission::decide(const DomainRef& domain, const sip::Source& src, std::string_view call_id) {
  if (!domain || domain->auth.call_ip_acl_sids.empty()) return sip::Admission::accept();
  if (domain->ips.contains(src.remote_address)) return sip::Admission::accept();
  services_.metrics.admission_drop("ip_acl");
  log::get("calls")->debug("[cid={}] INVITE for {} from {}: not in its IP ACLs", call_id,
                           domain->auth.domain.domain_name, src.remote_address.to_string());
  if (!services_.config.acl_miss_answers_403) return sip::Admission::drop();
  auto answer = sip::Admission::reject(403, "Forbidden");
  answer.headers.emplace_back("X-Twilio-Error", "32201 Authentication failure - source IP Address not in ACL");
  return answer;
}

}  // namespace callwire::calls
