/* The run's files under <results>/<run-id>/ (formats in docs/FORMATS.md).
 *
 * results.csv and run.log are written with one write(2) per row or line on
 * descriptors opened O_APPEND|O_CLOEXEC: nothing sits in a stdio buffer that a
 * forked child could flush a second time or that a killed run could lose, and
 * external strategy programs do not inherit the descriptors. results.json is
 * rewritten whole after every result from objects rendered once and kept in
 * memory, then renamed into place, so it is always a complete document. */
#include "runner/run_files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/utf8.h"

#ifndef WB_SOURCE_DIR
#define WB_SOURCE_DIR ""
#endif

/* Generated at build time by cmake/build_info.cmake. */
extern const char *const wb_build_version;
extern const char *const wb_build_commit;

/* How a wb_result field is written. */
typedef enum field_kind {
    FIELD_TEXT,   /* char array: CSV field as is, JSON string */
    FIELD_INT,    /* int64_t, -1 unknown: CSV empty, JSON null */
    FIELD_REAL,   /* double, NAN unknown: CSV with `decimals`, JSON full precision */
    FIELD_BOOL,   /* int: CSV 1/0, JSON true/false */
    FIELD_STATUS, /* wb_status: its name */
    FIELD_ORIGIN, /* int external: "built-in" or "external" (wb_origin_name) */
    FIELD_LANGUAGE /* char array: wb_result_language, never empty */
} field_kind;

typedef struct result_field {
    const char *name;
    field_kind kind;
    size_t offset; /* in wb_result */
    size_t size;   /* of the member, to bound text fields */
    int decimals;  /* FIELD_REAL in results.csv */
} result_field;

/* The columns of results.csv, in order (docs/ARCHITECTURE.md, "Results files").
 * New columns may be appended at the end; never reorder or rename one: scripts
 * read them for years. Each name is also the wb_result member it comes from. */
#define RESULT_CSV_COLUMNS(X)              \
    X(run_id, FIELD_TEXT, 0)               \
    X(test, FIELD_TEXT, 0)                 \
    X(strategy, FIELD_TEXT, 0)             \
    X(phase, FIELD_TEXT, 0)                \
    X(backend, FIELD_TEXT, 0)              \
    X(server_version, FIELD_TEXT, 0)       \
    X(workload, FIELD_TEXT, 0)             \
    X(rows, FIELD_INT, 0)                  \
    X(threads, FIELD_INT, 0)               \
    X(batch, FIELD_INT, 0)                 \
    X(repeat, FIELD_INT, 0)                \
    X(success, FIELD_BOOL, 0)              \
    X(rows_verified, FIELD_INT, 0)         \
    X(duration_s, FIELD_REAL, 6)           \
    X(rows_per_s, FIELD_REAL, 1)           \
    X(connect_s, FIELD_REAL, 6)            \
    X(cpu_user_s, FIELD_REAL, 6)           \
    X(cpu_sys_s, FIELD_REAL, 6)            \
    X(peak_rss_kb, FIELD_INT, 0)           \
    X(server_peak_rss_kb, FIELD_INT, 0)    \
    X(wal_bytes, FIELD_INT, 0)             \
    X(commits, FIELD_INT, 0)               \
    X(db_bytes, FIELD_INT, 0)              \
    X(error, FIELD_TEXT, 0)                \
    X(verify, FIELD_TEXT, 0)               \
    X(verify_s, FIELD_REAL, 6)             \
    X(process_s, FIELD_REAL, 6)            \
    X(settings, FIELD_TEXT, 0)             \
    X(standby_received_bytes, FIELD_INT, 0) \
    X(standby_lag_bytes, FIELD_INT, 0)     \
    X(standby_replay_lag_s, FIELD_REAL, 6) \
    X(batches, FIELD_INT, 0)               \
    X(batch_p50_ms, FIELD_REAL, 6)         \
    X(batch_p95_ms, FIELD_REAL, 6)         \
    X(batch_p99_ms, FIELD_REAL, 6)         \
    X(batch_max_ms, FIELD_REAL, 6)

/* Keys of results.json objects after the CSV columns, and the wb_result member
 * each comes from (JSON numbers keep full precision, so no decimals here). New
 * keys are appended at the end, like CSV columns. */
#define RESULT_JSON_EXTRAS(X)                  \
    X(status, status, FIELD_STATUS)            \
    X(slow, slow, FIELD_BOOL)                  \
    X(lock_waits, lock_waits, FIELD_INT)       \
    X(lock_wait_s, lock_wait_s, FIELD_REAL)    \
    X(server_share, server_share, FIELD_REAL)  \
    X(origin, external, FIELD_ORIGIN)          \
    X(language, language, FIELD_LANGUAGE)      \
    X(client_share, client_share, FIELD_REAL)  \
    X(io, io, FIELD_TEXT)                      \
    X(cache_lookups, cache_lookups, FIELD_INT) \
    X(stale_reads, stale_reads, FIELD_INT)     \
    X(transaction_retries, transaction_retries, FIELD_INT)

#define COLUMN_NAME(member, kind, decimals) #member,
#define COLUMN_SPEC(member, kind, decimals) \
    {#member, kind, offsetof(wb_result, member), sizeof(((wb_result *)0)->member), decimals},
#define EXTRA_SPEC(key, member, kind) {#key, kind, offsetof(wb_result, member), sizeof(((wb_result *)0)->member), 0},

const char *const wb_results_csv_columns[] = {RESULT_CSV_COLUMNS(COLUMN_NAME) NULL};

static const result_field csv_fields[] = {RESULT_CSV_COLUMNS(COLUMN_SPEC)};
static const result_field json_extra_fields[] = {RESULT_JSON_EXTRAS(EXTRA_SPEC)};

#define COUNT(a) (sizeof(a) / sizeof *(a))

struct wb_run_files {
    char dir[PATH_MAX];
    char run_id[64];
    int csv_fd;
    int log_fd;
    int log_failed;      /* a run.log write failed already: warn once */
    int64_t tests_planned; /* results.json "tests_planned"; -1 unknown */
    char state[16];        /* results.json "run_state": "running" until wb_run_files_finish */
    char cut_short[512];   /* why the run ended early ("" when it finished or still runs) */
    int nresults;          /* results added */
    wb_buf json_objects; /* rendered result objects, ",\n"-separated */
    wb_buf scratch;      /* the CSV row, the whole JSON document */
};

/* ---- run id ---- */

static void random_bytes(unsigned char *out, size_t n)
{
    if (getrandom(out, n, GRND_NONBLOCK) == (ssize_t)n)
        return;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t got = read(fd, out, n);
        close(fd);
        if (got == (ssize_t)n)
            return;
    }
    /* Last resort: distinct enough for runs started by different processes. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long mix = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(mix >> (8 * (i % sizeof mix)));
}

void wb_run_id_make(char *out, size_t n)
{
    if (n == 0)
        return;
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    unsigned char suffix[2];
    random_bytes(suffix, sizeof suffix);
    snprintf(out, n, "%s-%02x%02x", stamp, suffix[0], suffix[1]);
}

/* A run id becomes a directory name: keep it to one plain path component. */
static int run_id_is_valid(const char *run_id)
{
    size_t len = strlen(run_id);
    if (len == 0 || len >= sizeof ((wb_run_files *)0)->run_id || run_id[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = run_id[i];
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
                 c == '_' || c == '.';
        if (!ok)
            return 0;
    }
    return 1;
}

/* ---- results directory ---- */

int wb_results_dir_check(const char *results_dir, wb_error *e)
{
    if (!results_dir || !results_dir[0])
        return wb_fail(e, "results directory: the name is empty");
    struct stat st;
    if (stat(results_dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return wb_fail(e, "results directory '%s' is not a directory", results_dir);
    /* Nothing may be created before every input is known good (the database is
     * checked later), so a missing directory is judged by its nearest existing
     * ancestor; wb_run_files_open creates it. */
    char existing[PATH_MAX];
    if (snprintf(existing, sizeof existing, "%s", results_dir) >= (int)sizeof existing)
        return wb_fail(e, "results directory '%.100s...': name too long", results_dir);
    while (stat(existing, &st) != 0) {
        /* ENOTDIR: a parent is a regular file; walking up finds it and says so. */
        if (errno != ENOENT && errno != ENOTDIR)
            return wb_fail(e, "results directory '%s': %s", results_dir, strerror(errno));
        char *slash = strrchr(existing, '/');
        if (!slash) {
            snprintf(existing, sizeof existing, ".");
        } else if (slash == existing) {
            existing[1] = '\0';
        } else {
            *slash = '\0';
        }
    }
    if (!S_ISDIR(st.st_mode))
        return wb_fail(e, "results directory '%s' cannot be created: '%s' is not a directory", results_dir, existing);
    if (access(existing, W_OK | X_OK) != 0)
        return wb_fail(e, "results directory '%s' is not writable: %s", results_dir, strerror(errno));
    /* access() trusts permission bits; a read-only mount, an ACL or a full quota
     * only show when a file is really created (and removed again at once). */
    char probe[PATH_MAX];
    if (snprintf(probe, sizeof probe, "%s/.writebench-probe-%ld", existing, (long)getpid()) >= (int)sizeof probe)
        return wb_fail(e, "results directory '%.100s...': name too long", results_dir);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return wb_fail(e, "results directory '%s' is not writable: %s", results_dir, strerror(errno));
    close(fd);
    unlink(probe);
    return 0;
}

/* ---- opening ---- */

static int path_in_run(const wb_run_files *f, const char *name, char *out, size_t n)
{
    return snprintf(out, n, "%s/%s", f->dir, name) < (int)n ? 0 : -1;
}

/* Create a file that must not exist yet, for appending. */
static int create_append(const wb_run_files *f, const char *name, int *fd_out, wb_error *e)
{
    char path[PATH_MAX];
    if (path_in_run(f, name, path, sizeof path) < 0)
        return wb_fail(e, "run directory name too long: '%.100s...'", f->dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return wb_fail(e, "cannot create '%s': %s", path, strerror(errno));
    *fd_out = fd;
    return 0;
}

/* Write the whole results.json from the objects rendered so far. */
static int write_results_json(wb_run_files *f, wb_error *e)
{
    wb_buf *doc = &f->scratch;
    wb_buf_reset(doc);
    wb_buf_printf(doc, "{\n  \"format\": \"writebench-results\",\n  \"format_version\": %d,\n  \"run_id\": ",
                  WB_RESULTS_WRITTEN_FORMAT_VERSION);
    wb_json_string_str(doc, f->run_id);
    /* Whether the run is whole: "running" until the runner says how it ended, so a
     * run killed outright (SIGKILL, a power loss) is seen as cut short. */
    wb_buf_puts(doc, ",\n  \"run_state\": ");
    wb_json_string_str(doc, f->state);
    wb_buf_puts(doc, ",\n  \"cut_short\": ");
    if (f->cut_short[0])
        wb_json_string_str(doc, f->cut_short);
    else
        wb_buf_puts(doc, "null");
    wb_buf_puts(doc, ",\n  \"tests_planned\": ");
    wb_json_int64_or_null(doc, f->tests_planned);
    wb_buf_printf(doc, ",\n  \"tests_recorded\": %d", f->nresults);
    if (f->json_objects.len == 0) {
        wb_buf_puts(doc, ",\n  \"results\": []\n}\n");
    } else {
        wb_buf_puts(doc, ",\n  \"results\": [\n");
        wb_buf_append(doc, f->json_objects.data, f->json_objects.len);
        wb_buf_puts(doc, "\n  ]\n}\n");
    }
    char path[PATH_MAX];
    if (path_in_run(f, "results.json", path, sizeof path) < 0)
        return wb_fail(e, "run directory name too long: '%.100s...'", f->dir);
    return wb_fs_write_file_atomic(path, doc->data, doc->len, e);
}

/* Append the header line of results.csv. */
static int write_csv_header(wb_run_files *f, wb_error *e)
{
    wb_buf *line = &f->scratch;
    wb_buf_reset(line);
    for (size_t i = 0; wb_results_csv_columns[i]; i++) {
        if (i > 0)
            wb_buf_putc(line, ',');
        wb_buf_puts(line, wb_results_csv_columns[i]);
    }
    wb_buf_putc(line, '\n');
    if (wb_fs_write_all(f->csv_fd, line->data, line->len) < 0 || fsync(f->csv_fd) < 0)
        return wb_fail(e, "cannot write '%s/results.csv': %s", f->dir, strerror(errno));
    return 0;
}

int wb_run_files_open(const char *results_dir, const char *run_id, wb_run_files **out, wb_error *e)
{
    *out = NULL;
    if (!run_id_is_valid(run_id))
        return wb_fail(e, "invalid run id '%s' (letters, digits, '-', '_' and '.' only)", run_id);
    if (wb_fs_mkdir_p(results_dir, e) < 0)
        return wb_fail_prefix(e, "results directory '%s': ", results_dir);
    wb_run_files *f = wb_xcalloc(1, sizeof *f);
    f->csv_fd = f->log_fd = -1;
    f->tests_planned = -1;
    snprintf(f->state, sizeof f->state, "running");
    snprintf(f->run_id, sizeof f->run_id, "%s", run_id);
    if (snprintf(f->dir, sizeof f->dir, "%s/%s", results_dir, run_id) >= (int)sizeof f->dir) {
        wb_run_files_close(f);
        return wb_fail(e, "results directory name too long: '%.100s...'", results_dir);
    }
    if (mkdir(f->dir, 0777) != 0) {
        int err = errno;
        if (err == EEXIST)
            wb_fail(e, "run directory '%s' already exists", f->dir);
        else
            wb_fail(e, "cannot create run directory '%s': %s", f->dir, strerror(err));
        wb_run_files_close(f);
        return -1;
    }
    if (create_append(f, "results.csv", &f->csv_fd, e) < 0 || write_csv_header(f, e) < 0 ||
        write_results_json(f, e) < 0 || create_append(f, "run.log", &f->log_fd, e) < 0) {
        wb_run_files_discard(f); /* nothing measured: leave no half-made run directory */
        return -1;
    }
    *out = f;
    return 0;
}

const char *wb_run_files_dir(const wb_run_files *f)
{
    return f->dir;
}

/* ---- results ---- */

static const char *field_text(const wb_result *r, const result_field *fd, size_t *len)
{
    const char *text = (const char *)r + fd->offset;
    *len = strnlen(text, fd->size);
    return text;
}

static int64_t field_int(const wb_result *r, const result_field *fd)
{
    int64_t v;
    memcpy(&v, (const char *)r + fd->offset, sizeof v);
    return v;
}

static double field_real(const wb_result *r, const result_field *fd)
{
    double v;
    memcpy(&v, (const char *)r + fd->offset, sizeof v);
    return v;
}

static int field_flag(const wb_result *r, const result_field *fd)
{
    int v;
    memcpy(&v, (const char *)r + fd->offset, sizeof v);
    return v;
}

/* One results.csv row, with its newline. Unknown figures are empty, never 0. */
static void render_csv_row(wb_buf *line, const wb_result *r)
{
    for (size_t i = 0; i < COUNT(csv_fields); i++) {
        const result_field *fd = &csv_fields[i];
        if (i > 0)
            wb_buf_putc(line, ',');
        switch (fd->kind) {
        case FIELD_TEXT: {
            size_t len;
            const char *text = field_text(r, fd, &len);
            if (wb_utf8_valid(text, len, NULL)) {
                wb_csv_field(line, text, len);
            } else { /* a server's message in another encoding: the file stays UTF-8, as the JSON does */
                wb_buf clean = WB_BUF_INIT;
                wb_utf8_append_sanitized(&clean, text, len);
                wb_csv_field(line, clean.data, clean.len);
                wb_buf_free(&clean);
            }
            break;
        }
        case FIELD_INT: {
            int64_t v = field_int(r, fd);
            if (v != -1)
                wb_buf_printf(line, "%lld", (long long)v);
            break;
        }
        case FIELD_REAL: {
            double v = field_real(r, fd);
            if (isfinite(v))
                wb_buf_printf(line, "%.*f", fd->decimals, v);
            break;
        }
        case FIELD_BOOL:
            wb_buf_putc(line, field_flag(r, fd) ? '1' : '0');
            break;
        case FIELD_STATUS:
            wb_buf_puts(line, wb_status_name((wb_status)field_flag(r, fd)));
            break;
        case FIELD_ORIGIN:
        case FIELD_LANGUAGE:
            break; /* results.json only: never a CSV column */
        }
    }
    wb_buf_putc(line, '\n');
}

static void render_json_value(wb_buf *out, const wb_result *r, const result_field *fd)
{
    wb_json_string_str(out, fd->name);
    wb_buf_puts(out, ": ");
    switch (fd->kind) {
    case FIELD_TEXT: {
        size_t len;
        const char *text = field_text(r, fd, &len);
        wb_json_string(out, text, len);
        break;
    }
    case FIELD_INT:
        wb_json_int64_or_null(out, field_int(r, fd));
        break;
    case FIELD_REAL:
        wb_json_double(out, field_real(r, fd));
        break;
    case FIELD_BOOL:
        wb_json_bool(out, field_flag(r, fd));
        break;
    case FIELD_STATUS:
        wb_json_string_str(out, wb_status_name((wb_status)field_flag(r, fd)));
        break;
    case FIELD_ORIGIN:
        wb_json_string_str(out, wb_origin_name(field_flag(r, fd)));
        break;
    case FIELD_LANGUAGE: {
        /* bounded like every text field; empty gets wb_result_language's default */
        size_t len;
        const char *text = field_text(r, fd, &len);
        if (len > 0)
            wb_json_string(out, text, len);
        else
            wb_json_string_str(out, wb_result_language(r));
        break;
    }
    }
}

/* One results.json object on one line: the CSV columns, then the extras. */
static void render_json_object(wb_buf *out, const wb_result *r)
{
    wb_buf_puts(out, "    {");
    for (size_t i = 0; i < COUNT(csv_fields); i++) {
        if (i > 0)
            wb_buf_puts(out, ", ");
        render_json_value(out, r, &csv_fields[i]);
    }
    for (size_t i = 0; i < COUNT(json_extra_fields); i++) {
        wb_buf_puts(out, ", ");
        render_json_value(out, r, &json_extra_fields[i]);
    }
    wb_buf_putc(out, '}');
}

/* Append the row in one write and fsync it; on failure cut the file back to its
 * previous end so that a half-written row never corrupts results.csv. */
static int append_csv_row(wb_run_files *f, const wb_buf *line, wb_error *e)
{
    off_t before = lseek(f->csv_fd, 0, SEEK_END);
    if (wb_fs_write_all(f->csv_fd, line->data, line->len) == 0 && fsync(f->csv_fd) == 0)
        return 0;
    int err = errno;
    if (before >= 0 && ftruncate(f->csv_fd, before) != 0) {
        /* nothing more to do: the error below already says the file is damaged */
    }
    return wb_fail(e, "cannot write '%s/results.csv': %s", f->dir, strerror(err));
}

int wb_run_files_add(wb_run_files *f, const wb_result *r, wb_error *e)
{
    wb_result row = *r;
    if (!row.run_id[0])
        snprintf(row.run_id, sizeof row.run_id, "%s", f->run_id);

    /* The JSON object is kept even if a write fails, so the next rewrite still
     * holds every result. */
    if (f->json_objects.len > 0)
        wb_buf_puts(&f->json_objects, ",\n");
    render_json_object(&f->json_objects, &row);

    wb_buf_reset(&f->scratch);
    render_csv_row(&f->scratch, &row);
    wb_error csv_error;
    int csv_rc = append_csv_row(f, &f->scratch, &csv_error);
    if (csv_rc == 0)
        f->nresults++;
    int json_rc = write_results_json(f, e);
    if (csv_rc < 0) {
        *e = csv_error;
        return -1;
    }
    return json_rc;
}

/* ---- run.conf and code.diff ---- */

int wb_run_files_write_conf(wb_run_files *f, const char *text, wb_error *e)
{
    char path[PATH_MAX];
    if (path_in_run(f, "run.conf", path, sizeof path) < 0)
        return wb_fail(e, "run directory name too long: '%.100s...'", f->dir);
    return wb_fs_write_file_atomic(path, text, strlen(text), e);
}

#define GIT_NOT_STARTED 127

/* Run `git -C <source dir> <args>` without a shell, stdin from /dev/null and stderr
 * discarded, appending its standard output to out. Returns git's exit status,
 * GIT_NOT_STARTED when it could not be run, or -1 when fork or pipe failed. */
static int run_git(const char *const args[], wb_buf *out)
{
    char *argv[16];
    size_t argc = 0;
    argv[argc++] = (char *)"git";
    argv[argc++] = (char *)"-C";
    argv[argc++] = (char *)WB_SOURCE_DIR;
    for (size_t i = 0; args[i] && argc < COUNT(argv) - 1; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 2) < 0 || dup2(fds[1], 1) < 0)
            _exit(GIT_NOT_STARTED);
        /* `git status` would otherwise refresh the index: reading must not write. */
        setenv("GIT_OPTIONAL_LOCKS", "0", 1);
        execvp("git", argv);
        _exit(GIT_NOT_STARTED);
    }
    close(fds[1]);
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        wb_buf_append(out, chunk, (size_t)n);
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

/* Append text with every line indented by two spaces (for git status). */
static void append_indented(wb_buf *out, const char *text, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\n') {
            if (i > start) {
                wb_buf_puts(out, "  ");
                wb_buf_append(out, text + start, i - start);
                wb_buf_putc(out, '\n');
            }
            start = i + 1;
        }
    }
}

/* The git part of code.diff: commit, status, then the diff last so that the file
 * can be given to `git apply` as it is. */
static void describe_source_tree(wb_buf *out, const char *workload_lines, const char *external_lines)
{
    wb_buf_printf(out, "source directory: %s\n", WB_SOURCE_DIR[0] ? WB_SOURCE_DIR : "(unknown)");
    wb_buf head = WB_BUF_INIT, status = WB_BUF_INIT, diff = WB_BUF_INIT;
    int rc = WB_SOURCE_DIR[0] ? run_git((const char *const[]){"rev-parse", "HEAD", NULL}, &head) : -1;
    if (rc == GIT_NOT_STARTED) {
        wb_buf_puts(out, "git: not available (could not run git), so no commit or diff recorded\n");
    } else if (rc != 0) {
        wb_buf_puts(out, "git: the source directory is not a git checkout (or git refused it), "
                         "so no commit or diff recorded\n");
    } else {
        while (head.len > 0 && (head.data[head.len - 1] == '\n' || head.data[head.len - 1] == '\r'))
            head.data[--head.len] = '\0';
        wb_buf_printf(out, "git commit: %s\n", wb_buf_str(&head));
        int status_rc = run_git((const char *const[]){"status", "--short", NULL}, &status);
        if (status_rc != 0)
            wb_buf_printf(out, "git status --short: failed (exit status %d)\n", status_rc);
        else if (status.len == 0)
            wb_buf_puts(out, "git status --short: clean\n");
        else {
            wb_buf_puts(out, "git status --short:\n");
            append_indented(out, status.data, status.len);
        }
    }
    if (workload_lines)
        wb_buf_puts(out, workload_lines);
    wb_buf_puts(out, external_lines && external_lines[0] ? external_lines : "external strategies: none\n");
    if (rc == 0) {
        int diff_rc = run_git((const char *const[]){"diff", "--no-color", "--no-ext-diff", "HEAD", NULL}, &diff);
        if (diff_rc != 0)
            wb_buf_printf(out, "\ngit diff HEAD: failed (exit status %d)\n", diff_rc);
        else if (diff.len == 0)
            wb_buf_puts(out, "\ngit diff HEAD: no differences\n");
        else {
            wb_buf_puts(out, "\ngit diff HEAD:\n");
            wb_buf_append(out, diff.data, diff.len);
        }
    }
    wb_buf_free(&head);
    wb_buf_free(&status);
    wb_buf_free(&diff);
}

int wb_run_files_write_code_diff(wb_run_files *f, wb_error *e)
{
    return wb_run_files_write_code_diff_with(f, NULL, NULL, e);
}

int wb_run_files_write_code_diff_with(wb_run_files *f, const char *workload_lines, const char *external_lines,
                                      wb_error *e)
{
    wb_buf text = WB_BUF_INIT;
    wb_buf_printf(&text, "writebench %s (commit %s)\n", wb_build_version, wb_build_commit);
    describe_source_tree(&text, workload_lines, external_lines);
    char path[PATH_MAX];
    int rc;
    if (path_in_run(f, "code.diff", path, sizeof path) < 0)
        rc = wb_fail(e, "run directory name too long: '%.100s...'", f->dir);
    else
        rc = wb_fs_write_file_atomic(path, wb_buf_str(&text), text.len, e);
    wb_buf_free(&text);
    return rc;
}

/* ---- run.log ---- */

void wb_run_files_log(wb_run_files *f, const char *fmt, ...)
{
    if (!f || f->log_fd < 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);

    wb_buf message = WB_BUF_INIT, line = WB_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small) {
        wb_buf_reserve(&message, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(message.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
        message.len = (size_t)n;
    } else if (n > 0) {
        wb_buf_append(&message, small, (size_t)n);
    }

    /* A message of several lines (an error in full) keeps one timestamp and
     * indents its continuation lines, so each entry starts with a timestamp. */
    wb_buf_printf(&line, "%s.%03ldZ ", stamp, now.tv_nsec / 1000000L);
    const char *text = wb_buf_str(&message);
    size_t len = message.len;
    while (len > 0 && text[len - 1] == '\n')
        len--;
    for (size_t i = 0; i < len; i++) {
        wb_buf_putc(&line, text[i]);
        if (text[i] == '\n')
            wb_buf_puts(&line, "  ");
    }
    wb_buf_putc(&line, '\n');
    if (wb_fs_write_all(f->log_fd, line.data, line.len) < 0 && !f->log_failed) {
        f->log_failed = 1;
        fprintf(stderr, "writebench: cannot write '%s/run.log': %s\n", f->dir, strerror(errno));
    }
    wb_buf_free(&message);
    wb_buf_free(&line);
}

void wb_run_files_set_planned(wb_run_files *f, int64_t tests_planned)
{
    f->tests_planned = tests_planned;
}

int wb_run_files_count(const wb_run_files *f)
{
    return f->nresults;
}

int wb_run_files_finish(wb_run_files *f, const char *cut_short, wb_error *e)
{
    snprintf(f->state, sizeof f->state, "%s", cut_short && cut_short[0] ? "cut short" : "finished");
    snprintf(f->cut_short, sizeof f->cut_short, "%s", cut_short ? cut_short : "");
    return write_results_json(f, e);
}

/* Remove a file of the run directory, if it is there. */
static void remove_in_run(const wb_run_files *f, const char *name)
{
    char path[PATH_MAX];
    if (path_in_run(f, name, path, sizeof path) == 0) {
        unlink(path);
        char tmp[PATH_MAX + 8];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        unlink(tmp);
    }
}

void wb_run_files_discard(wb_run_files *f)
{
    if (!f)
        return;
    static const char *const names[] = {"results.csv", "results.json", "run.log", "run.conf", "code.diff"};
    for (size_t i = 0; i < COUNT(names); i++)
        remove_in_run(f, names[i]);
    rmdir(f->dir); /* only when empty: anything else in it is not ours to remove */
    wb_run_files_close(f);
}

void wb_run_files_close(wb_run_files *f)
{
    if (!f)
        return;
    if (f->csv_fd >= 0)
        close(f->csv_fd);
    if (f->log_fd >= 0)
        close(f->log_fd);
    wb_buf_free(&f->json_objects);
    wb_buf_free(&f->scratch);
    free(f);
}
