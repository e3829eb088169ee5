#pragma once
// Keys under which transactions are indexed (internal to the layer).
#include <string>
#include <string_view>

#include "sip/message/message.hpp"

namespace callwire::sip {

// RFC 3261 branches start with the magic cookie; anything else is RFC 2543.
bool has_magic_cookie(std::string_view branch);

// §17.2.3 server matching. With the magic cookie: branch, sent-by and
// `method` (INVITE for an ACK, the request's own method otherwise). Without
// it (RFC 2543): Request-URI, From tag, Call-ID, CSeq number, top Via and
// `method`; the To tag is left out so the ACK for a non-2xx (which has the
// response's tag) still finds its INVITE.
std::string server_key(const Message& request, std::string_view method);

// §8.2.2.2 merged-request detection: From tag, Call-ID and CSeq.
std::string merge_key(const Message& request);

// §17.1.3 client matching: top Via branch and CSeq method.
std::string client_key(std::string_view branch, std::string_view cseq_method);

}  // namespace callwire::sip
