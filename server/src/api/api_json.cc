#include "api/api_json.h"

#include <charconv>

#include "cutroom/jobs/job_json.h"
#include "cutroom/log.h"


namespace cutroom::server::api {

using nlohmann::json;

json UserJson(const jobs::User& u) {
  return {{"id", u.id}, {"email", u.email}, {"name", u.name}, {"created_at_ms", u.created_at_ms}};
}

json TokenJson(const jobs::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"prefix", t.prefix},
          {"created_at_ms", t.created_at_ms},
          {"last_used_at_ms", t.last_used_at_ms},
          {"revoked", t.revoked_at_ms != 0}};
}

json WorkspaceJson(const jobs::Workspace& ws, jobs::Role role) {
  return {{"id", ws.id}, {"name", ws.name}, {"role", jobs::RoleName(role)}, {"created_at_ms", ws.created_at_ms}};
}

json MemberJson(const jobs::Member& m) {
  return {{"user_id", m.user_id}, {"email", m.email}, {"role", jobs::RoleName(m.role)}, {"created_at_ms", m.created_at_ms}};
}

json UploadJson(const jobs::Upload& u) {
  json media = json::parse(u.media_json, nullptr, false);
  if (media.is_discarded()) media = nullptr;
  std::string state = "ready";
  if (media.is_object() && media.contains("state")) state = media["state"].get<std::string>();
  json out = {{"id", u.id},       {"workspace_id", u.workspace_id}, {"filename", u.filename},
              {"size_bytes", u.size_bytes}, {"state", state},      {"created_at_ms", u.created_at_ms},
              {"source_url", u.source_url}};
  if (media.is_object() && media.contains("error")) out["error"] = media["error"];
  if (media.is_object() && media.contains("media")) out["media"] = media["media"];
  return out;
}

json BrandJson(const jobs::Brand& b) {
  json settings = json::parse(b.settings_json, nullptr, false);
  if (settings.is_discarded()) settings = json::object();
  return {{"id", b.id},         {"workspace_id", b.workspace_id}, {"name", b.name},
          {"settings", settings}, {"created_at_ms", b.created_at_ms}, {"updated_at_ms", b.updated_at_ms}};
}

json ReviewJson(const jobs::Review& r) {
  return {{"id", r.id},         {"clip_id", r.clip_id}, {"user_id", r.user_id},           {"decision", r.decision},
          {"reason", r.reason}, {"comment", r.comment}, {"created_at_ms", r.created_at_ms}};
}

json AuditJson(const jobs::AuditEntry& e) {
  return {{"id", e.id},         {"at_ms", e.at_ms},   {"user_id", e.user_id},           {"workspace_id", e.workspace_id},
          {"action", e.action}, {"target", e.target}, {"request_id", e.request_id}, {"ip", e.ip}};
}

// A single job (with steps): the job model's own JSON (jobs::JobToJson) without inputs, path
// options and cache keys. Not on a hot path; lists use AppendJobListItem.
json JobJson(const jobs::Job& job) {
  json out = json::parse(jobs::JobToJson(job));
  out.erase("inputs");
  for (const char* path_option : {"output", "subtitles", "weights"}) out["options"].erase(path_option);
  if (out.contains("steps")) {
    for (json& step : out["steps"]) step.erase("cache_key");
  }
  return out;
}

namespace {

void AppendString(std::string& out, std::string_view text) {
  out += '"';
  out += JsonEscape(text);
  out += '"';
}

void AppendNumber(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view text(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  out += text.empty() ? "0" : text;
  if (text.find_first_of(".eEn") == std::string_view::npos && !text.empty()) out += ".0";  // stays a float
}

}  // namespace

void AppendJobListItem(const jobs::Job& job, std::string& out) {
  out += "{\"id\":" + std::to_string(job.id) + ",\"kind\":";
  AppendString(out, job.kind);
  out += ",\"state\":";
  AppendString(out, jobs::JobStateName(job.state));
  out += ",\"options\":{";
  bool first = true;
  for (const auto& [key, value] : job.options) {
    if (key == "output" || key == "subtitles" || key == "weights") continue;
    if (!first) out += ',';
    first = false;
    AppendString(out, key);
    out += ':';
    AppendString(out, value);
  }
  out += "},\"workspace_id\":";
  AppendString(out, job.workspace_id);
  out += ",\"brand_id\":";
  AppendString(out, job.brand_id);
  out += ",\"created_at_ms\":" + std::to_string(job.created_at_ms);
  out += ",\"updated_at_ms\":" + std::to_string(job.updated_at_ms);
  out += ",\"started_at_ms\":" + std::to_string(job.started_at_ms);
  out += ",\"finished_at_ms\":" + std::to_string(job.finished_at_ms);
  out += ",\"cpu_seconds\":";
  AppendNumber(out, job.cpu_seconds);
  out += ",\"error\":";
  if (job.error_code == StatusCode::kOk) {
    out += "null";
  } else {
    out += "{\"code\":";
    AppendString(out, StatusCodeName(job.error_code));
    out += ",\"message\":";
    AppendString(out, job.error_message);
    out += '}';
  }
  out += '}';
}

}  // namespace cutroom::server::api
