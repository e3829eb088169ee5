#pragma once
// A parsed SIP message. It owns its bytes in a heap block that never moves,
// and every view it hands out points into that block (zero-copy). What every
// message needs (start line, header split, Call-ID, CSeq, top Via, From/To
// tags, Content-Length, body) is parsed eagerly; URIs and other headers are
// parsed on demand with parse_uri / parse_name_addr / parse_via.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "sip/message/header_id.hpp"
#include "sip/message/method.hpp"
#include "sip/message/via.hpp"

namespace callwire::sip {

struct ParseLimits {
  std::size_t max_message_size = 65535;  // bytes, headers + body
  std::size_t max_headers = 128;
  std::size_t max_line_length = 8192;    // one header line, after unfolding
};

struct Header {
  HeaderId id = HeaderId::Other;
  std::string_view name;   // as written
  std::string_view value;  // LWS-trimmed; folded lines unfolded in place
};

struct CSeq {
  std::uint32_t number = 0;
  Method method = Method::Unknown;
  std::string_view method_token;
};

class Message {
 public:
  // Parses one complete message (datagram, or one framed stream message).
  // Fails with an Errc whose status_for() says how to answer. Line ends may
  // be CRLF or bare LF; a bare CR is an error. From/To are checked for
  // name-addr structure and tags; their URIs are parsed lazily.
  [[nodiscard]] static Result<Message> parse(std::string_view bytes, const ParseLimits& limits = {});

  // Message::parse builds messages; ParserTag (private) keeps this
  // constructor its own, while letting it build one inside a Result.
  class ParserTag {
    friend class Parser;
    ParserTag() = default;
  };
  explicit Message(ParserTag) {}

  Message(Message&&) noexcept = default;
  Message& operator=(Message&&) noexcept = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  bool is_request() const { return status_ == 0; }
  bool is_response() const { return status_ != 0; }

  // Requests.
  Method method() const { return method_; }
  std::string_view method_token() const { return method_token_; }
  std::string_view request_uri() const { return request_uri_; }  // raw; parse_uri() it

  // Responses.
  int status() const { return status_; }
  std::string_view reason_phrase() const { return reason_; }

  std::span<const Header> headers() const { return {headers_, header_count_}; }
  // First header with this id (Other: by name, case-insensitive); "" if none.
  std::string_view header(HeaderId id) const;
  std::string_view header(std::string_view name) const;
  bool has(HeaderId id) const;
  // Every element of every header with this id, split at top-level commas.
  // Headers whose grammar is not a list (Authorization, WWW-Authenticate,
  // Date, From, To, Call-ID, CSeq, Subject, User-Agent, ...) yield each
  // header value whole.
  std::vector<std::string_view> values(HeaderId id) const;

  // Eager fields, valid whenever parse() succeeded.
  std::string_view call_id() const { return call_id_; }
  const CSeq& cseq() const { return cseq_; }
  const Via& top_via() const { return top_via_; }
  std::string_view from_tag() const { return from_tag_; }
  std::string_view to_tag() const { return to_tag_; }
  std::optional<std::uint32_t> max_forwards() const { return max_forwards_; }
  std::string_view body() const { return body_; }

  // The owned copy: folded lines already unfolded in place (CR LF turned
  // into spaces), and for a datagram anything past Content-Length dropped.
  std::string_view bytes() const { return {bytes_, size_}; }

 private:
  Message() = default;
  friend class Parser;

  // One heap block holds the header array (room for the usual count), then
  // the bytes, a NUL and zero padding, so the parser's 16-byte loads never
  // leave it. More headers than fit move to spill_. Blocks of the usual
  // size are recycled per thread (block_pool.hpp).
  struct BlockDeleter {
    bool pooled;  // value-initialised (false) in an empty unique_ptr
    void operator()(char* block) const noexcept;
  };
  std::unique_ptr<char[], BlockDeleter> data_;
  const char* bytes_ = nullptr;
  std::size_t size_ = 0;
  Header* headers_ = nullptr;
  std::uint32_t header_count_ = 0;
  std::uint32_t header_capacity_ = 0;
  std::vector<Header> spill_;
  int status_ = 0;
  Method method_ = Method::Unknown;
  std::string_view method_token_, request_uri_, reason_;
  std::string_view call_id_, from_tag_, to_tag_, body_;
  CSeq cseq_;
  Via top_via_;
  std::optional<std::uint32_t> max_forwards_;
};

// Stream framing (TCP/TLS, RFC 3261 §18.3): the size of the first complete
// message in `buffer` (headers + Content-Length body), skipping leading CRLF
// keep-alives into `skip`. Errc::Incomplete when more bytes are needed; other
// errors mean the stream cannot be framed and must be closed. Each call
// scans `buffer` from its start: a connection calling it as bytes arrive
// should keep a MessageFramer (message_framer.hpp), which resumes instead.
struct Frame {
  std::size_t skip = 0;  // leading CRLFs to discard
  std::size_t size = 0;  // message bytes after the skip
};
[[nodiscard]] Result<Frame> frame_stream(std::string_view buffer, const ParseLimits& limits = {});

// The number of leading CRLF (or bare LF) keep-alive bytes in `buffer`. A
// RFC 5626 §4.4.1 ping is "\r\n\r\n" and is answered with "\r\n".
// frame_stream() skips these itself; a buffer holding nothing else is
// Incomplete there, so a transport that answers pings asks here first.
std::size_t keepalive_prefix(std::string_view buffer);

}  // namespace callwire::sip
