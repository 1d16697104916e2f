// Private to server/src/http: the parts of the HTTP adapter that need no Beast or Asio (target
// parsing, response validation and serialization of the response head). Kept apart so they stay
// cheap to compile and easy to test.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cutroom/status.h"
#include "http/http_server.h"

namespace cutroom::server::http::internal {

struct ParsedTarget {
  std::string path;                                        // percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, '+' = space
};

// Splits a request target into its decoded path and query. Accepts origin-form ("/a?b=c"),
// absolute-form ("http://host/a?b=c", path from after the authority) and asterisk-form ("*").
// InvalidArgument for any other form or a bad escape.
Result<ParsedTarget> ParseTarget(std::string_view target);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view text);
// True when the comma-separated header `value` lists `token` (case-insensitive), e.g.
// HasToken("keep-alive, Close", "close").
bool HasToken(std::string_view value, std::string_view token);

// "OK", "Not Found", ...; "Unknown" for codes without a registered phrase.
std::string_view ReasonPhrase(int status);

// Why `response` cannot be sent as it is ("" when it can): a status outside 200-599, a header
// name that is not an RFC 9110 token, a header value with CR, LF or NUL (response splitting),
// a negative file range, or both a file and a stream.
std::string ResponseProblem(const Response& response);

// A response for when Handler::MakeError itself returns nonsense.
Response BuiltinError(int status, std::string_view message);

// True when the handler's headers ask to close the connection ("Connection: close").
bool WantsClose(const HeaderList& headers);

// Whether the response may carry a body at all (not for 204 and 304; RFC 9110 6.4.1).
bool StatusAllowsBody(int status);

enum class ConnectionHeader {
  kInvalid = 0,
  kNone,       // HTTP/1.1 keep-alive: nothing to say
  kKeepAlive,  // an HTTP/1.0 client asked for keep-alive
  kClose,
};

struct HeadOptions {
  int64_t content_length = -1;  // -1: no Content-Length (event streams, 204, 304)
  ConnectionHeader connection = ConnectionHeader::kNone;
  std::time_t now = 0;  // for Date
};

// "HTTP/1.1 <status> <reason>\r\n" + the handler's headers (without those the server owns:
// Content-Length, Connection, Date, Server, Transfer-Encoding, Keep-Alive) + the server's
// headers + "\r\n". REQUIRES: ResponseProblem(response) is "".
std::string SerializeHead(const Response& response, const HeadOptions& options);

// RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(std::time_t time);

}  // namespace cutroom::server::http::internal
