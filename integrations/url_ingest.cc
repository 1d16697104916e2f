#include "url_ingest.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

namespace cutroom::integrations {
namespace {

using Clock = std::chrono::steady_clock;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};
using CurlStringPtr = std::unique_ptr<char, CurlStringDeleter>;
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

// curl_global_init is not thread-safe and must run before any other curl call. It is reference
// counted, so this and http_transcriber.cc each calling it once is harmless.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Addresses

bool InV4Net(uint32_t address, uint32_t base, int bits) {
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (address & mask) == base;
}

bool IsForbiddenV4(uint32_t a) {
  struct Net {
    uint32_t base;
    int bits;
  };
  static constexpr Net kNets[] = {
      {0x00000000, 8},   // 0/8: "this network", 0.0.0.0
      {0x0A000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 carrier-grade NAT
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local, cloud metadata
      {0xAC100000, 12},  // 172.16/12 private
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0000200, 24},  // 192.0.2/24 TEST-NET-1
      {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast
      {0xC0A80000, 16},  // 192.168/16 private
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xC6336400, 24},  // 198.51.100/24 TEST-NET-2
      {0xCB007100, 24},  // 203.0.113/24 TEST-NET-3
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, 255.255.255.255 broadcast
  };
  for (const Net& net : kNets) {
    if (InV4Net(a, net.base, net.bits)) return true;
  }
  return false;
}

uint32_t V4At(const unsigned char* b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

bool IsForbiddenV6(const unsigned char* b) {
  auto zeros = [&](int from, int to) {
    return std::all_of(b + from, b + to, [](unsigned char c) { return c == 0; });
  };
  // Forms that carry an IPv4 address reach that address: judge it.
  if (zeros(0, 10) && b[10] == 0xFF && b[11] == 0xFF) return IsForbiddenV4(V4At(b + 12));
  if (zeros(0, 8) && b[8] == 0xFF && b[9] == 0xFF && zeros(10, 12)) {
    return IsForbiddenV4(V4At(b + 12));
  }
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && zeros(4, 12)) {
    return IsForbiddenV4(V4At(b + 12));  // 64:ff9b::/96 NAT64
  }
  if (b[0] == 0x20 && b[1] == 0x02) return IsForbiddenV4(V4At(b + 2));  // 2002::/16 6to4
  // Everything outside global unicast: ::, ::1, IPv4-compatible, 64:ff9b:1::/48, 100::/64, ULA,
  // link-local, site-local, multicast.
  if ((b[0] & 0xE0) != 0x20) return true;
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return true;  // Teredo
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x02 && b[4] == 0 && b[5] == 0) {
    return true;  // 2001:2::/48 benchmarking
  }
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return true;  // documentation
  if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0x00) return true;         // 3fff::/20 docs
  return false;
}

// The canonical text of a numeric address ("::ffff:7f00:1" -> "::ffff:127.0.0.1"), or "" when
// `ip` is not one.
std::string CanonicalAddress(const std::string& ip) {
  char text[INET6_ADDRSTRLEN] = {};
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    return inet_ntop(AF_INET, &v4, text, sizeof(text)) != nullptr ? text : "";
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
    return inet_ntop(AF_INET6, &v6, text, sizeof(text)) != nullptr ? text : "";
  }
  return "";
}

std::string SockaddrText(const sockaddr* addr) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)) != nullptr) return text;
  } else if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    if (inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text)) != nullptr) return text;
  }
  return "";
}

class GetAddrInfoResolver final : public HostResolver {
 public:
  Result<std::vector<std::string>> Resolve(const std::string& host) override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
    AddrInfoPtr info(raw);
    if (rc == EAI_NONAME || rc == EAI_NODATA) return NotFoundError("host not found: " + host);
    if (rc != 0) return UnavailableError("cannot resolve " + host + ": " + gai_strerror(rc));
    std::vector<std::string> out;
    for (const addrinfo* it = info.get(); it != nullptr; it = it->ai_next) {
      const std::string text = SockaddrText(it->ai_addr);
      if (!text.empty() && std::find(out.begin(), out.end(), text) == out.end()) {
        out.push_back(text);
      }
    }
    if (out.empty()) return NotFoundError("host has no addresses: " + host);
    return out;
  }
};

// ---------------------------------------------------------------------------------------------
// URLs

struct ParsedUrl {
  std::string url;   // normalised by libcurl
  std::string host;  // lower case; IPv6 literals without brackets
  bool literal = false;
  bool ipv6 = false;
  int port = 0;
  std::string path;  // still percent-encoded
};

std::optional<std::string> UrlPart(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
  CurlStringPtr owned(raw);
  return std::string(raw);
}

Result<ParsedUrl> ParseHttpUrl(const std::string& text) {
  CurlUrlPtr url(curl_url());
  if (url == nullptr) return InternalError("curl_url failed");
  if (text.empty() || text.size() > 8192 ||
      curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return InvalidArgumentError("not a valid URL: \"" + text.substr(0, 200) + "\"");
  }
  const std::string scheme = Lower(UrlPart(url.get(), CURLUPART_SCHEME).value_or(""));
  if (scheme != "http" && scheme != "https") {
    return InvalidArgumentError("only http and https URLs can be ingested, got " + scheme + "://");
  }
  if (UrlPart(url.get(), CURLUPART_USER) || UrlPart(url.get(), CURLUPART_PASSWORD)) {
    return InvalidArgumentError("URLs with credentials (user:password@) are not accepted");
  }
  ParsedUrl out;
  std::string host = Lower(UrlPart(url.get(), CURLUPART_HOST).value_or(""));
  if (host.empty()) return InvalidArgumentError("URL has no host: \"" + text + "\"");
  if (host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    out.ipv6 = true;
    if (UrlPart(url.get(), CURLUPART_ZONEID)) {
      return PermissionDeniedError("refusing to fetch " + text +
                                   ": IPv6 zone identifiers name local links");
    }
  }
  out.literal = !CanonicalAddress(host).empty();
  if (out.ipv6 && !out.literal) return InvalidArgumentError("bad IPv6 address in \"" + text + "\"");
  if (!out.literal) {
    // libcurl keys its pinned DNS entries by host name; give both the same spelling.
    curl_url_set(url.get(), CURLUPART_HOST, host.c_str(), 0);
  }
  const std::string port = UrlPart(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  out.port = port.empty() ? 0 : std::atoi(port.c_str());
  if (out.port <= 0 || out.port > 65535)
    return InvalidArgumentError("bad port in \"" + text + "\"");
  out.url = UrlPart(url.get(), CURLUPART_URL).value_or(text);
  out.path = UrlPart(url.get(), CURLUPART_PATH).value_or("/");
  out.host = std::move(host);
  return out;
}

std::string HostPort(const ParsedUrl& url) {
  return (url.ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The file name of a Content-Disposition value: filename*=charset''pct-encoded wins over
// filename="quoted" or filename=token. "" when there is none.
std::string DispositionFilename(const std::string& value) {
  const std::string lower = Lower(value);
  if (size_t at = lower.find("filename*="); at != std::string::npos) {
    std::string v = value.substr(at + 10);
    v = v.substr(0, v.find(';'));
    if (size_t quotes = v.find("''"); quotes != std::string::npos) v = v.substr(quotes + 2);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    if (!v.empty()) return PercentDecode(v);
  }
  for (size_t at = lower.find("filename="); at != std::string::npos;
       at = lower.find("filename=", at + 1)) {
    if (at > 0 && lower[at - 1] == '*') continue;
    std::string v = value.substr(at + 9);
    std::string name;
    if (!v.empty() && v.front() == '"') {
      for (size_t i = 1; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        name.push_back(v[i]);
      }
    } else {
      name = v.substr(0, v.find(';'));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    }
    return name;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Files

Status ErrnoStatus(int err, const std::string& what) {
  const std::string message = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return PermissionDeniedError(message);
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return ResourceExhaustedError(message);
    default:
      return UnavailableError(message);
  }
}

std::string UniqueSuffix() {
  static std::atomic<uint64_t> counter{0};
  return std::to_string(getpid()) + "-" + std::to_string(counter++);
}

// The download's temporary file beside its destination: removed on destruction unless Commit()
// renamed it into place.
class PartialFile {
 public:
  static Result<std::unique_ptr<PartialFile>> Create(const std::string& dest) {
    const std::string path = dest + ".part-" + UniqueSuffix();
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus(errno, "cannot create " + path);
    return std::unique_ptr<PartialFile>(new PartialFile(path, fd));
  }
  ~PartialFile() {
    if (fd_ >= 0) close(fd_);
    if (!committed_) unlink(path_.c_str());
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  // Returns 0 or the errno of the failed write.
  int Write(const char* data, size_t size) {
    while (size > 0) {
      const ssize_t n = write(fd_, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return 0;
  }

  Status Commit(const std::string& dest) {
    const int fd = fd_;
    fd_ = -1;
    if (fsync(fd) != 0) {
      const int err = errno;
      close(fd);
      return ErrnoStatus(err, "cannot write " + path_);
    }
    if (close(fd) != 0) return ErrnoStatus(errno, "cannot write " + path_);
    if (rename(path_.c_str(), dest.c_str()) != 0)
      return ErrnoStatus(errno, "cannot rename to " + dest);
    committed_ = true;
    return Status::Ok();
  }

 private:
  PartialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

// ---------------------------------------------------------------------------------------------
// One HTTP exchange

enum class StopReason {
  kNone = 0,
  kNotTheBody,  // a redirect or error reply: its body is not wanted
  kTooLarge,
  kWriteFailed,
  kCancelled,
  kBlockedAddress,
};

// State shared with libcurl's callbacks during one hop.
struct Exchange {
  PartialFile* file = nullptr;
  int64_t max_bytes = 0;
  const CancelToken* cancel = nullptr;
  std::set<std::string> permitted_addresses;  // canonical text

  long status = 0;
  int64_t content_length = -1;
  std::string content_disposition;
  std::string location;
  int64_t written = 0;
  StopReason stop = StopReason::kNone;
  int write_errno = 0;
  std::string blocked_address;
};

bool IsSuccess(long status) { return status >= 200 && status < 300; }

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    // A new reply (after 1xx): forget the previous one's headers.
    ex->status = 0;
    ex->content_length = -1;
    ex->content_disposition.clear();
    ex->location.clear();
    if (size_t space = line.find(' '); space != std::string::npos) {
      ex->status = std::atol(line.c_str() + space + 1);
    }
    return size * count;
  }
  if (line.empty()) {
    if (IsSuccess(ex->status) && ex->content_length > ex->max_bytes) {
      ex->stop = StopReason::kTooLarge;
      return 0;
    }
    return size * count;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  const std::string name = Lower(line.substr(0, colon));
  size_t value_at = colon + 1;
  while (value_at < line.size() && (line[value_at] == ' ' || line[value_at] == '\t')) ++value_at;
  const std::string value = line.substr(value_at);
  if (name == "content-length") {
    char* end = nullptr;
    const long long n = std::strtoll(value.c_str(), &end, 10);
    if (end != value.c_str() && n >= 0) ex->content_length = n;
  } else if (name == "content-disposition") {
    ex->content_disposition = value;
  } else if (name == "location") {
    ex->location = value;
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (!IsSuccess(ex->status)) {
    ex->stop = StopReason::kNotTheBody;
    return 0;
  }
  if (ex->written + static_cast<int64_t>(n) > ex->max_bytes) {
    ex->stop = StopReason::kTooLarge;
    return 0;
  }
  if (const int err = ex->file->Write(data, n); err != 0) {
    ex->stop = StopReason::kWriteFailed;
    ex->write_errno = err;
    return 0;
  }
  ex->written += static_cast<int64_t>(n);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->cancel != nullptr && ex->cancel->IsCancelled()) {
    ex->stop = StopReason::kCancelled;
    return 1;
  }
  return 0;
}

// The last line of defence against connecting anywhere but the checked addresses, whatever
// libcurl's resolver did.
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* ex = static_cast<Exchange*>(user);
  const std::string text = SockaddrText(&address->addr);
  if (purpose != CURLSOCKTYPE_IPCXN || text.empty() || ex->permitted_addresses.count(text) == 0) {
    ex->blocked_address = text.empty() ? "(unknown)" : text;
    ex->stop = StopReason::kBlockedAddress;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// The checked addresses of one hop's host.
Result<std::vector<std::string>> CheckHost(const ParsedUrl& url, HostResolver& resolver,
                                           const UrlIngestOptions& options) {
  std::vector<std::string> addresses;
  if (url.literal) {
    addresses.push_back(CanonicalAddress(url.host));
  } else {
    CR_ASSIGN_OR_RETURN(std::vector<std::string> resolved, resolver.Resolve(url.host));
    for (const std::string& a : resolved) {
      const std::string canonical = CanonicalAddress(a);
      if (canonical.empty()) {
        return PermissionDeniedError("refusing to fetch " + url.host +
                                     ": the resolver returned \"" + a +
                                     "\", which is not an IP address");
      }
      addresses.push_back(canonical);
    }
    if (addresses.empty()) return NotFoundError("host has no addresses: " + url.host);
  }
  const std::string host_port = HostPort(url);
  const bool allowed =
      std::any_of(options.allowed_hosts.begin(), options.allowed_hosts.end(),
                  [&](const std::string& entry) { return Lower(entry) == host_port; });
  if (!allowed) {
    for (const std::string& a : addresses) {
      if (IsForbiddenAddress(a)) {
        return PermissionDeniedError("refusing to fetch " + url.url + ": host " + url.host +
                                     " has address " + a +
                                     ", which is internal (loopback, private, link-local, "
                                     "multicast or reserved)");
      }
    }
  }
  return addresses;
}

struct Hop {
  long status = 0;
  std::string location;  // for 3xx: the Location header as sent, maybe relative
  std::string content_type;
  std::string content_disposition;
  int64_t written = 0;
};

Status TransferError(CURLcode code, const std::string& detail, const std::string& url,
                     bool connected, int64_t timeout_ms, const UrlIngestOptions& options) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      if (connected || timeout_ms <= options.connect_timeout_ms) {
        return DeadlineExceededError(url + ": not finished within the time limit of " +
                                     std::to_string(options.timeout_ms) + " ms");
      }
      return UnavailableError(url + ": connection timed out (" + detail + ")");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return InvalidArgumentError(url + ": " + detail);
    case CURLE_FILESIZE_EXCEEDED:
      return ResourceExhaustedError(url + ": larger than the limit of " +
                                    std::to_string(options.max_bytes) + " bytes");
    default:
      return UnavailableError(url + ": " + detail);
  }
}

Result<Hop> FetchHop(const ParsedUrl& url, const std::vector<std::string>& addresses,
                     PartialFile* file, const UrlIngestOptions& options, Clock::time_point deadline,
                     const CancelToken* cancel) {
  const int64_t remaining_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (remaining_ms <= 0) {
    return DeadlineExceededError(url.url + ": not finished within the time limit of " +
                                 std::to_string(options.timeout_ms) + " ms");
  }
  CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return InternalError("curl_easy_init failed");
  CURL* c = curl.get();
  Exchange ex;
  ex.file = file;
  ex.max_bytes = options.max_bytes;
  ex.cancel = cancel;
  ex.permitted_addresses.insert(addresses.begin(), addresses.end());

  SlistPtr pinned;
  if (!url.literal) {
    std::string entry = url.host + ":" + std::to_string(url.port) + ":";
    for (size_t i = 0; i < addresses.size(); ++i) {
      if (i > 0) entry += ",";
      entry +=
          addresses[i].find(':') != std::string::npos ? "[" + addresses[i] + "]" : addresses[i];
    }
    pinned.reset(curl_slist_append(nullptr, entry.c_str()));
    if (pinned == nullptr) return InternalError("curl_slist_append failed");
    curl_easy_setopt(c, CURLOPT_RESOLVE, pinned.get());
  }
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // an environment proxy would bypass the checks
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "cutroom/0.1 (url ingest)");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(remaining_ms, options.connect_timeout_ms)));
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &ex);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &ex);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  const CURLcode code = curl_easy_perform(c);

  switch (ex.stop) {
    case StopReason::kCancelled:
      return CancelledError(url.url + ": cancelled");
    case StopReason::kTooLarge:
      return ResourceExhaustedError(
          url.url + ": larger than the limit of " + std::to_string(options.max_bytes) + " bytes" +
          (ex.content_length >= 0 ? " (Content-Length " + std::to_string(ex.content_length) + ")"
                                  : ""));
    case StopReason::kWriteFailed:
      return ErrnoStatus(ex.write_errno, "cannot write the download of " + url.url);
    case StopReason::kBlockedAddress:
      return PermissionDeniedError("refusing to fetch " + url.url + ": the connection to " +
                                   ex.blocked_address + " is not to a checked address of " +
                                   url.host);
    case StopReason::kNotTheBody:
    case StopReason::kNone:
      break;
  }
  if (code != CURLE_OK && ex.stop != StopReason::kNotTheBody) {
    curl_off_t connect_us = 0;
    curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
    const std::string detail = error[0] != '\0' ? error : curl_easy_strerror(code);
    return TransferError(code, detail, url.url, connect_us > 0, remaining_ms, options);
  }
  Hop hop;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &hop.status);
  // Not CURLINFO_REDIRECT_URL: libcurl leaves it empty when the write callback stopped the
  // transfer, which it does for every redirect body.
  hop.location = ex.location;
  char* text = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &text) == CURLE_OK && text != nullptr) {
    hop.content_type = text;
  }
  hop.content_disposition = ex.content_disposition;
  hop.written = ex.written;
  return hop;
}

Status HttpStatusError(long status, const std::string& url) {
  const std::string message = url + ": HTTP " + std::to_string(status);
  if (status == 408 || status == 429 || status >= 500) return UnavailableError(message);
  return InvalidArgumentError(message);
}

// `reference` (a Location value) resolved against `base`, as RFC 3986 section 5 says.
Result<std::string> ResolveReference(const std::string& base, const std::string& reference) {
  CurlUrlPtr url(curl_url());
  if (url == nullptr) return InternalError("curl_url failed");
  if (curl_url_set(url.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK ||
      curl_url_set(url.get(), CURLUPART_URL, reference.c_str(), 0) != CURLUE_OK) {
    return InvalidArgumentError(base + " redirects to a bad URL: \"" + reference.substr(0, 200) +
                                "\"");
  }
  std::optional<std::string> resolved = UrlPart(url.get(), CURLUPART_URL);
  if (!resolved) return InvalidArgumentError(base + " redirects to a bad URL");
  return *resolved;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::unique_ptr<HostResolver> SystemResolver() { return std::make_unique<GetAddrInfoResolver>(); }

bool IsForbiddenAddress(const std::string& ip) {
  unsigned char bytes[16] = {};
  if (inet_pton(AF_INET, ip.c_str(), bytes) == 1) return IsForbiddenV4(V4At(bytes));
  if (inet_pton(AF_INET6, ip.c_str(), bytes) == 1) return IsForbiddenV6(bytes);
  return true;
}

std::string SanitizeFilename(std::string_view name) {
  if (size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  std::string out;
  for (char c : name) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    const char kept = safe ? c : '_';
    if (kept == '_' && !out.empty() && out.back() == '_') continue;
    out.push_back(kept);
  }
  const size_t first = out.find_first_not_of("._");
  out = first == std::string::npos ? "" : out.substr(first);
  while (!out.empty() && out.back() == '_') out.pop_back();
  constexpr size_t kMaxBytes = 120;
  if (out.size() > kMaxBytes) {
    const size_t dot = out.rfind('.');
    const std::string ext =
        dot != std::string::npos && out.size() - dot <= 10 ? out.substr(dot) : std::string();
    out = out.substr(0, kMaxBytes - ext.size()) + ext;
  }
  return out.empty() ? "download" : out;
}

Status CheckUrlAllowed(const std::string& url, HostResolver& resolver, const UrlIngestOptions& options) {
  InitCurlOnce();
  CR_ASSIGN_OR_RETURN(ParsedUrl parsed, ParseHttpUrl(url));
  return CheckHost(parsed, resolver, options).status();
}

Result<UrlIngestResult> IngestUrl(const std::string& url, const std::string& dest_path,
                                  HostResolver& resolver, const UrlIngestOptions& options,
                                  const CancelToken* cancel) {
  if (options.max_bytes <= 0 || options.timeout_ms <= 0 || options.connect_timeout_ms <= 0 ||
      options.max_redirects < 0) {
    return InvalidArgumentError("url ingest: limits must be positive");
  }
  InitCurlOnce();
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  CR_ASSIGN_OR_RETURN(ParsedUrl current, ParseHttpUrl(url));
  // Checked before the file exists, so a refused URL leaves nothing behind.
  CR_ASSIGN_OR_RETURN(std::vector<std::string> addresses, CheckHost(current, resolver, options));
  CR_ASSIGN_OR_RETURN(std::unique_ptr<PartialFile> file, PartialFile::Create(dest_path));
  for (int redirects = 0;; ++redirects) {
    if (cancel != nullptr && cancel->IsCancelled()) return CancelledError(url + ": cancelled");
    CR_ASSIGN_OR_RETURN(Hop hop,
                        FetchHop(current, addresses, file.get(), options, deadline, cancel));
    if (IsSuccess(hop.status)) {
      CR_RETURN_IF_ERROR(file->Commit(dest_path));
      UrlIngestResult result;
      result.final_url = current.url;
      result.size_bytes = hop.written;
      result.content_type = hop.content_type;
      std::string name = DispositionFilename(hop.content_disposition);
      if (SanitizeFilename(name) == "download") name = PercentDecode(current.path);
      result.filename = SanitizeFilename(name);
      return result;
    }
    if (!IsRedirect(hop.status)) return HttpStatusError(hop.status, current.url);
    if (hop.location.empty()) {
      return InvalidArgumentError(current.url + ": HTTP " + std::to_string(hop.status) +
                                  " without a Location");
    }
    if (redirects >= options.max_redirects) {
      return InvalidArgumentError(url + ": more than " + std::to_string(options.max_redirects) +
                                  " redirects");
    }
    CR_ASSIGN_OR_RETURN(std::string next_url, ResolveReference(current.url, hop.location));
    Result<ParsedUrl> next = ParseHttpUrl(next_url);
    if (!next.ok()) return next.status().WithContext(current.url + " redirects to " + next_url);
    current = std::move(next).value();
    CR_ASSIGN_OR_RETURN(addresses, CheckHost(current, resolver, options));
  }
}

bool IsPlatformUrl(const std::string& url) {
  Result<ParsedUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok() || parsed->literal) return false;
  static constexpr std::string_view kDomains[] = {
      "youtube.com",    "youtu.be",        "youtube-nocookie.com", "vimeo.com", "twitch.tv",
      "tiktok.com",     "instagram.com",   "facebook.com",         "fb.watch",  "x.com",
      "twitter.com",    "dailymotion.com", "rumble.com",           "kick.com",  "soundcloud.com",
      "streamable.com", "bilibili.com",
  };
  std::string_view host = parsed->host;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (std::string_view domain : kDomains) {
    if (host == domain) return true;
    if (host.size() > domain.size() && host.ends_with(domain) &&
        host[host.size() - domain.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace cutroom::integrations
