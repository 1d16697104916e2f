// FFmpeg writes its own messages to stderr; the CLI (the composition root) decides how much.
#pragma once

namespace cutroom::media {

// verbose: FFmpeg warnings and info; otherwise errors only, which our Status messages repeat.
// Process-wide FFmpeg setting: call once from main().
void SetLibraryLogging(bool verbose);

}  // namespace cutroom::media
