// RFC 4475-style torture messages, kept as data files under torture/ (see
// torture/README.md). Every file needs an entry in the tables below, so a new
// file cannot slip in without saying what it must parse to or fail with.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "sip/message/builder.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/message.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"
#include "test_util.hpp"

namespace callwire::sip {
namespace {

namespace fs = std::filesystem;
using Check = std::function<void(const Message&)>;

std::vector<fs::path> files_in(const char* sub) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(CALLWIRE_TEST_DATA) / "torture" / sub))
    if (e.path().extension() == ".sip") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every lazily parsed header of a valid message parses too.
void lazy_headers_parse(const Message& m) {
  for (HeaderId id : {HeaderId::Contact, HeaderId::Route, HeaderId::RecordRoute, HeaderId::From, HeaderId::To}) {
    for (auto v : m.values(id)) {
      if (id == HeaderId::From || id == HeaderId::To) v = m.header(id);
      EXPECT_TRUE(parse_name_addr(v, id == HeaderId::Contact)) << header_name(id) << ": " << v;
    }
  }
  for (auto v : m.values(HeaderId::Via)) EXPECT_TRUE(parse_via(v)) << v;
  if (m.is_request()) {
    EXPECT_TRUE(parse_uri(m.request_uri()));
  }
}

const std::map<std::string, Check>& valid_checks() {
  static const std::map<std::string, Check> checks = {
      {"tortuous_invite",
       [](const Message& m) {
         EXPECT_EQ(m.request_uri(), "sip:carol@lab.example.org;unknownparam");
         EXPECT_EQ(m.to_tag(), "7711xk");
         EXPECT_EQ(m.from_tag(), "zq91a");
         EXPECT_EQ(m.max_forwards(), 42u);
         EXPECT_EQ(m.cseq().number, 31u);
         EXPECT_EQ(m.cseq().method, Method::Invite);
         EXPECT_EQ(m.top_via().host, "192.0.2.9");
         EXPECT_EQ(m.top_via().branch(), "z9hG4bKtw1st");
         EXPECT_EQ(m.values(HeaderId::Via).size(), 3u);
         EXPECT_EQ(m.header(HeaderId::Subject), "");
         EXPECT_TRUE(m.has(HeaderId::Subject));
         EXPECT_EQ(m.header("x-strange-header"), "strange value   continued on the next line");
         EXPECT_EQ(m.header("X-Only-Separators"), ",;,;;,,;");
         auto na = parse_name_addr(m.header(HeaderId::From));
         ASSERT_TRUE(na);
         EXPECT_EQ(unquote(na->display_name), "Carol's \"Friend\" \\");
         auto contact = parse_name_addr(m.values(HeaderId::Contact).at(0));
         ASSERT_TRUE(contact);
         EXPECT_EQ(contact->params.size(), 3u);
         EXPECT_EQ(find_param(contact->params, "q")->value, "0.5");
         EXPECT_EQ(m.body().size(), 152u);
       }},
      {"wide_characters",
       [](const Message& m) {
         EXPECT_EQ(m.method(), Method::Unknown);
         EXPECT_EQ(m.method_token(), "!odd-Method0123456789_*+`.%ok'~");
         auto u = parse_uri(m.request_uri());
         ASSERT_TRUE(u);
         EXPECT_EQ(u->user, "0_weird.USER~(of-course!)&isn't+it$/fine?,/;;*");
         EXPECT_EQ(u->password, "&pass+word=1,quite!*odd$sec~re_t.(shh)");
         EXPECT_EQ(m.from_tag(), "_tok~1'+`*%!-.");
         EXPECT_EQ(m.call_id(), "widechars.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
         EXPECT_EQ(m.max_forwards(), 255u);
         EXPECT_EQ(m.header("extensionHeader-!.%*+_`'~"), "\xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb");
         auto to = parse_name_addr(m.header(HeaderId::To));
         ASSERT_TRUE(to);
         EXPECT_EQ(unquote(to->display_name), std::string("BEL:\x07 NUL:\0 DEL:\x7f", 17));
       }},
      {"escaped_uris",
       [](const Message& m) {
         auto u = parse_uri(m.request_uri());
         ASSERT_TRUE(u);
         EXPECT_EQ(unescape(u->user), "sips:user@example.net");
         EXPECT_EQ(unescape(u->param("custom")->value), "abc");
         auto contact = parse_name_addr(m.header(HeaderId::Contact));
         ASSERT_TRUE(contact);
         EXPECT_EQ(unescape(contact->uri.user), "caller");
         EXPECT_EQ(unescape(contact->uri.params.at(1).value), "value%A");
         auto to = parse_uri(m.header(HeaderId::To));
         auto same = parse_uri("sip:user@example.org");
         ASSERT_TRUE(to && same);
         EXPECT_TRUE(uri_equivalent(*to, *same));
       }},
      {"escaped_nulls",
       [](const Message& m) {
         auto u = parse_name_addr(m.header(HeaderId::To));
         ASSERT_TRUE(u);
         EXPECT_EQ(unescape(u->uri.user), std::string("null-\0-null", 11));
         EXPECT_EQ(m.values(HeaderId::Contact).size(), 2u);
         EXPECT_EQ(m.method(), Method::Register);
       }},
      {"percent_not_escape",
       [](const Message& m) {
         EXPECT_EQ(m.method(), Method::Unknown);  // "RE%47IST%45R" is a token, not REGISTER
         EXPECT_EQ(m.method_token(), "RE%47IST%45R");
         EXPECT_EQ(m.cseq().method_token, "RE%47IST%45R");
       }},
      {"no_lws_display_name",
       [](const Message& m) {
         auto from = parse_name_addr(m.header(HeaderId::From));
         ASSERT_TRUE(from);
         EXPECT_EQ(from->display_name, "someone");
         EXPECT_EQ(m.from_tag(), "4a");
       }},
      {"long_values",
       [](const Message& m) {
         EXPECT_EQ(m.values(HeaderId::Via).size(), 41u);
         EXPECT_EQ(m.top_via().host, "relay40.example.org");
         EXPECT_EQ(m.from_tag().size(), 2u + 180u + 3u);
         EXPECT_EQ(m.call_id().size(), std::string("longvals.one").size() + 150 + 10);
         auto to = parse_name_addr(m.header(HeaderId::To));
         ASSERT_TRUE(to);
         EXPECT_EQ(to->uri.port, 6000);
         EXPECT_EQ(to->uri.params.size(), 3u);
       }},
      {"extra_datagram_bytes",
       [](const Message& m) {
         EXPECT_EQ(m.method(), Method::Register);
         EXPECT_EQ(m.body(), "");
         EXPECT_TRUE(m.bytes().ends_with("Content-Length: 0\r\n\r\n"));
         EXPECT_EQ(m.call_id(), "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
       }},
      {"semicolon_user_part",
       [](const Message& m) {
         auto u = parse_uri(m.request_uri());
         ASSERT_TRUE(u);
         EXPECT_EQ(u->user, "user;par=u%40example.net");
         EXPECT_EQ(u->host, "example.org");
         EXPECT_EQ(m.values(HeaderId::Accept).size(), 6u);
       }},
      {"varied_transports",
       [](const Message& m) {
         auto vias = m.values(HeaderId::Via);
         ASSERT_EQ(vias.size(), 6u);
         const char* expected[] = {"UDP", "SCTP", "TLS", "UNKNOWN", "TCP", "WSS"};
         for (std::size_t i = 0; i < vias.size(); ++i) EXPECT_EQ(parse_via(vias[i])->transport, expected[i]);
       }},
      {"multipart_body",
       [](const Message& m) {
         EXPECT_EQ(m.method(), Method::Message);
         EXPECT_TRUE(m.body().starts_with("--boundary42\r\n"));
         EXPECT_TRUE(m.body().ends_with("--boundary42--\r\n"));
         EXPECT_NE(m.body().find(std::string_view("\0\x01\x02", 3)), std::string_view::npos);
       }},
      {"unusual_reason",
       [](const Message& m) {
         EXPECT_EQ(m.status(), 200);
         EXPECT_TRUE(m.reason_phrase().starts_with("= 2**3 * 5**2 \xd1\x81"));
       }},
      {"empty_reason",
       [](const Message& m) {
         EXPECT_EQ(m.status(), 100);
         EXPECT_EQ(m.reason_phrase(), "");
       }},
      {"unknown_scheme_request_uri",
       [](const Message& m) { EXPECT_EQ(parse_uri(m.request_uri())->scheme, Scheme::Other); }},
      {"unknown_scheme_to_from",
       [](const Message& m) {
         EXPECT_EQ(parse_name_addr(m.header(HeaderId::To))->uri.scheme, Scheme::Other);
         EXPECT_EQ(parse_name_addr(m.header(HeaderId::From))->uri.scheme_text, "http");
         EXPECT_EQ(m.from_tag(), "h77");
       }},
      {"max_forwards_zero", [](const Message& m) { EXPECT_EQ(m.max_forwards(), 0u); }},
      {"unknown_method_and_header",
       [](const Message& m) {
         EXPECT_EQ(m.method_token(), "NEWMETHOD");
         EXPECT_EQ(m.header("newheader"), "newvalue; param=\"quoted, value\", second");
         EXPECT_EQ(m.body(), "abcd");
       }},
      {"ipv6_everywhere",
       [](const Message& m) {
         auto u = parse_uri(m.request_uri());
         ASSERT_TRUE(u);
         EXPECT_TRUE(u->host_is_ipv6);
         EXPECT_EQ(u->host, "2001:db8::10");
         EXPECT_EQ(u->port, 5070);
         EXPECT_EQ(u->param("maddr")->value, "[2001:db8::20]");
         EXPECT_EQ(m.top_via().host, "2001:db8::9:1");
         EXPECT_EQ(m.top_via().port, 6050);
         EXPECT_EQ(m.top_via().received(), "2001:db8::9:255");
         EXPECT_TRUE(m.top_via().has_rport());
         EXPECT_EQ(parse_name_addr(m.header(HeaderId::Contact))->uri.host_port(), "[2001:db8::1:2]:5060");
       }},
      {"ipv6_mapped_and_port",
       [](const Message& m) {
         auto u = parse_uri(m.request_uri());
         ASSERT_TRUE(u);
         EXPECT_EQ(u->host, "::ffff:192.0.2.10");
         EXPECT_EQ(u->port, 5061);
         EXPECT_EQ(m.top_via().host, "::ffff:192.0.2.1");
       }},
      {"sips_scheme",
       [](const Message& m) {
         EXPECT_EQ(parse_uri(m.request_uri())->scheme, Scheme::Sips);
         EXPECT_EQ(parse_name_addr(m.header(HeaderId::From))->uri.scheme, Scheme::Sips);
         EXPECT_EQ(m.top_via().transport, "TLS");
       }},
      {"tel_uri",
       [](const Message& m) {
         auto u = parse_uri(m.request_uri());
         ASSERT_TRUE(u);
         EXPECT_EQ(u->scheme, Scheme::Tel);
         EXPECT_EQ(u->user, "+1-201-555-0123");
         EXPECT_EQ(u->param("ext")->value, "77");
         EXPECT_EQ(m.from_tag(), "t9");
       }},
      {"compact_forms",
       [](const Message& m) {
         EXPECT_EQ(m.method(), Method::Subscribe);
         EXPECT_EQ(m.call_id(), "compact.44x");
         for (HeaderId id : {HeaderId::Contact, HeaderId::Supported, HeaderId::Subject, HeaderId::Event,
                             HeaderId::AllowEvents, HeaderId::ReferTo, HeaderId::ReferredBy, HeaderId::SessionExpires,
                             HeaderId::Identity, HeaderId::AcceptContact, HeaderId::RejectContact,
                             HeaderId::RequestDisposition, HeaderId::ContentEncoding, HeaderId::ContentType})
           EXPECT_TRUE(m.has(id)) << header_name(id);
         EXPECT_EQ(m.header("Identity-Info"), "<https://example.net/cert>;alg=rsa-sha1");
         EXPECT_EQ(m.values(HeaderId::AllowEvents).size(), 2u);
         EXPECT_EQ(m.body(), "ok");
       }},
      {"header_case_variations",
       [](const Message& m) {
         EXPECT_EQ(m.from_tag(), "CaseTag");
         EXPECT_EQ(m.top_via().branch(), "z9hG4bKcase");
         EXPECT_EQ(m.call_id(), "cases.1");
       }},
      {"bare_lf_line_ends",
       [](const Message& m) {
         EXPECT_EQ(m.call_id(), "barelf.1");
         EXPECT_EQ(m.headers().size(), 7u);
       }},
      {"register_contact_params",
       [](const Message& m) {
         auto contacts = m.values(HeaderId::Contact);
         ASSERT_EQ(contacts.size(), 3u);
         auto c0 = parse_name_addr(contacts[0], true);  // addr-spec: unknownparam is a header param
         ASSERT_TRUE(c0);
         EXPECT_TRUE(c0->uri.params.empty());
         EXPECT_EQ(c0->params.size(), 1u);
         auto c1 = parse_name_addr(contacts[1], true);  // in <>: it belongs to the URI
         ASSERT_TRUE(c1);
         EXPECT_EQ(c1->uri.params.size(), 1u);
         EXPECT_EQ(find_param(c1->params, "expires")->value, "65");
         auto c2 = parse_name_addr(contacts[2], true);
         ASSERT_TRUE(c2);
         EXPECT_EQ(unquote(find_param(c2->params, "methods")->value), "INVITE,BYE");
       }},
      {"register_escaped_contact_header",
       [](const Message& m) {
         auto c = parse_name_addr(m.header(HeaderId::Contact));
         ASSERT_TRUE(c);
         ASSERT_EQ(c->uri.headers.size(), 1u);
         EXPECT_EQ(unescape(c->uri.headers[0].value), "<sip:sip.example.org>");
       }},
      {"unknown_content_type",
       [](const Message& m) {
         EXPECT_EQ(m.header(HeaderId::ContentType), "application/nobodyKnowsThis");
         EXPECT_EQ(m.body(), "opaque-stuff!");
       }},
      {"rfc2543_style",
       [](const Message& m) {
         EXPECT_EQ(m.top_via().branch(), "");
         EXPECT_EQ(m.from_tag(), "");
         EXPECT_FALSE(m.max_forwards());
       }},
      {"branch_without_cookie", [](const Message& m) { EXPECT_EQ(m.top_via().branch(), "kdjuw39sk2"); }},
      {"unknown_required_extension",
       [](const Message& m) {
         EXPECT_EQ(m.values(HeaderId::Require).size(), 2u);
         EXPECT_EQ(m.values(HeaderId::ProxyRequire).size(), 2u);
       }},
      {"date_bad_timezone", [](const Message& m) { EXPECT_EQ(m.header(HeaderId::Date), "Fri, 01 Jan 2010 16:00:00 EST"); }},
      {"expires_overlarge_alone", [](const Message& m) { EXPECT_EQ(m.header(HeaderId::Expires), "10000000000000000000"); }},
      {"no_content_length_datagram",
       [](const Message& m) { EXPECT_EQ(m.body(), "the body runs to the end of the datagram"); }},
      {"body_beyond_content_length", [](const Message& m) { EXPECT_EQ(m.body(), "hello"); }},
      {"leading_crlf", [](const Message& m) { EXPECT_EQ(m.method(), Method::Options); }},
      {"response_broadcast_via",
       [](const Message& m) {
         EXPECT_EQ(m.status(), 200);
         EXPECT_EQ(parse_via(m.values(HeaderId::Via).at(1))->host, "255.255.255.255");
       }},
      {"via_lists",
       [](const Message& m) {
         auto vias = m.values(HeaderId::Via);
         ASSERT_EQ(vias.size(), 4u);
         EXPECT_EQ(vias[1], "SIP/2.0/UDP p2.example.org;branch=z9hG4bKl2");
         EXPECT_EQ(parse_via(vias[3])->port, 5080);
         EXPECT_EQ(m.top_via().branch(), "z9hG4bKl1");
       }},
      {"utf8_display_names",
       [](const Message& m) {
         EXPECT_EQ(unquote(parse_name_addr(m.header(HeaderId::To))->display_name), "Jos\xc3\xa9 \"Pepe\" Garc\xc3\xad" "a");
         EXPECT_EQ(m.from_tag(), "u8");
       }},
  };
  return checks;
}

struct Expect {
  int status;
  Errc code;
  // Set when Message::parse accepts the bytes but the lazy parse of this
  // header's values fails: the layer that reads it answers 400.
  HeaderId lazy = HeaderId::Other;
};

const std::map<std::string, Expect>& invalid_expectations() {
  static const std::map<std::string, Expect> e = {
      {"extraneous_separators", {400, Errc::BadVia}},
      {"content_length_larger", {400, Errc::BadContentLength}},
      {"content_length_negative", {400, Errc::BadContentLength}},
      {"scalar_fields_request", {400, Errc::BadHeaderValue}},  // Max-Forwards 300 is seen first
      {"cseq_two_to_the_32", {400, Errc::BadCSeq}},
      {"cseq_two_to_the_31", {400, Errc::BadCSeq}},
      {"max_forwards_300", {400, Errc::BadHeaderValue}},
      {"content_length_huge", {400, Errc::BadContentLength}},
      {"scalar_fields_response", {400, Errc::BadCSeq}},
      {"unterminated_quoted_display", {400, Errc::BadHeaderValue}},
      {"request_uri_in_angle_brackets", {400, Errc::BadUri}},
      {"request_uri_embedded_lws", {400, Errc::BadStartLine}},
      {"request_line_multiple_spaces", {400, Errc::BadStartLine}},
      {"request_line_trailing_spaces", {400, Errc::BadStartLine}},
      {"request_uri_escaped_headers", {400, Errc::BadUri}},
      {"contact_addr_spec_with_headers", {400, Errc::BadHeaderValue, HeaderId::Contact}},
      {"spaces_within_addr_spec", {400, Errc::BadHeaderValue}},
      {"display_name_non_token", {400, Errc::BadHeaderValue}},
      {"unknown_version", {505, Errc::VersionNotSupported}},
      {"cseq_method_mismatch", {400, Errc::BadCSeq}},
      {"unknown_method_cseq_mismatch", {400, Errc::BadCSeq}},
      {"status_code_huge", {400, Errc::BadStartLine}},
      {"status_code_two_digits", {400, Errc::BadStartLine}},
      {"status_code_700", {400, Errc::BadStartLine}},
      {"missing_required_headers", {400, Errc::MissingHeader}},
      {"missing_via", {400, Errc::MissingHeader}},
      {"missing_cseq_response", {400, Errc::MissingHeader}},
      {"duplicate_call_id", {400, Errc::BadHeaderValue}},
      {"duplicate_to", {400, Errc::BadHeaderValue}},
      {"duplicate_from", {400, Errc::BadHeaderValue}},
      {"duplicate_cseq", {400, Errc::BadCSeq}},
      {"duplicate_max_forwards", {400, Errc::BadHeaderValue}},
      {"multiple_content_length", {400, Errc::BadContentLength}},
      {"multiple_values_single_header", {400, Errc::BadHeaderValue}},
      {"via_overlong_port", {400, Errc::BadVia}},
      {"via_missing_host", {400, Errc::BadVia}},
      {"via_bad_protocol", {400, Errc::BadVia}},
      {"via_ipv6_without_brackets", {400, Errc::BadVia}},
      {"via_overlong_host", {400, Errc::BadVia}},
      {"ipv6_unterminated_reference", {400, Errc::BadUri}},
      {"ipv6_bad_groups", {400, Errc::BadUri}},
      {"ipv6_in_from_unbracketed", {400, Errc::BadHeaderValue, HeaderId::From}},
      {"bare_cr_in_header", {400, Errc::BadHeader}},
      {"header_without_colon", {400, Errc::BadHeader}},
      {"nul_in_header_name", {400, Errc::BadHeader}},
      {"tag_with_junk", {400, Errc::BadHeaderValue}},
      {"call_id_with_space", {400, Errc::BadHeaderValue}},
      {"too_many_headers", {400, Errc::TooManyHeaders}},
      {"line_too_long", {400, Errc::LineTooLong}},
      {"message_too_large", {513, Errc::MessageTooLarge}},
  };
  return e;
}

TEST(Torture, ValidMessagesParse) {
  auto files = files_in("valid");
  EXPECT_GE(files.size(), 35u);
  for (const auto& path : files) {
    std::string name = path.stem().string();
    SCOPED_TRACE(name);
    std::string bytes = test::read_file(path.string());
    auto m = Message::parse(bytes);
    ASSERT_TRUE(m) << m.error().detail;
    auto it = valid_checks().find(name);
    ASSERT_NE(it, valid_checks().end()) << "no spot checks for " << name;
    it->second(*m);
    lazy_headers_parse(*m);
    // Stream framing agrees with the datagram parse whenever there is a
    // Content-Length (streams require it).
    if (m->has(HeaderId::ContentLength)) {
      auto f = frame_stream(bytes);
      ASSERT_TRUE(f) << f.error().what();
      // bytes() has folded lines unfolded in place, so compare sizes.
      EXPECT_EQ(f->skip + f->size, m->bytes().size());
    }
  }
  EXPECT_EQ(files.size(), valid_checks().size());
}

TEST(Torture, InvalidMessagesFailWithTheRightStatus) {
  auto files = files_in("invalid");
  EXPECT_GE(files.size(), 40u);
  for (const auto& path : files) {
    std::string name = path.stem().string();
    SCOPED_TRACE(name);
    auto it = invalid_expectations().find(name);
    ASSERT_NE(it, invalid_expectations().end()) << "no expectation for " << name;
    const Expect& ex = it->second;
    std::string bytes = test::read_file(path.string());
    auto m = Message::parse(bytes);
    if (ex.lazy != HeaderId::Other) {
      ASSERT_TRUE(m) << m.error().detail;
      bool failed = false;
      for (auto v : m->values(ex.lazy)) failed = failed || !parse_name_addr(v, ex.lazy == HeaderId::Contact);
      EXPECT_TRUE(failed) << "lazy parse of " << header_name(ex.lazy) << " should fail";
      continue;
    }
    ASSERT_FALSE(m) << "parsed but should fail";
    EXPECT_EQ(m.error().code, make_error_code(ex.code)) << m.error().detail;
    EXPECT_EQ(status_for(m.error()), ex.status) << m.error().detail;
    EXPECT_FALSE(m.error().detail.empty());
    // The error response (if any) carries the status and frames cleanly. It
    // need not re-parse: it echoes the request's (possibly broken) headers.
    if (auto resp = error_response(bytes, m.error())) {
      EXPECT_TRUE(resp->starts_with("SIP/2.0 " + std::to_string(ex.status) + " ")) << *resp;
      auto f = frame_stream(*resp);
      ASSERT_TRUE(f) << *resp;
      EXPECT_EQ(f->size, resp->size());
    }
  }
  EXPECT_EQ(files.size(), invalid_expectations().size());
}

}  // namespace
}  // namespace callwire::sip
