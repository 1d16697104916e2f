#include "api/file_response.h"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>

namespace cutroom::server::api {
namespace {

struct ByteRange {
  int64_t first = 0;
  int64_t last = 0;  // inclusive
};

// nullopt: no usable range (serve whole); OutOfRange: unsatisfiable.
Result<std::optional<ByteRange>> ParseRange(std::string_view header, int64_t size) {
  if (header.empty()) return std::optional<ByteRange>();
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return std::optional<ByteRange>();
  std::string_view spec = header.substr(kPrefix.size());
  if (spec.find(',') != std::string_view::npos) return std::optional<ByteRange>();  // multi-range: whole
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteRange>();
  auto number = [](std::string_view s, int64_t& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size() && out >= 0;
  };
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  ByteRange r;
  if (a.empty()) {  // suffix: the last N bytes
    int64_t n = 0;
    if (!number(b, n)) return std::optional<ByteRange>();
    if (n == 0 || size == 0) return OutOfRangeError("range not satisfiable");
    r.first = std::max<int64_t>(0, size - n);
    r.last = size - 1;
  } else {
    if (!number(a, r.first)) return std::optional<ByteRange>();
    if (b.empty()) {
      r.last = size - 1;
    } else if (!number(b, r.last) || r.last < r.first) {
      return std::optional<ByteRange>();
    }
    if (r.first >= size) return OutOfRangeError("range not satisfiable");
    r.last = std::min(r.last, size - 1);
  }
  return std::optional<ByteRange>(r);
}

}  // namespace

std::string ContentTypeFor(std::string_view path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
      {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"}, {".mp4", "video/mp4"},
      {".m4a", "audio/mp4"}, {".webm", "video/webm"}, {".vtt", "text/vtt; charset=utf-8"},
      {".srt", "application/x-subrip; charset=utf-8"}, {".ass", "text/x-ssa; charset=utf-8"},
      {".fcpxml", "application/xml"}, {".edl", "text/plain; charset=utf-8"},
      {".otio", "application/json"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
  };
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return std::string(type);
  }
  return "application/octet-stream";
}

Result<http::Response> FileResponse(const std::string& path, std::string_view range_header,
                                    std::string_view download_name) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return NotFoundError("file not found");
  const int64_t size = st.st_size;
  http::Response r;
  r.headers.emplace_back("Content-Type", ContentTypeFor(path));
  r.headers.emplace_back("Accept-Ranges", "bytes");
  r.headers.emplace_back("ETag", "\"" + std::to_string(size) + "-" + std::to_string(st.st_mtime) + "\"");
  if (!download_name.empty()) {
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + std::string(download_name) + "\"");
  }
  auto range = ParseRange(range_header, size);
  if (!range.ok()) {
    r.status = 416;
    r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return r;
  }
  r.file_path = path;
  if (range->has_value()) {
    const ByteRange& br = **range;
    r.status = 206;
    r.file_offset = br.first;
    r.file_length = br.last - br.first + 1;
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(br.first) + "-" + std::to_string(br.last) +
                                                "/" + std::to_string(size));
  } else {
    r.status = 200;
    r.file_offset = 0;
    r.file_length = size;
  }
  return r;
}

Result<http::Response> StaticFileResponse(const std::string& dist, std::string_view request_path,
                                          std::string_view range_header) {
  if (dist.empty()) return NotFoundError("the web UI is not built (web/dist); the API is at /api/v1");
  std::string rel;
  bool has_extension = false;
  size_t i = 0;
  while (i < request_path.size()) {
    size_t j = request_path.find('/', i);
    if (j == std::string_view::npos) j = request_path.size();
    std::string_view seg = request_path.substr(i, j - i);
    i = j + 1;
    if (seg.empty()) continue;
    if (seg[0] == '.' || seg.find('\\') != std::string_view::npos || seg.find('\0') != std::string_view::npos) {
      return NotFoundError("no such file");
    }
    rel += "/" + std::string(seg);
    has_extension = seg.find('.') != std::string_view::npos;
  }
  std::string path = dist + (rel.empty() ? "/index.html" : rel);
  auto response = FileResponse(path, range_header);
  if (!response.ok() && response.status().code() == StatusCode::kNotFound && !has_extension) {
    response = FileResponse(dist + "/index.html", "");
  }
  if (response.ok()) {
    bool html = ContentTypeFor(response->file_path).starts_with("text/html");
    response->headers.emplace_back("Cache-Control", html ? "no-cache" : "public, max-age=3600");
  }
  return response;
}

}  // namespace cutroom::server::api
