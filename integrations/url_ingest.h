// URL ingest: downloads a source video from an http(s) URL a user gave us, or hands a platform URL
// (YouTube, Vimeo, Twitch, ...) to yt-dlp.
//
// The server fetches these URLs on a user's behalf, so IngestUrl defends against server-side
// request forgery: it never connects to loopback, private, link-local (cloud metadata), multicast
// or otherwise internal addresses unless an operator allowed that host:port. Every hop (the URL
// and each redirect, followed by hand) is resolved once through a HostResolver, every resolved
// address is checked, and libcurl then connects to exactly the checked addresses (its DNS cache is
// pinned with CURLOPT_RESOLVE, and an open-socket callback refuses any other address), so a DNS
// answer that changes between check and connect (DNS rebinding) cannot reach an internal service.
// Proxies from the environment (http_proxy, ...) are ignored for the same reason.
//
// Errors follow the job engine's retry policy: refused addresses are kPermissionDenied; bad URLs,
// other schemes, credentials in the URL, HTTP 4xx and too many redirects are kInvalidArgument;
// HTTP 5xx, 408, 429 and network failures are kUnavailable; the size limit is kResourceExhausted;
// the time limit is kDeadlineExceeded; a cancelled token is kCancelled. Messages name the URL.
//
// Thread safety: IngestUrl, IngestPlatformUrl, IsForbiddenAddress and IsPlatformUrl may be called
// from several threads at once; a HostResolver is used by one call at a time unless its
// implementation says otherwise (SystemResolver's is thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/status.h"

namespace cutroom::integrations {

// Resolves a host name to addresses. An interface so that tests (and deployments with their own
// service discovery) can map names to chosen addresses.
class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // The addresses of `host` (a DNS name, never an IP literal) as numeric strings ("192.0.2.7",
  // "2001:db8::1"). On success the vector is not empty.
  // Errors: kNotFound when the name does not exist, kUnavailable when resolution failed for a
  // reason that may pass (no DNS server reachable).
  virtual Result<std::vector<std::string>> Resolve(const std::string& host) = 0;
};

// getaddrinfo() (IPv4 and IPv6, duplicates removed). Thread-safe.
std::unique_ptr<HostResolver> SystemResolver();

// True for addresses a server must not fetch on a user's behalf: IPv4 0/8 (0.0.0.0 included),
// 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16 (link-local and the 169.254.169.254 cloud metadata
// address), 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24,
// 203.0.113/24, 224/4 (multicast), 240/4 (reserved, 255.255.255.255 included); IPv6 outside
// 2000::/3 (::, ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64 ...), 2001::/32 (Teredo),
// 2001:2::/48, 2001:db8::/32, 3fff::/20; IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d,
// ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d, 2002:AABB:CCDD::/48) are judged by that IPv4 address.
// `ip` must be a numeric address without brackets or zone; anything else (a name, "[::1]",
// "fe80::1%eth0", "127.1") is treated as forbidden.
bool IsForbiddenAddress(const std::string& ip);

struct UrlIngestOptions {
  int64_t max_bytes = 4LL << 30;        // whole file; larger downloads fail with kResourceExhausted
  int64_t timeout_ms = 600'000;         // whole ingest, all redirects included
  int64_t connect_timeout_ms = 10'000;  // each connection
  int max_redirects = 5;
  // "host:port" entries exempt from the address check (tests, intranet setups), e.g.
  // "127.0.0.1:8080", "media.intranet:443", "[::1]:8080". Host names compare case-insensitively;
  // the port is the URL's, or 80/443 when the URL has none.
  std::vector<std::string> allowed_hosts;
  // IngestPlatformUrl only: the yt-dlp executable; empty finds "yt-dlp" on PATH.
  std::string yt_dlp_path;
};

struct UrlIngestResult {
  std::string final_url;     // the URL the bytes came from, after redirects
  int64_t size_bytes = 0;    // bytes written to dest_path
  std::string content_type;  // as the server sent it ("video/mp4"); may be empty
  // A safe base name for display and for keeping the extension: from Content-Disposition, else
  // the last segment of the URL path, passed through SanitizeFilename.
  std::string filename;
};

// Downloads the http or https `url` into `dest_path`. The body is written to a temporary name
// beside `dest_path` and renamed over it on success; on any error the temporary file is removed
// and `dest_path` is left as it was. The URL must not contain credentials ("user:pw@"). Each hop
// is checked as the file comment describes before any connection is made; a refusal is
// kPermissionDenied naming the host and the address. The size limit is enforced from
// Content-Length before the body and again while streaming. `cancel` (may be null) is polled
// during the transfer. REQUIRES: the folder of `dest_path` exists.
Result<UrlIngestResult> IngestUrl(const std::string& url, const std::string& dest_path,
                                  HostResolver& resolver, const UrlIngestOptions& options,
                                  const CancelToken* cancel);

// The checks IngestUrl makes before its first connection, alone: the URL parses as http(s)
// without credentials and its host resolves only to addresses a server may fetch (or host:port is
// in allowed_hosts). InvalidArgument or PermissionDenied as IngestUrl reports them. Lets an API
// refuse a URL at once instead of in a background download.
Status CheckUrlAllowed(const std::string& url, HostResolver& resolver, const UrlIngestOptions& options);

// Platform URLs (implemented in platform_ingest.cc).

// True for http(s) URLs whose host is a video platform that needs yt-dlp (YouTube, Vimeo, Twitch,
// TikTok, Instagram, Facebook, X/Twitter, Dailymotion, Rumble, Kick, SoundCloud, Streamable,
// Bilibili), subdomains included.
bool IsPlatformUrl(const std::string& url);

// Downloads a platform URL with yt-dlp (the best video up to 1080p plus the best audio, no
// playlists) into `dest_path`, via a temporary folder beside it; the container is whatever yt-dlp
// produced (the extension of UrlIngestResult::filename tells which). yt-dlp runs as a child
// process without a shell, in its own process group, killed when `cancel` fires or the time limit
// passes. yt-dlp does its own networking, so the address checks of IngestUrl do not apply: only
// URLs for which IsPlatformUrl is true are accepted.
// Errors: kFailedPrecondition when yt-dlp is not installed; kInvalidArgument for a URL that is not
// a platform URL, or that yt-dlp reports as unsupported, unavailable or private; kUnavailable when
// yt-dlp fails otherwise (its last "ERROR:" line is in the message); plus the size, time and
// cancel errors of IngestUrl.
Result<UrlIngestResult> IngestPlatformUrl(const std::string& url, const std::string& dest_path,
                                          const UrlIngestOptions& options,
                                          const CancelToken* cancel);

// A file name safe to show and to use inside our own folders: the part after the last '/' or '\',
// with every byte outside [A-Za-z0-9._-] replaced by '_', runs of '_' collapsed, leading dots and
// underscores removed, at most 120 bytes (the extension kept). "download" when nothing is left.
std::string SanitizeFilename(std::string_view name);

}  // namespace cutroom::integrations
