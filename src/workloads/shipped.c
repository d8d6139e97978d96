/* Where workloads come from: the shipped workload files (users.yaml and
 * products.yaml in the installed share/writebench/workloads, or in the source
 * tree's workloads/ directory for a binary in a build directory, read with the same
 * loader as a user's file, as pgbench writes its built-in scripts in the
 * language of user scripts) and the files --workload names by path. Everything
 * read stays until the process ends: strategies, the verifier and the results
 * all point into it. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workloads/workload.h"

#ifndef WB_SOURCE_DIR
#define WB_SOURCE_DIR ""
#endif

#define SHIPPED_MAX 64
#define SUFFIX ".yaml"

#ifndef WB_INSTALLED_WORKLOADS
#define WB_INSTALLED_WORKLOADS "../share/writebench/workloads"
#endif

/* Whether path is a directory we can read. */
static int readable_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    closedir(d);
    return 1;
}

const char *wb_workload_dir(void)
{
    /* An installed binary finds the workloads beside itself (<prefix>/bin/../share/
     * writebench/workloads, the relative path comes from GNUInstallDirs), so a package
     * unpacked anywhere works, never a hard-coded /usr; a binary in a build directory
     * has no such sibling and reads the source tree it was built from. When neither is
     * there, the installed path is named in the error, as that is what was looked for. */
    static char dir[PATH_MAX];
    if (dir[0])
        return dir;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char installed[PATH_MAX] = "";
    if (len > 0 && (size_t)len < sizeof exe - sizeof WB_INSTALLED_WORKLOADS - 1) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        if (snprintf(installed, sizeof installed, "%s/%s", exe, WB_INSTALLED_WORKLOADS) >= (int)sizeof installed)
            installed[0] = '\0';
    }
    char canonical[PATH_MAX];
    if (installed[0] && readable_dir(installed) && realpath(installed, canonical))
        snprintf(dir, sizeof dir, "%s", canonical);
    else if (WB_SOURCE_DIR[0] && readable_dir(WB_SOURCE_DIR "/workloads"))
        snprintf(dir, sizeof dir, "%s", WB_SOURCE_DIR "/workloads");
    else
        snprintf(dir, sizeof dir, "%s", installed[0] ? installed : WB_SOURCE_DIR "/workloads");
    return dir;
}

static struct {
    int tried;
    int failed;
    wb_error error;
    const wb_workload *list[SHIPPED_MAX + 1]; /* NULL-terminated; empty when failed */
} shipped;

/* Workloads read from a path, kept reachable until the process ends. */
typedef struct opened {
    wb_workload *w;
    struct opened *next;
} opened;
static opened *opened_list;

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every *.yaml of the shipped directory, in name order; all or none. */
static void load_shipped(void)
{
    if (shipped.tried)
        return;
    shipped.tried = 1;
    const char *dir = wb_workload_dir();
    DIR *d = opendir(dir);
    if (!d) {
        shipped.failed = 1;
        wb_fail(&shipped.error, "the shipped workloads are missing: cannot read %s: %s", dir, strerror(errno));
        return;
    }
    char *names[SHIPPED_MAX];
    int n = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= strlen(SUFFIX) || strcmp(de->d_name + len - strlen(SUFFIX), SUFFIX) != 0)
            continue;
        if (n == SHIPPED_MAX) {
            shipped.failed = 1;
            wb_fail(&shipped.error, "%s holds more than %d workload files", dir, SHIPPED_MAX);
            break;
        }
        names[n++] = wb_xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, compare_names);
    int loaded = 0;
    for (int i = 0; i < n && !shipped.failed; i++) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path) {
            shipped.failed = 1;
            wb_fail(&shipped.error, "%s/%s: the path is too long", dir, names[i]);
            break;
        }
        wb_workload *w;
        if (wb_workload_load(path, &w, &shipped.error) != 0) {
            shipped.failed = 1;
            break;
        }
        /* --workload NAME finds NAME.yaml: the two must agree */
        size_t base = strlen(names[i]) - strlen(SUFFIX);
        if (strlen(w->name) != base || strncmp(w->name, names[i], base) != 0) {
            wb_fail(&shipped.error, "%s: a shipped workload is named after its file (%.*s), not '%s'", path,
                    (int)base, names[i], w->name);
            wb_workload_free(w);
            shipped.failed = 1;
            break;
        }
        shipped.list[loaded++] = w;
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    if (shipped.failed) {
        for (int i = 0; i < loaded; i++)
            wb_workload_free((wb_workload *)shipped.list[i]);
        loaded = 0;
    }
    shipped.list[loaded] = NULL;
}

const wb_workload *const *wb_workloads_shipped(wb_error *e)
{
    load_shipped();
    if (shipped.failed && e)
        *e = shipped.error;
    return shipped.list;
}

const wb_workload *wb_workload_find(const char *name)
{
    for (const wb_workload *const *w = wb_workloads_shipped(NULL); *w; w++)
        if (strcmp((*w)->name, name) == 0)
            return *w;
    return NULL;
}

/* Whether --workload's value names a file rather than a shipped workload. */
static int names_a_file(const char *arg)
{
    size_t len = strlen(arg);
    return strchr(arg, '/') != NULL || (len > 5 && strcmp(arg + len - 5, ".yaml") == 0) ||
           (len > 4 && strcmp(arg + len - 4, ".yml") == 0);
}

int wb_workload_open(const char *name_or_path, const wb_workload **out, wb_error *e)
{
    *out = NULL;
    if (names_a_file(name_or_path)) {
        wb_workload *w;
        if (wb_workload_load(name_or_path, &w, e) != 0)
            return -1;
        opened *o = wb_xcalloc(1, sizeof *o);
        o->w = w;
        o->next = opened_list;
        opened_list = o;
        *out = w;
        return 0;
    }
    wb_error why;
    const wb_workload *const *list = wb_workloads_shipped(&why);
    if (shipped.failed)
        return wb_fail(e, "%s", why.msg);
    *out = wb_workload_find(name_or_path);
    if (*out)
        return 0;
    wb_buf known = WB_BUF_INIT;
    for (const wb_workload *const *w = list; *w; w++)
        wb_buf_printf(&known, "%s%s", known.len ? ", " : "", (*w)->name);
    wb_fail(e, "unknown workload '%s'; the workloads are: %s (or give the path of a workload file)", name_or_path,
            known.len ? wb_buf_str(&known) : "(none shipped)");
    wb_buf_free(&known);
    return -1;
}

int wb_workload_is_shipped(const wb_workload *w)
{
    const wb_workload *s = wb_workload_find(w->name);
    return s && strcmp(s->sha256, w->sha256) == 0;
}
