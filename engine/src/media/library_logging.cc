#include "media/library_logging.h"

extern "C" {
#include <libavutil/log.h>
}

namespace cutroom::media {

void SetLibraryLogging(bool verbose) { av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_FATAL); }

}  // namespace cutroom::media
