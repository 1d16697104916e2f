// JSON forms of jobs, steps and events, as `cutroom jobs ... --json` prints them (and the HTTP
// API will return): {"id","kind","state","inputs","options","workspace_id","brand_id",
// "created_at_ms",...,"error":{"code","message"}|null,"steps":[{"name","state","deps",
// "attempts","max_attempts","progress","progress_message","cache_key","cache_hit","outputs":[...],
// "error":...,...}]}. docs/jobs.md lists every field.
#pragma once

#include <string>
#include <vector>

#include "cutroom/jobs/job_store.h"
#include "cutroom/jobs/model.h"

namespace cutroom::jobs {

std::string JobToJson(const Job& job);  // with "steps" when job.steps is not empty
std::string JobPageToJson(const JobPage& page);
std::string EventsToJson(const std::vector<JobEvent>& events);

}  // namespace cutroom::jobs
