/* attnviz errors: the one place that formats an error message. */
#include "attnviz/error.h"

#include <stdarg.h>
#include <stdio.h>

int avz_error_set(avz_error *err, int code, const char *fmt, ...) {
    if (!err || err->code != 0)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}
