/* attnviz libav log: see avlog.h. */
#include "avlog.h"

#include <libavutil/log.h>
#include <stdbool.h>

#include "attnviz/pipeline.h"

static bool encoder_log;

void avz_encoder_log(bool on) {
    encoder_log = on;
}

/* libav and libx264 log to stderr through av_log; the library never prints unless asked, and
 * every failure reaches the caller as an error code and message instead. */
void avz_av_quiet(void) {
    av_log_set_level(encoder_log ? AV_LOG_INFO : AV_LOG_QUIET);
}
