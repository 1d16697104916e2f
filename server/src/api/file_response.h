// File downloads: the right Content-Type, HTTP Range requests (browsers seek in videos with
// them) and the web UI's static files with single-page-app fallback. Files are streamed by the
// http layer in chunks, never read whole.
#pragma once

#include <string>
#include <string_view>

#include "cutroom/status.h"
#include "http/http_server.h"

namespace cutroom::server::api {

// Content type from the file extension ("video/mp4", "text/vtt; charset=utf-8", ...).
std::string ContentTypeFor(std::string_view path);

// A response for `path` honouring `range_header` ("bytes=0-99", "bytes=100-", "bytes=-500"):
// 206 with Content-Range for a satisfiable single range, 416 (OutOfRange) for an unsatisfiable
// one, 200 with the whole file otherwise. NotFound when the file does not exist.
// `download_name` non-empty adds Content-Disposition: attachment.
Result<http::Response> FileResponse(const std::string& path, std::string_view range_header,
                                    std::string_view download_name = "");

// The web UI: `request_path` mapped inside `dist` (no "..", no hidden files); unknown paths
// without a file extension get index.html (client-side routes). NotFound otherwise.
Result<http::Response> StaticFileResponse(const std::string& dist, std::string_view request_path,
                                          std::string_view range_header);

}  // namespace cutroom::server::api
