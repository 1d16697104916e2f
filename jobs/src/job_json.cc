#include "cutroom/jobs/job_json.h"

#include <nlohmann/json.hpp>

namespace cutroom::jobs {
namespace {

using nlohmann::json;

json ErrorJson(StatusCode code, const std::string& message) {
  if (code == StatusCode::kOk) return nullptr;
  return {{"code", std::string(StatusCodeName(code))}, {"message", message}};
}

json StepJson(const Step& s) {
  json outputs = json::array();
  for (const auto& a : s.outputs) outputs.push_back({{"name", a.name}, {"sha256", a.sha256}, {"size", a.size_bytes}});
  return {{"name", s.name},
          {"state", std::string(StepStateName(s.state))},
          {"deps", s.deps},
          {"attempts", s.attempts},
          {"max_attempts", s.max_attempts},
          {"timeout_ms", s.timeout_ms},
          {"lease_owner", s.lease_owner},
          {"lease_expires_at_ms", s.lease_expires_at_ms},
          {"heartbeat_at_ms", s.heartbeat_at_ms},
          {"not_before_ms", s.not_before_ms},
          {"started_at_ms", s.started_at_ms},
          {"finished_at_ms", s.finished_at_ms},
          {"duration_ms", s.duration_ms},
          {"progress", s.progress},
          {"progress_message", s.progress_message},
          {"cache_key", s.cache_key},
          {"cache_hit", s.cache_hit},
          {"cpu_seconds", s.cpu_seconds},
          {"outputs", outputs},
          {"error", ErrorJson(s.error_code, s.error_message)}};
}

json JobJsonValue(const Job& job) {
  json j = {{"id", job.id},
            {"kind", job.kind},
            {"state", std::string(JobStateName(job.state))},
            {"inputs", job.inputs},
            {"options", job.options},
            {"workspace_id", job.workspace_id},
            {"brand_id", job.brand_id},
            {"created_at_ms", job.created_at_ms},
            {"updated_at_ms", job.updated_at_ms},
            {"started_at_ms", job.started_at_ms},
            {"finished_at_ms", job.finished_at_ms},
            {"cpu_seconds", job.cpu_seconds},
            {"error", ErrorJson(job.error_code, job.error_message)}};
  if (!job.steps.empty()) {
    json steps = json::array();
    for (const auto& s : job.steps) steps.push_back(StepJson(s));
    j["steps"] = steps;
  }
  return j;
}

}  // namespace

std::string JobToJson(const Job& job) { return JobJsonValue(job).dump(); }

std::string JobPageToJson(const JobPage& page) {
  json jobs = json::array();
  for (const auto& j : page.jobs) jobs.push_back(JobJsonValue(j));
  json out = {{"jobs", jobs}, {"next_after_id", page.next_after_id == 0 ? json(nullptr) : json(page.next_after_id)}};
  return out.dump();
}

std::string EventsToJson(const std::vector<JobEvent>& events) {
  json arr = json::array();
  for (const auto& e : events) {
    arr.push_back({{"id", e.id}, {"job_id", e.job_id}, {"step", e.step}, {"type", e.type},
                   {"message", e.message}, {"at_ms", e.at_ms}});
  }
  return arr.dump();
}

}  // namespace cutroom::jobs
