#include "http/http_util.h"

#include <array>
#include <cstdio>

#include "http/http_server.h"

namespace cutroom::server::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// RFC 9110 5.6.2 tchar.
bool IsTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return InvalidArgumentError("truncated percent escape in \"" + std::string(text) + "\"");
      }
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return InvalidArgumentError("bad percent escape in \"" + std::string(text) + "\"");
      }
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return InvalidArgumentError("encoded NUL in a URL component");
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view Request::Header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return value;
  }
  return {};
}

std::string_view Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return {};
}

bool Request::HasQuery(std::string_view name) const {
  for (const auto& entry : query) {
    if (entry.first == name) return true;
  }
  return false;
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto it = headers.begin(); it != headers.end();) {
    if (internal::EqualsIgnoreCase(it->first, name)) {
      it = headers.erase(it);
    } else {
      ++it;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

namespace internal {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = TrimOws(value.substr(0, comma));
    if (EqualsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

Result<ParsedTarget> ParseTarget(std::string_view target) {
  ParsedTarget parsed;
  if (target == "*") {
    parsed.path = "*";
    return parsed;
  }
  if (target.empty()) return InvalidArgumentError("empty request target");
  if (target.front() != '/') {
    // absolute-form (RFC 9112 3.2.2): the path starts after "scheme://authority".
    size_t scheme_end = target.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) {
      return InvalidArgumentError("request target is neither a path nor an absolute URL");
    }
    std::string_view rest = target.substr(scheme_end + 3);
    size_t path_start = rest.find_first_of("/?");
    if (path_start == std::string_view::npos) {
      target = "/";
    } else if (rest[path_start] == '?') {
      parsed.path = "/";
      target = rest.substr(path_start);
    } else {
      target = rest.substr(path_start);
    }
  }
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  if (!raw_path.empty() || parsed.path.empty()) {
    CR_ASSIGN_OR_RETURN(parsed.path, PercentDecode(raw_path, /*plus_is_space=*/false));
  }
  if (question == std::string_view::npos) return parsed;
  std::string_view raw_query = target.substr(question + 1);
  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view raw_key = pair.substr(0, eq);
      std::string_view raw_value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      CR_ASSIGN_OR_RETURN(std::string key, PercentDecode(raw_key, /*plus_is_space=*/true));
      CR_ASSIGN_OR_RETURN(std::string value, PercentDecode(raw_value, /*plus_is_space=*/true));
      parsed.query.emplace_back(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    raw_query.remove_prefix(amp + 1);
  }
  return parsed;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 507:
      return "Insufficient Storage";
    default:
      return "Unknown";
  }
}

std::string ResponseProblem(const Response& response) {
  if (response.status < 200 || response.status > 599) {
    return "status " + std::to_string(response.status) + " is not a final HTTP status";
  }
  for (const auto& [name, value] : response.headers) {
    if (name.empty()) return "empty header name";
    for (char c : name) {
      if (!IsTokenChar(c)) return "header name \"" + name + "\" is not a token";
    }
    for (char c : value) {
      if (c == '\r' || c == '\n' || c == '\0') {
        return "header \"" + name + "\" has a CR, LF or NUL in its value";
      }
    }
  }
  if (!response.file_path.empty()) {
    if (response.file_offset < 0 || response.file_length < 0) return "negative file range";
    if (response.on_stream) return "both a file body and an event stream";
  }
  return "";
}

Response BuiltinError(int status, std::string_view message) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(message) + "\n";
  return response;
}

bool WantsClose(const HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    if (EqualsIgnoreCase(name, "connection") && HasToken(value, "close")) return true;
  }
  return false;
}

bool StatusAllowsBody(int status) { return status != 204 && status != 304; }

std::string SerializeHead(const Response& response, const HeadOptions& options) {
  static constexpr std::array<std::string_view, 6> kServerOwned = {
      "content-length", "connection", "date", "server", "transfer-encoding", "keep-alive"};
  std::string head;
  head.reserve(256);
  head += "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  head += ReasonPhrase(response.status);
  head += "\r\n";
  for (const auto& [name, value] : response.headers) {
    bool owned = false;
    for (std::string_view server_name : kServerOwned)
      owned = owned || EqualsIgnoreCase(name, server_name);
    if (owned) continue;
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  head += "Server: cutroom\r\n";
  head += "Date: ";
  head += HttpDate(options.now);
  head += "\r\n";
  if (options.content_length >= 0) {
    head += "Content-Length: ";
    head += std::to_string(options.content_length);
    head += "\r\n";
  }
  if (options.connection == ConnectionHeader::kClose) head += "Connection: close\r\n";
  if (options.connection == ConnectionHeader::kKeepAlive) head += "Connection: keep-alive\r\n";
  head += "\r\n";
  return head;
}

std::string HttpDate(std::time_t time) {
  std::tm tm{};
  gmtime_r(&time, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

}  // namespace internal
}  // namespace cutroom::server::http
