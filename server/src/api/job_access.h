// Looking up a job through the API: a job of another workspace is NotFound, exactly like a job
// that does not exist, so members of one workspace learn nothing about another's.
#pragma once

#include "api/api_context.h"
#include "cutroom/jobs/model.h"

namespace cutroom::server::api {

// The job named by the {id} path parameter, if it belongs to the call's workspace.
Result<jobs::Job> JobOfWorkspace(ApiContext& ctx, const Call& call);

}  // namespace cutroom::server::api
