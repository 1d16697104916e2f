#include "curl_util.h"

#include <mutex>
#include <nlohmann/json.hpp>

namespace cutroom::integrations {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string ServerMessage(const std::string& body) {
  try {
    nlohmann::json j = nlohmann::json::parse(body);
    if (j.contains("error")) {
      const nlohmann::json& e = j["error"];
      if (e.is_object() && e.contains("message") && e["message"].is_string()) {
        return e["message"].get<std::string>();
      }
      if (e.is_string()) return e.get<std::string>();
    }
  } catch (const std::exception&) {
  }
  return body.substr(0, 200);
}

Result<HttpReply> PerformRequest(CURL* curl, const std::string& url, long timeout_ms,
                                 long connect_timeout_ms) {
  HttpReply reply;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl);
  const std::string detail = error[0] != '\0' ? error : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OK:
      break;
    case CURLE_OPERATION_TIMEDOUT:
      return UnavailableError(url + ": timed out (" + detail + ")");
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return UnavailableError(url + ": " + detail);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return InvalidArgumentError(url + ": " + detail);
    default:
      return UnavailableError(url + ": " + detail);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  if (reply.status >= 200 && reply.status < 300) return reply;
  const std::string message =
      url + ": HTTP " + std::to_string(reply.status) + ": " + ServerMessage(reply.body);
  if (reply.status == 429) return ResourceExhaustedError(message);
  if (reply.status >= 500) return UnavailableError(message);
  if (reply.status == 401 || reply.status == 403) return PermissionDeniedError(message);
  if (reply.status == 404) return NotFoundError(message);
  return InvalidArgumentError(message);
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace cutroom::integrations
