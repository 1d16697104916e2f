// Internal to cutroom::integrations: the libcurl plumbing shared by the HTTP clients
// (http_transcriber.cc, topic_writer.cc): RAII handles, one-time global init, and running a
// prepared request with transport and HTTP errors mapped to the engine's retry policy.
//
// Thread safety: InitCurlOnce is thread-safe; a CURL handle is used by one thread at a time.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "cutroom/status.h"

namespace cutroom::integrations {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderListPtr = std::unique_ptr<curl_slist, HeaderListDeleter>;

// curl_global_init is not thread-safe and must run before any other curl call.
void InitCurlOnce();

struct HttpReply {
  long status = 0;
  std::string body;
};

// The server's own error message from an OpenAI-style error body ({"error": {"message"}} or
// {"error": "..."}), else the body's first 200 bytes.
std::string ServerMessage(const std::string& body);

// Runs the prepared request (method, body and headers already set) against `url`. Errors name
// the URL: timeouts, refused connections and 5xx are kUnavailable, 429 kResourceExhausted,
// 401/403 kPermissionDenied, 404 kNotFound, other 4xx and malformed URLs kInvalidArgument.
Result<HttpReply> PerformRequest(CURL* curl, const std::string& url, long timeout_ms,
                                 long connect_timeout_ms);

// `url` without trailing slashes.
std::string TrimSlash(std::string url);

}  // namespace cutroom::integrations
