/* Small file-system helpers: mkdir -p, whole writes, atomic replacement of a
 * file, reading a file whole, a file's size. Errors name the path and the reason. */
#ifndef WB_UTIL_FS_H
#define WB_UTIL_FS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

/* Create the directory and its missing parents (like mkdir -p); an existing
 * directory is fine, an existing non-directory is an error. */
int wb_fs_mkdir_p(const char *path, wb_error *e);
/* Write all len bytes to fd, retrying short writes and EINTR; 0, or -1 with errno set. */
int wb_fs_write_all(int fd, const void *data, size_t len);
/* Replace path's contents with data: write "<path>.tmp", fsync it, rename it over
 * path and fsync the directory, so a reader sees the old file or the new one,
 * never a partial one. */
int wb_fs_write_file_atomic(const char *path, const void *data, size_t len, wb_error *e);
/* Append the whole file's contents to out. */
int wb_fs_read_file(const char *path, wb_buf *out, wb_error *e);
/* The file's size in bytes, or -1 when it does not exist or cannot be read. */
int64_t wb_fs_file_size(const char *path);

#endif
