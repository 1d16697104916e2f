// JSON encodings of model pieces stored in one column (string maps, artifact lists). Private to
// the jobs module; nlohmann::json stays in codec.cc and job_json.cc.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cutroom/jobs/model.h"

namespace cutroom::jobs {

std::string StringMapToJson(const std::map<std::string, std::string>& map);
Result<std::map<std::string, std::string>> StringMapFromJson(std::string_view json);
std::string ArtifactsToJson(const std::vector<ArtifactRef>& artifacts);
Result<std::vector<ArtifactRef>> ArtifactsFromJson(std::string_view json);

}  // namespace cutroom::jobs
