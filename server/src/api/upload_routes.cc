// /api/v1/workspaces/{ws}/uploads: media uploads (streamed to disk by the http layer, validated by
// probing, stored under generated names) and URL ingest (SSRF-checked, downloaded off the HTTP
// threads). An upload's state lives in its media_json: {"state":"ready","media":{probe}},
// {"state":"downloading"} or {"state":"failed","error":"..."}.
#include <filesystem>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_json.h"
#include "api/json_input.h"
#include "auth/secrets.h"
#include "media/probe.h"
#include "url_ingest.h"

namespace cutroom::server::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The client's file name for display: its last path component, printable, at most 200 bytes.
std::string SanitizeFilename(std::string_view given) {
  size_t slash = given.find_last_of("/\\");
  if (slash != std::string_view::npos) given = given.substr(slash + 1);
  std::string out;
  for (unsigned char c : given) {
    if (c >= 0x20 && c != 0x7f && c != '"') out += static_cast<char>(c);
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  if (out.size() > 200) out.resize(200);
  return out.empty() ? "upload" : out;
}

std::string StoredExtension(const std::string& filename) {
  std::string ext = fs::path(filename).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* ok : {".mp4", ".mov", ".mkv", ".webm", ".m4v", ".avi", ".ts", ".flv", ".m4a", ".mp3", ".wav",
                         ".aac", ".ogg", ".opus", ".flac"}) {
    if (ext == ok) return ext;
  }
  return ".media";
}

std::string UploadDir(const ApiContext& ctx, int64_t ws) {
  return ctx.data.root + "/uploads/" + std::to_string(ws);
}

// Probes `path`: the media summary, or InvalidArgument naming what is wrong with the file.
Result<json> ProbeMedia(const std::string& path) {
  auto info = media::ProbeFile(path);
  if (!info.ok()) return InvalidArgumentError("not a media file FFmpeg can read: " + info.status().message());
  if (info->video() == nullptr && info->audio() == nullptr) {
    return InvalidArgumentError("the file has neither a video nor an audio stream");
  }
  json media = json::parse(media::MediaInfoToJson(*info), nullptr, false);
  if (media.is_discarded()) media = json::object();
  media.erase("path");
  return media;
}

Result<http::Response> CreateUpload(ApiContext& ctx, Call& call) {
  const http::Request& req = call.request;
  if (req.body_file.empty() || req.body_bytes == 0) return InvalidArgumentError("the upload is empty");
  std::string filename = SanitizeFilename(req.HasQuery("filename") ? req.Query("filename") : req.Header("x-filename"));
  CR_ASSIGN_OR_RETURN(json media, ProbeMedia(req.body_file));
  std::string dir = UploadDir(ctx, call.workspace_id);
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string stored = dir + "/" + auth::RandomToken(16) + StoredExtension(filename);
  fs::rename(req.body_file, stored, ec);
  if (ec) return InternalError("cannot store the upload: " + ec.message());
  jobs::Upload upload;
  upload.workspace_id = call.workspace_id;
  upload.user_id = call.principal.user.id;
  upload.filename = filename;
  upload.stored_path = stored;
  upload.size_bytes = req.body_bytes;
  upload.media_json = json{{"state", "ready"}, {"media", media}}.dump();
  upload.created_at_ms = ctx.NowMs();
  auto id = ctx.app.CreateUpload(upload);
  if (!id.ok()) {
    fs::remove(stored, ec);
    return id.status();
  }
  upload.id = *id;
  ctx.Audit(call, "upload.create", "upload:" + std::to_string(upload.id));
  return JsonResponse(201, UploadJson(upload).dump());
}

void Download(ApiContext& ctx, jobs::Upload upload, std::string url) {
  std::string part = upload.stored_path + ".download";
  integrations::UrlIngestOptions options;
  options.max_bytes = ctx.options.upload_limit_bytes;
  options.allowed_hosts = ctx.options.ingest_allowed_hosts;
  auto resolver = integrations::SystemResolver();
  auto result = integrations::IsPlatformUrl(url)
                    ? integrations::IngestPlatformUrl(url, part, options, ctx.stopping)
                    : integrations::IngestUrl(url, part, *resolver, options, ctx.stopping);
  Result<json> media = result.ok() ? ProbeMedia(part) : Result<json>(result.status());
  std::error_code ec;
  if (media.ok()) {
    fs::rename(part, upload.stored_path, ec);
    upload.size_bytes = result->size_bytes;
    if (upload.filename == "download" && !result->filename.empty()) upload.filename = SanitizeFilename(result->filename);
    upload.media_json = json{{"state", "ready"}, {"media", *media}}.dump();
  } else {
    fs::remove(part, ec);
    upload.media_json = json{{"state", "failed"}, {"error", media.status().message()}}.dump();
  }
  Status s = ctx.app.UpdateUpload(upload);
  if (!s.ok()) ctx.logger.Error("upload update failed", {{"upload", std::to_string(upload.id)}, {"error", s.ToString()}});
}

Result<http::Response> CreateUrlUpload(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"url", "filename"}));
  CR_ASSIGN_OR_RETURN(std::string url, in.String("url", 4096));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> filename, in.OptString("filename", 200));
  if (!integrations::IsPlatformUrl(url)) {
    // Refused at once, before any connection: the same checks IngestUrl repeats on every hop.
    integrations::UrlIngestOptions options;
    options.allowed_hosts = ctx.options.ingest_allowed_hosts;
    auto resolver = integrations::SystemResolver();
    CR_RETURN_IF_ERROR(integrations::CheckUrlAllowed(url, *resolver, options));
  }
  std::string dir = UploadDir(ctx, call.workspace_id);
  std::error_code ec;
  fs::create_directories(dir, ec);
  jobs::Upload upload;
  upload.workspace_id = call.workspace_id;
  upload.user_id = call.principal.user.id;
  upload.filename = filename ? SanitizeFilename(*filename) : "download";
  upload.stored_path = dir + "/" + auth::RandomToken(16) + StoredExtension(upload.filename);
  upload.source_url = url;
  upload.media_json = json{{"state", "downloading"}}.dump();
  upload.created_at_ms = ctx.NowMs();
  CR_ASSIGN_OR_RETURN(upload.id, ctx.app.CreateUpload(upload));
  ctx.Audit(call, "upload.url", "upload:" + std::to_string(upload.id));
  ApiContext* c = &ctx;
  ctx.run_background([c, upload, url] { Download(*c, upload, url); });
  return JsonResponse(202, UploadJson(upload).dump());
}

Result<http::Response> ListUploads(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t limit, call.QueryInt("limit", 50, 1, 500));
  CR_ASSIGN_OR_RETURN(int64_t after, call.QueryInt("after", 0, 0, INT64_MAX));
  CR_ASSIGN_OR_RETURN(auto uploads, ctx.app.ListUploads(call.workspace_id, static_cast<int>(limit), after));
  json items = json::array();
  for (const auto& u : uploads) items.push_back(UploadJson(u));
  json body = {{"items", items}};
  if (static_cast<int64_t>(uploads.size()) == limit) body["next_after"] = uploads.back().id;
  return JsonResponse(200, body.dump());
}

Result<http::Response> GetUpload(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  CR_ASSIGN_OR_RETURN(jobs::Upload upload, ctx.app.GetUpload(call.workspace_id, id));
  return JsonResponse(200, UploadJson(upload).dump());
}

Result<http::Response> DeleteUpload(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  CR_ASSIGN_OR_RETURN(jobs::Upload upload, ctx.app.GetUpload(call.workspace_id, id));
  CR_RETURN_IF_ERROR(ctx.app.DeleteUpload(call.workspace_id, id));
  std::error_code ec;
  fs::remove(upload.stored_path, ec);
  ctx.Audit(call, "upload.delete", "upload:" + std::to_string(id));
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

void AddUploadRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  auto add = [&](const char* method, const char* pattern, jobs::Role role,
                 Result<http::Response> (*fn)(ApiContext&, Call&), bool file_body = false) {
    router.Add({method, pattern, "", Access::kWorkspaceRole, role, [c, fn](Call& call) { return fn(*c, call); },
                file_body});
  };
  add("POST", "/api/v1/workspaces/{ws}/uploads", jobs::Role::kEditor, CreateUpload, /*file_body=*/true);
  add("POST", "/api/v1/workspaces/{ws}/uploads/url", jobs::Role::kEditor, CreateUrlUpload);
  add("GET", "/api/v1/workspaces/{ws}/uploads", jobs::Role::kViewer, ListUploads);
  add("GET", "/api/v1/workspaces/{ws}/uploads/{id}", jobs::Role::kViewer, GetUpload);
  add("DELETE", "/api/v1/workspaces/{ws}/uploads/{id}", jobs::Role::kEditor, DeleteUpload);
}

}  // namespace cutroom::server::api
