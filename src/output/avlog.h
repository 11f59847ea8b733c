/* Internal: what every user of libav in the outputs shares: its errors as errno values, and its
 * log, which stays silent unless avz_encoder_log asked for it. */
#ifndef ATTNVIZ_OUTPUT_AVLOG_H
#define ATTNVIZ_OUTPUT_AVLOG_H

#include <errno.h>

/* libav errors are either AVERROR(errno) or tagged codes; callers get an errno either way. */
static inline int avz_errno_of(int averr) {
    return averr < 0 && averr > -4096 ? averr : -EIO;
}

/* Sets libav's log level: silent unless avz_encoder_log asked for its log. */
void avz_av_quiet(void);

#endif
