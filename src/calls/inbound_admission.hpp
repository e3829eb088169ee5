#pragma once
// The admission policy for calls (contract 8.3 step 4, issue: abuse): runs
// on every received message before the stack answers anything. A new INVITE
// from a blocked, flooding or scanner source, or from an address outside the
// domain's mapped IP ACLs, is dropped without any reply (or, as an option,
// the ACL miss is answered 403 with X-Twilio-Error 32201). When the domain is
// not cached the verdict is deferred until it is loaded off the I/O thread.
#include "calls/call_services.hpp"
#include "sip/stack/admission.hpp"

namespace callwire::calls {

class InboundAdmission final : public sip::AdmissionHook {
 public:
  explicit InboundAdmission(CallServices& services) : services_(services) {}
  sip::Admission admit(const sip::Source& src, const sip::Message* message) override;

 private:
  sip::Admission decide(const DomainRef& domain, const sip::Source& src, std::string_view call_id);

  CallServices& services_;
};

}  // namespace callwire::calls
