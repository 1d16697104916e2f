// URL ingest against a real HTTP/1.1 server on 127.0.0.1 (ephemeral port): downloads, redirects,
// the SSRF address checks on every hop, size and time limits, cancellation; and the yt-dlp path
// with stand-in yt-dlp scripts.
#include "url_ingest.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace cutroom::integrations {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Serves fixed routes, one thread per connection, "Connection: close" on every reply.
class IngestServer {
 public:
  IngestServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(listen(listen_fd_, 16), 0);
    file_body_.resize(1 << 20);
    for (size_t i = 0; i < file_body_.size(); ++i) {
      file_body_[i] = static_cast<char>((i * 131 + i / 4096) & 0xFF);
    }
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~IngestServer() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    accept_thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (std::thread& t : workers_) t.join();
  }

  int port() const { return port_; }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return "http://" + HostPort() + path; }
  int connections() const { return connections_.load(); }
  const std::string& file_body() const { return file_body_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      workers_.emplace_back([this, client] {
        Handle(client);
        close(client);
      });
    }
  }

  static bool Send(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  static std::string Head(int status, const std::string& extra) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\n" + extra + "Connection: close\r\n\r\n";
  }

  void Handle(int client) {
    timeval timeout{5, 0};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = read(client, buf, sizeof(buf));
      if (n <= 0) return;
      request.append(buf, static_cast<size_t>(n));
    }
    const size_t path_at = request.find(' ') + 1;
    const std::string path = request.substr(path_at, request.find(' ', path_at) - path_at);
    if (path == "/media/clip.mp4") {
      Send(client, Head(200, "Content-Type: video/mp4\r\nContent-Length: " +
                                 std::to_string(file_body_.size()) + "\r\n") +
                       file_body_);
    } else if (path == "/named") {
      Send(client, Head(200,
                        "Content-Type: video/webm\r\nContent-Length: 5\r\n"
                        "Content-Disposition: attachment; filename=\"../../evil name.webm\"\r\n") +
                       "hello");
    } else if (path == "/redirect") {
      Send(client, Head(302, "Location: /media/clip.mp4\r\nContent-Length: 0\r\n"));
    } else if (path == "/redirect-with-body") {
      Send(client, Head(301, "Location: " + Url("/media/clip.mp4") + "\r\nContent-Length: 9\r\n") +
                       "moved on!");
    } else if (path == "/to-metadata") {
      Send(client, Head(302,
                        "Location: http://169.254.169.254/latest/meta-data/\r\n"
                        "Content-Length: 0\r\n"));
    } else if (path == "/to-private") {
      Send(client, Head(307, "Location: http://10.0.0.1/\r\nContent-Length: 0\r\n"));
    } else if (path == "/to-ftp") {
      Send(client, Head(302, "Location: ftp://" + HostPort() + "/x\r\nContent-Length: 0\r\n"));
    } else if (path == "/loop") {
      Send(client, Head(302, "Location: /loop\r\nContent-Length: 0\r\n"));
    } else if (path == "/endless") {
      if (!Send(client, Head(200, "Content-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n"))) {
        return;
      }
      const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
      while (!stopping_ && Send(client, chunk)) {
      }
    } else if (path == "/slow") {
      if (!Send(client, Head(200, "Content-Type: video/mp4\r\nContent-Length: 100000\r\n"))) return;
      while (!stopping_ && Send(client, "z")) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    } else if (path == "/broken") {
      Send(client, Head(503, "Content-Length: 4\r\n") + "busy");
    } else {
      Send(client, Head(404, "Content-Length: 9\r\n") + "not found");
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::string file_body_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
};

using Names = std::map<std::string, std::vector<std::string>>;

// Maps chosen names to chosen addresses and records what it was asked.
class FakeResolver final : public HostResolver {
 public:
  FakeResolver() = default;
  explicit FakeResolver(Names names) : names_(std::move(names)) {}
  Result<std::vector<std::string>> Resolve(const std::string& host) override {
    asked_.push_back(host);
    auto it = names_.find(host);
    if (it == names_.end()) return NotFoundError("host not found: " + host);
    return it->second;
  }
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  Names names_;
  std::vector<std::string> asked_;
};

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    out.push_back(entry.path().filename().string());
  }
  return out;
}

UrlIngestOptions AllowLocal(const IngestServer& server) {
  UrlIngestOptions options;
  options.allowed_hosts = {server.HostPort()};
  options.timeout_ms = 20'000;
  return options;
}

TEST(IngestUrlTest, DownloadsFromAnAllowedHost) {
  IngestServer server;
  testing::TempDir dir;
  const std::string dest = dir.File("source.mp4");
  auto resolver = SystemResolver();
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/media/clip.mp4"), dest, *resolver, AllowLocal(server), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size_bytes, 1 << 20);
  EXPECT_EQ(r->final_url, server.Url("/media/clip.mp4"));
  EXPECT_EQ(r->content_type, "video/mp4");
  EXPECT_EQ(r->filename, "clip.mp4");
  EXPECT_TRUE(testing::ReadFile(dest) == server.file_body()) << "downloaded bytes differ";
  EXPECT_EQ(FilesIn(dir.path()), std::vector<std::string>{"source.mp4"});  // no temporary left
}

TEST(IngestUrlTest, FollowsRedirectsByHand) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  for (const char* path : {"/redirect", "/redirect-with-body"}) {
    const std::string dest = dir.File("source.mp4");
    Result<UrlIngestResult> r =
        IngestUrl(server.Url(path), dest, *resolver, AllowLocal(server), nullptr);
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().ToString();
    EXPECT_EQ(r->final_url, server.Url("/media/clip.mp4"));
    EXPECT_TRUE(testing::ReadFile(dest) == server.file_body())
        << path;  // no redirect body mixed in
  }
}

TEST(IngestUrlTest, PinsTheConnectionToTheCheckedAddress) {
  // "media.test" exists only in the fake resolver: the download works only if libcurl connects
  // to the address we checked instead of asking DNS again.
  IngestServer server;
  testing::TempDir dir;
  FakeResolver resolver(Names{{"media.test", {"127.0.0.1"}}});
  UrlIngestOptions options;
  options.allowed_hosts = {"MEDIA.test:" + std::to_string(server.port())};
  const std::string url = "http://media.test:" + std::to_string(server.port()) + "/media/clip.mp4";
  Result<UrlIngestResult> r = IngestUrl(url, dir.File("a.mp4"), resolver, options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size_bytes, 1 << 20);
  EXPECT_EQ(resolver.asked(), std::vector<std::string>{"media.test"});
}

TEST(IngestUrlTest, PinsEveryCheckedAddressOfADualStackName) {
  // Both addresses are pinned (the IPv6 one in CURLOPT_RESOLVE's bracket form); nothing listens
  // on [::1] for this port, so libcurl falls back to 127.0.0.1.
  IngestServer server;
  testing::TempDir dir;
  FakeResolver resolver(Names{{"dual.test", {"::1", "127.0.0.1"}}});
  UrlIngestOptions options;
  options.allowed_hosts = {"dual.test:" + std::to_string(server.port())};
  const std::string url = "http://dual.test:" + std::to_string(server.port()) + "/media/clip.mp4";
  Result<UrlIngestResult> r = IngestUrl(url, dir.File("a.mp4"), resolver, options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size_bytes, 1 << 20);
}

TEST(IngestUrlTest, RefusesLoopbackWithoutAnAllowEntry) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/media/clip.mp4"), dir.File("a.mp4"), *resolver, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr("127.0.0.1"));
  EXPECT_EQ(server.connections(), 0);  // refused before connecting
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, RefusesInternalAddressLiteralsBeforeAnyLookup) {
  testing::TempDir dir;
  FakeResolver resolver;
  UrlIngestOptions options;
  options.connect_timeout_ms = 500;
  for (const char* url :
       {"http://127.0.0.1/", "http://10.0.0.1/", "http://[::1]/",
        "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/", "https://192.168.1.1:8443/x",
        "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://100.64.0.1/",
        "http://255.255.255.255/", "http://[::]/"}) {
    Result<UrlIngestResult> r = IngestUrl(url, dir.File("a.mp4"), resolver, options, nullptr);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied)
        << url << ": " << r.status().ToString();
  }
  EXPECT_TRUE(resolver.asked().empty());
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, RefusesObfuscatedLoopbackSpellings) {
  // Numeric host spellings that resolve to 127.0.0.1 whichever component normalises them.
  testing::TempDir dir;
  auto resolver = SystemResolver();
  for (const char* url : {"http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/",
                          "http://017700000001/", "http://%31%32%37.0.0.1/", "http://LOCALHOST/"}) {
    Result<UrlIngestResult> r = IngestUrl(url, dir.File("a.mp4"), *resolver, {}, nullptr);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied)
        << url << ": " << r.status().ToString();
  }
  // Not an address literal, so it goes to the resolver: glibc knows no such name, another
  // resolver may answer 127.0.0.1, which is refused.
  const StatusCode trailing_dot =
      IngestUrl("http://127.0.0.1./", dir.File("a.mp4"), *resolver, {}, nullptr).status().code();
  EXPECT_TRUE(trailing_dot == StatusCode::kNotFound ||
              trailing_dot == StatusCode::kPermissionDenied)
      << StatusCodeName(trailing_dot);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, RefusesNamesThatResolveToInternalAddresses) {
  testing::TempDir dir;
  FakeResolver resolver(Names{{"evil.example", {"10.1.2.3"}},
                              {"mixed.example", {"93.184.216.34", "::ffff:169.254.169.254"}},
                              {"garbage.example", {"not-an-ip"}}});
  Result<UrlIngestResult> r =
      IngestUrl("https://evil.example/video.mp4", dir.File("a.mp4"), resolver, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("evil.example"));
  EXPECT_THAT(r.status().message(), HasSubstr("10.1.2.3"));
  r = IngestUrl("http://mixed.example/", dir.File("a.mp4"), resolver, {}, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);  // one bad address is enough
  EXPECT_THAT(r.status().message(), HasSubstr("169.254.169.254"));
  r = IngestUrl("http://garbage.example/", dir.File("a.mp4"), resolver, {}, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  r = IngestUrl("http://unknown.example/", dir.File("a.mp4"), resolver, {}, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, ChecksEveryRedirectHop) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  const std::string dest = dir.File("a.mp4");
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/to-metadata"), dest, *resolver, AllowLocal(server), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr("169.254.169.254"));
  r = IngestUrl(server.Url("/to-private"), dest, *resolver, AllowLocal(server), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr("10.0.0.1"));
  r = IngestUrl(server.Url("/to-ftp"), dest, *resolver, AllowLocal(server), nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  EXPECT_TRUE(FilesIn(dir.path()).empty());  // no partial or temporary file
}

TEST(IngestUrlTest, StopsAfterMaxRedirects) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  UrlIngestOptions options = AllowLocal(server);
  options.max_redirects = 3;
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/loop"), dir.File("a"), *resolver, options, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("more than 3 redirects"));
  EXPECT_EQ(server.connections(), 4);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, SizeLimitWhileStreaming) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  UrlIngestOptions options = AllowLocal(server);
  options.max_bytes = 1 << 20;
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/endless"), dir.File("a.mp4"), *resolver, options, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, SizeLimitFromContentLength) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  UrlIngestOptions options = AllowLocal(server);
  options.max_bytes = 1000;
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/media/clip.mp4"), dir.File("a.mp4"), *resolver, options, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status().message(), HasSubstr("Content-Length 1048576"));
  EXPECT_TRUE(FilesIn(dir.path()).empty());
  options.max_bytes = 1 << 20;  // exactly the file's size is fine
  EXPECT_TRUE(
      IngestUrl(server.Url("/media/clip.mp4"), dir.File("a.mp4"), *resolver, options, nullptr)
          .ok());
}

TEST(IngestUrlTest, TimeLimitIsDeadlineExceeded) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  UrlIngestOptions options = AllowLocal(server);
  options.timeout_ms = 500;
  const auto start = std::chrono::steady_clock::now();
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/slow"), dir.File("a.mp4"), *resolver, options, nullptr);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, CancelTokenStopsTheTransfer) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  CancelToken cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.Cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/slow"), dir.File("a.mp4"), *resolver, AllowLocal(server), &cancel);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled) << r.status().ToString();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, HttpErrorsMapToRetryPolicy) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/missing"), dir.File("a"), *resolver, AllowLocal(server), nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("HTTP 404"));
  r = IngestUrl(server.Url("/broken"), dir.File("a"), *resolver, AllowLocal(server), nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("HTTP 503"));
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestUrlTest, FilenameFromContentDispositionIsSanitised) {
  IngestServer server;
  testing::TempDir dir;
  auto resolver = SystemResolver();
  Result<UrlIngestResult> r =
      IngestUrl(server.Url("/named"), dir.File("a"), *resolver, AllowLocal(server), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->filename, "evil_name.webm");
  EXPECT_EQ(r->content_type, "video/webm");
  EXPECT_EQ(testing::ReadFile(dir.File("a")), "hello");
}

TEST(IngestUrlTest, OnlyHttpAndHttpsWithoutCredentials) {
  testing::TempDir dir;
  FakeResolver resolver(Names{{"example.com", {"93.184.216.34"}}});
  for (const char* url : {"ftp://example.com/video.mp4", "file:///etc/passwd",
                          "gopher://example.com/", "http://user:secret@example.com/v.mp4",
                          "http://user@example.com/", "example.com/video.mp4", "", "http://"}) {
    Result<UrlIngestResult> r = IngestUrl(url, dir.File("a"), resolver, {}, nullptr);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument)
        << url << ": " << r.status().ToString();
  }
  EXPECT_TRUE(resolver.asked().empty());
}

TEST(IsForbiddenAddressTest, Table) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"127.0.0.1", true},
      {"127.255.0.9", true},
      {"10.0.0.1", true},
      {"172.16.0.1", true},
      {"172.31.255.255", true},
      {"172.32.0.1", false},
      {"192.168.0.10", true},
      {"169.254.169.254", true},
      {"100.64.0.1", true},
      {"100.127.255.254", true},
      {"100.128.0.1", false},
      {"0.0.0.0", true},
      {"0.1.2.3", true},
      {"255.255.255.255", true},
      {"240.0.0.1", true},
      {"224.0.0.251", true},
      {"239.255.255.250", true},
      {"192.0.2.1", true},
      {"198.18.0.1", true},
      {"8.8.8.8", false},
      {"1.1.1.1", false},
      {"93.184.216.34", false},
      {"::1", true},
      {"::", true},
      {"::ffff:127.0.0.1", true},
      {"::ffff:7f00:1", true},
      {"::ffff:10.0.0.1", true},
      {"::ffff:169.254.169.254", true},
      {"::ffff:8.8.8.8", false},
      {"::127.0.0.1", true},
      {"64:ff9b::10.0.0.1", true},
      {"64:ff9b::8.8.8.8", false},
      {"2002:7f00:1::", true},
      {"2002:808:808::1", false},
      {"fc00::1", true},
      {"fd12:3456::1", true},
      {"fe80::1", true},
      {"febf::1", true},
      {"ff02::1", true},
      {"2001:db8::1", true},
      {"2001::1", true},
      {"2606:4700::1111", false},
      {"2a00:1450:4001:80b::200e", false},
      {"2001:4860:4860::8888", false},
      {"fe80::1%eth0", true},
      {"[::1]", true},
      {"localhost", true},
      {"127.1", true},
      {"", true},
  };
  for (const auto& [ip, forbidden] : cases) {
    EXPECT_EQ(IsForbiddenAddress(ip), forbidden) << ip;
  }
}

TEST(SanitizeFilenameTest, KeepsOnlySafeNames) {
  EXPECT_EQ(SanitizeFilename("clip.mp4"), "clip.mp4");
  EXPECT_EQ(SanitizeFilename("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitizeFilename("..\\..\\boot.ini"), "boot.ini");
  EXPECT_EQ(SanitizeFilename("My Talk: part 1 (final).mp4"), "My_Talk_part_1_final_.mp4");
  EXPECT_EQ(SanitizeFilename(".hidden"), "hidden");
  EXPECT_EQ(SanitizeFilename(".."), "download");
  EXPECT_EQ(SanitizeFilename(""), "download");
  EXPECT_EQ(SanitizeFilename("/"), "download");
  EXPECT_EQ(SanitizeFilename(std::string("a\0b\nc.mp4", 9)), "a_b_c.mp4");
  const std::string long_name = SanitizeFilename(std::string(300, 'v') + ".webm");
  EXPECT_EQ(long_name.size(), 120u);
  EXPECT_THAT(long_name, ::testing::EndsWith(".webm"));
}

TEST(IsPlatformUrlTest, KnownPlatformsOnly) {
  EXPECT_TRUE(IsPlatformUrl("https://www.youtube.com/watch?v=dQw4w9WgXcQ"));
  EXPECT_TRUE(IsPlatformUrl("https://youtu.be/dQw4w9WgXcQ"));
  EXPECT_TRUE(IsPlatformUrl("https://m.youtube.com/watch?v=x"));
  EXPECT_TRUE(IsPlatformUrl("https://vimeo.com/76979871"));
  EXPECT_TRUE(IsPlatformUrl("https://www.twitch.tv/videos/123"));
  EXPECT_TRUE(IsPlatformUrl("https://www.tiktok.com/@a/video/1"));
  EXPECT_TRUE(IsPlatformUrl("HTTPS://WWW.YOUTUBE.COM/watch?v=x"));
  EXPECT_FALSE(IsPlatformUrl("https://notyoutube.com/watch?v=x"));
  EXPECT_FALSE(IsPlatformUrl("https://youtube.com.evil.example/watch"));
  EXPECT_FALSE(IsPlatformUrl("https://example.com/video.mp4"));
  EXPECT_FALSE(IsPlatformUrl("ftp://youtube.com/x"));
  EXPECT_FALSE(IsPlatformUrl("not a url"));
}

// Writes an executable shell script standing in for yt-dlp.
std::string FakeYtDlp(const testing::TempDir& dir, const std::string& body) {
  const std::string path = dir.File("yt-dlp");
  testing::WriteFile(path, "#!/bin/sh\n" + body);
  chmod(path.c_str(), 0755);
  return path;
}

TEST(IngestPlatformUrlTest, MissingYtDlpIsAFailedPrecondition) {
  testing::TempDir dir;
  UrlIngestOptions options;
  options.yt_dlp_path = dir.File("no-such-yt-dlp");
  Result<UrlIngestResult> r =
      IngestPlatformUrl("https://youtu.be/abc", dir.File("a"), options, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), StartsWith("yt-dlp is not installed"));

  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path != nullptr ? old_path : "";
  setenv("PATH", dir.path().c_str(), 1);  // a folder without yt-dlp
  r = IngestPlatformUrl("https://youtu.be/abc", dir.File("a"), {}, nullptr);
  setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestPlatformUrlTest, RunsYtDlpWithoutAShell) {
  testing::TempDir tools;
  testing::TempDir dir;
  const std::string args_file = tools.File("args.txt");
  UrlIngestOptions options;
  options.yt_dlp_path = FakeYtDlp(tools, "printf '%s\\n' \"$@\" > '" + args_file + "'\n" +
                                             "out=''\n"
                                             "while [ $# -gt 0 ]; do\n"
                                             "  if [ \"$1\" = -o ]; then out=\"$2\"; fi\n"
                                             "  shift\n"
                                             "done\n"
                                             "file=$(printf '%s' \"$out\" | sed -e "
                                             "'s/%(title).100B/My Talk: part 1/' -e "
                                             "'s/%(ext)s/webm/')\n"
                                             "printf 'video-bytes' > \"$file\"\n");
  // Quotes, a semicolon and a $(...) in the URL stay one argument: no shell ever sees it.
  const std::string url = "https://www.youtube.com/watch?v=abc&x=';touch${IFS}/tmp/pwned;'";
  Result<UrlIngestResult> r = IngestPlatformUrl(url, dir.File("source"), options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size_bytes, 11);
  EXPECT_EQ(r->filename, "My_Talk_part_1.webm");
  EXPECT_EQ(r->content_type, "video/webm");
  EXPECT_EQ(testing::ReadFile(dir.File("source")), "video-bytes");
  EXPECT_EQ(FilesIn(dir.path()), std::vector<std::string>{"source"});  // temp folder removed
  const std::string args = testing::ReadFile(args_file);
  EXPECT_THAT(args, HasSubstr("-f\nbv*[height<=1080]+ba/b[height<=1080]\n"));
  EXPECT_THAT(args, HasSubstr("--no-playlist\n"));
  EXPECT_THAT(args, HasSubstr("--\n"));
  EXPECT_THAT(args, ::testing::EndsWith("\n" + r->final_url + "\n"));
  EXPECT_THAT(r->final_url, HasSubstr("';touch${IFS}/tmp/pwned;'"));
}

TEST(IngestPlatformUrlTest, ReportsYtDlpErrorsByRetryPolicy) {
  testing::TempDir tools;
  testing::TempDir dir;
  UrlIngestOptions options;
  options.yt_dlp_path = FakeYtDlp(tools,
                                  "echo '[youtube] abc: Downloading webpage'\n"
                                  "echo 'ERROR: [youtube] abc: Unable to download webpage: "
                                  "<urlopen error [Errno 101] Network is unreachable>' >&2\n"
                                  "exit 1\n");
  Result<UrlIngestResult> r =
      IngestPlatformUrl("https://youtu.be/abc", dir.File("a"), options, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("ERROR: [youtube] abc: Unable to download webpage"));
  EXPECT_TRUE(FilesIn(dir.path()).empty());

  options.yt_dlp_path = FakeYtDlp(tools,
                                  "echo 'ERROR: [youtube] abc: Video unavailable' >&2\n"
                                  "echo 'some trailing noise'\n"
                                  "exit 1\n");
  r = IngestPlatformUrl("https://youtu.be/abc", dir.File("a"), options, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);  // permanent: no retry
  EXPECT_THAT(r.status().message(), HasSubstr("Video unavailable"));

  r = IngestPlatformUrl("https://example.com/video.mp4", dir.File("a"), options, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(IngestPlatformUrlTest, TimeLimitKillsYtDlp) {
  testing::TempDir tools;
  testing::TempDir dir;
  UrlIngestOptions options;
  options.yt_dlp_path = FakeYtDlp(tools, "sleep 30\n");
  options.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  Result<UrlIngestResult> r =
      IngestPlatformUrl("https://vimeo.com/1", dir.File("a"), options, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

}  // namespace
}  // namespace cutroom::integrations

namespace cutroom::integrations {
namespace {

TEST(CheckUrlAllowedTest, RefusesWhatIngestUrlWouldRefuseWithoutConnecting) {
  FakeResolver resolver({{"evil.example", {"10.1.2.3"}}, {"good.example", {"93.184.216.34"}}});
  UrlIngestOptions options;
  EXPECT_EQ(CheckUrlAllowed("http://evil.example/x.mp4", resolver, options).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckUrlAllowed("http://169.254.169.254/latest", resolver, options).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckUrlAllowed("file:///etc/passwd", resolver, options).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckUrlAllowed("https://good.example/talk.mp4", resolver, options).ok());
  options.allowed_hosts = {"evil.example:80"};
  EXPECT_TRUE(CheckUrlAllowed("http://evil.example/x.mp4", resolver, options).ok());
}

}  // namespace
}  // namespace cutroom::integrations
