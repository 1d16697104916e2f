// JSON forms of the server's records, as the API returns them (api/openapi.yaml has the schemas).
#pragma once

#include <nlohmann/json.hpp>

#include "cutroom/jobs/app_store.h"
#include "cutroom/jobs/model.h"

namespace cutroom::server::api {

nlohmann::json UserJson(const jobs::User& user);  // never the password hash
nlohmann::json TokenJson(const jobs::ApiToken& token);  // never the hash
nlohmann::json WorkspaceJson(const jobs::Workspace& ws, jobs::Role role);
nlohmann::json MemberJson(const jobs::Member& member);
nlohmann::json UploadJson(const jobs::Upload& upload);  // never the stored path
nlohmann::json BrandJson(const jobs::Brand& brand);
nlohmann::json ReviewJson(const jobs::Review& review);
nlohmann::json AuditJson(const jobs::AuditEntry& entry);
// A job without server paths (inputs and path options are left out).
nlohmann::json JobJson(const jobs::Job& job);
// The same JSON for a listed job (no steps), written straight to text: job lists are the API's
// most frequent response, and building a JSON tree per job costs several times more.
void AppendJobListItem(const jobs::Job& job, std::string& out);

}  // namespace cutroom::server::api
