/* A write that failed because the storage is full (ENOSPC, EDQUOT) or a file may
 * not grow (EFBIG, a file-size limit): the machine's fault, never a strategy's. An
 * embedded database (SQLite) writes its file from the test's own process, so its
 * backend notes such a failure here; the test's child reports it and the run records
 * the test as not measured, writebench's own error, exit 2 (issue 10, item 2). */
#ifndef WB_UTIL_STORAGE_FAULT_H
#define WB_UTIL_STORAGE_FAULT_H

/* Note err (an errno) if it says the storage is full or a file may not grow. */
void wb_storage_fault_note(int err);
/* The errno noted in this process (0: none). */
int wb_storage_fault(void);

#endif
