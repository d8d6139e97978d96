/* File-system helpers (see fs.h). */
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Make one directory level; an existing directory counts as success. */
static int mkdir_one(const char *path, wb_error *e)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        return wb_fail(e, "'%s' exists and is not a directory", path);
    }
    if (errno != ENOENT)
        return wb_fail(e, "cannot access '%s': %s", path, strerror(errno));
    /* 0777: the umask decides, as for mkdir -p */
    if (mkdir(path, 0777) == 0)
        return 0;
    int err = errno;
    if (err == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0; /* made by someone else meanwhile */
    return wb_fail(e, "cannot create directory '%s': %s", path, strerror(err));
}

int wb_fs_mkdir_p(const char *path, wb_error *e)
{
    size_t len = strlen(path);
    if (len == 0)
        return wb_fail(e, "empty directory name");
    if (len >= PATH_MAX)
        return wb_fail(e, "directory name too long: '%.100s...'", path);
    char partial[PATH_MAX];
    memcpy(partial, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (partial[i] != '/' || partial[i - 1] == '/')
            continue;
        partial[i] = '\0';
        int rc = mkdir_one(partial, e);
        partial[i] = '/';
        if (rc < 0)
            return -1;
    }
    return mkdir_one(partial, e);
}

int wb_fs_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* fsync the directory holding path, so a rename into it survives a crash. */
static int fsync_parent_dir(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        strcpy(dir, ".");
    } else if (slash == path) {
        strcpy(dir, "/");
    } else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return -1;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int wb_fs_write_file_atomic(const char *path, const void *data, size_t len, wb_error *e)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return wb_fail(e, "file name too long: '%.100s...'", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return wb_fail(e, "cannot create '%s': %s", tmp, strerror(errno));
    if (wb_fs_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int err = errno;
        close(fd);
        unlink(tmp);
        return wb_fail(e, "cannot write '%s': %s", tmp, strerror(err));
    }
    if (close(fd) < 0) {
        int err = errno;
        unlink(tmp);
        return wb_fail(e, "cannot write '%s': %s", tmp, strerror(err));
    }
    if (rename(tmp, path) < 0) {
        int err = errno;
        unlink(tmp);
        return wb_fail(e, "cannot rename '%s' to '%s': %s", tmp, path, strerror(err));
    }
    /* The rename is visible to readers already; the directory fsync only adds
     * durability across a power loss, so its failure is not worth failing for. */
    (void)fsync_parent_dir(path);
    return 0;
}

int wb_fs_read_file(const char *path, wb_buf *out, wb_error *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wb_fail(e, "cannot open '%s': %s", path, strerror(errno));
    for (;;) {
        wb_buf_reserve(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            return wb_fail(e, "cannot read '%s': %s", path, strerror(err));
        }
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (n == 0)
            break;
    }
    close(fd);
    return 0;
}

int64_t wb_fs_file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return (int64_t)st.st_size;
}
