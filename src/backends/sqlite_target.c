/* The SQLite backend's --db forms and settings: sqlite:///abs.db, sqlite://rel.db,
 * sqlite:rel.db and a plain file path (any value without "://" or '='); the
 * default database, writebench.db in a fresh temporary directory; --pragma
 * validation; the removal of a default database a command could not use; and
 * what an external program is told about the file. A file path holds no
 * password, so nothing here needs redacting. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "backends/sqlite_internal.h"

#define DEFAULT_FILE_NAME "writebench.db"

const char *const wb_sqlite_schemes[] = {"sqlite", NULL};

bool wb_sqlite_claims_bare(const char *url)
{
    return !strstr(url, "://") && !strchr(url, '=');
}

/* A new file writebench.db in a fresh directory under $TMPDIR (or /tmp). */
static int default_path(wb_target *t, wb_error *e)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char dir[4096];
    int n = snprintf(dir, sizeof dir, "%s/writebench-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof dir)
        return wb_fail(e, "TMPDIR is too long");
    if (!mkdtemp(dir))
        return wb_fail(e, "cannot create a temporary directory under %s: %s", tmp, strerror(errno));
    n = snprintf(t->path, sizeof t->path, "%s/%s", dir, DEFAULT_FILE_NAME);
    if (n < 0 || (size_t)n >= sizeof t->path)
        return wb_fail(e, "TMPDIR is too long");
    t->path_is_default = true;
    return 0;
}

/* The file path of a SQLite --db value (sqlite:///abs -> /abs, sqlite://rel -> rel). */
static const char *path_of(const char *url)
{
    if (strncmp(url, "sqlite://", 9) == 0)
        return url + 9;
    if (strncmp(url, "sqlite:", 7) == 0)
        return url + 7;
    return url;
}

int wb_sqlite_parse_target(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    t->may_create = true;
    if (!url) {
        if (default_path(t, e) != 0)
            return -1;
    } else {
        const char *path = path_of(url);
        if (strcmp(path, ":memory:") == 0 && for_run)
            return wb_fail(e, "--db '%s' is an in-memory database, but each strategy runs in its own "
                              "process; give a file",
                           url);
        if (!*path)
            return wb_fail(e, "--db '%s' names no file", url);
        if (wb_target_copy_field(t->path, sizeof t->path, path, "the --db file path", e) != 0)
            return -1;
        t->in_memory = strcmp(path, ":memory:") == 0;
    }
    wb_buf shown = WB_BUF_INIT;
    wb_buf_printf(&shown, "%s%s", t->path[0] == '/' ? "sqlite://" : "sqlite:", t->path);
    wb_target_set_redacted(t, wb_buf_str(&shown));
    wb_buf_free(&shown);
    return 0;
}

/* ---- --pragma ------------------------------------------------------------ */

/* PRAGMAs that run an action instead of holding a setting: applying one on every
 * connection would do work inside the measurement, or nothing useful. */
static const char *const action_pragmas[] = {
    "integrity_check", "quick_check", "optimize", "wal_checkpoint", "incremental_vacuum",
    "shrink_memory", "foreign_key_check", NULL};

static int valid_pragma_name(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static int valid_pragma_value(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

int wb_sqlite_add_setting(wb_target *t, const char *assignment, wb_error *e)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return wb_fail(e, "--pragma '%s': expected name=value (for example synchronous=FULL)",
                       assignment);
    size_t name_len = (size_t)(eq - assignment);
    if (!valid_pragma_name(assignment, name_len))
        return wb_fail(e, "--pragma '%s': the name must be letters, digits and _ (not starting "
                          "with a digit)",
                       assignment);
    if (!valid_pragma_value(eq + 1))
        return wb_fail(e, "--pragma '%s': the value must be letters, digits, '_', '.' or '-' "
                          "(no quotes, no spaces, no ';')",
                       assignment);
    for (const char *const *a = action_pragmas; *a; a++)
        if (strlen(*a) == name_len && strncasecmp(*a, assignment, name_len) == 0)
            return wb_fail(e, "--pragma '%s': %s runs an action, it is not a setting", assignment,
                           *a);
    if (strlen(assignment) >= sizeof t->pragmas[0])
        return wb_fail(e, "--pragma '%s' is too long (at most %zu bytes)", assignment,
                       sizeof t->pragmas[0] - 1);

    /* A later --pragma of the same name replaces the earlier one (names are case-insensitive). */
    int slot = t->npragmas;
    for (int i = 0; i < t->npragmas; i++)
        if (strncasecmp(t->pragmas[i], assignment, name_len) == 0 && t->pragmas[i][name_len] == '=')
            slot = i;
    if (slot == t->npragmas) {
        if (t->npragmas >= WB_MAX_PRAGMAS)
            return wb_fail(e, "too many --pragma options (at most %d)", WB_MAX_PRAGMAS);
        t->npragmas++;
    }
    memcpy(t->pragmas[slot], assignment, strlen(assignment) + 1);
    return 0;
}

/* ---- the default database ----------------------------------------------- */

void wb_sqlite_discard_target(const wb_target *t)
{
    if (!t->path_is_default)
        return; /* a database the user named is never touched */
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[sizeof t->path + 16];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s%s", t->path, suffixes[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s", t->path);
    char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        *slash = '\0';
        rmdir(path); /* only if empty: anything else in it is not ours to remove */
    }
}

/* ---- external programs ----------------------------------------------------- */

void wb_sqlite_external_env(const wb_target *t, const char *application_name, const wb_env *env)
{
    (void)application_name; /* SQLite has no server to name connections on */
    char absolute[8192];
    if (t->path[0] == '/' || !getcwd(absolute, sizeof absolute - sizeof t->path - 2))
        snprintf(absolute, sizeof absolute, "%s", t->path);
    else
        snprintf(absolute + strlen(absolute), sizeof absolute - strlen(absolute), "/%s", t->path);
    char url[8300];
    snprintf(url, sizeof url, "sqlite:///%s", absolute);
    env->set(env->arg, "WRITEBENCH_DATABASE_URL", url);
    env->set(env->arg, "WRITEBENCH_SQLITE_PATH", absolute);
    wb_buf pragmas = WB_BUF_INIT;
    wb_sqlite_pragmas_text(t, &pragmas); /* so a program can open its connections alike */
    env->set(env->arg, "WRITEBENCH_SQLITE_PRAGMAS", wb_buf_str(&pragmas));
    wb_buf_free(&pragmas);
}
