/* attnviz cancellation: see cancel.h. */
#include "attnviz/cancel.h"

#include <stddef.h>

static const volatile sig_atomic_t *watched;

void avz_cancel_on(const volatile sig_atomic_t *flag) {
    watched = flag;
}

bool avz_cancelled(void) {
    return watched && *watched;
}
