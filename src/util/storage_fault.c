/* The storage fault of this process (see storage_fault.h). One per process: a test
 * runs in a forked child of its own, and its threads all write the same file. */
#include "util/storage_fault.h"

#include <errno.h>
#include <signal.h>

static volatile sig_atomic_t noted_errno;

void wb_storage_fault_note(int err)
{
    if (err == ENOSPC || err == EFBIG || err == EDQUOT)
        noted_errno = err;
}

int wb_storage_fault(void)
{
    return (int)noted_errno;
}
