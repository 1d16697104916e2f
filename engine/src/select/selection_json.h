// JSON form of a Selection (the clip job's selection.json): the chosen clips, best first, with
// exact start/end times, score components, reason and metadata, and the warnings. Lossless:
// SelectionFromJson(SelectionToJson(s)) equals s (times are written as exact fractions).
#pragma once

#include <string>
#include <string_view>

#include "cutroom/status.h"
#include "select/clip_selector.h"

namespace cutroom::select {

std::string SelectionToJson(const Selection& selection);
// Errors: DataLoss for text that is not selection.json of this version.
Result<Selection> SelectionFromJson(std::string_view json);

}  // namespace cutroom::select
