/* run.conf's text (see conf.h). */
#include "runner/conf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern const char *const wb_build_version;
extern const char *const wb_build_commit;

void wb_conf_command_line(const wb_run_config *cfg, wb_buf *out)
{
    /* The --db value may hold a password: write the redacted URL in its place. */
    wb_buf_puts(out, "writebench");
    for (int i = 0; i < cfg->argc; i++) {
        const char *arg = cfg->argv[i];
        wb_buf_putc(out, ' ');
        if (strncmp(arg, "--db=", 5) == 0) {
            wb_buf_printf(out, "--db=%s", cfg->target.url_redacted);
        } else if (i > 0 && strcmp(cfg->argv[i - 1], "--db") == 0) {
            wb_buf_puts(out, cfg->target.url_redacted);
        } else {
            wb_buf_puts(out, arg);
        }
    }
}

/* The first line of a /proc file that starts with key, value part only. */
static void proc_value(const char *path, const char *key, char *out, size_t n)
{
    snprintf(out, n, "unknown");
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        colon++;
        while (*colon == ' ' || *colon == '\t')
            colon++;
        colon[strcspn(colon, "\n")] = '\0';
        snprintf(out, n, "%s", colon);
        break;
    }
    fclose(f);
}

/* "key = 1000,10000": a scan list as given. */
static void put_list(wb_buf *out, const char *key, const int64_t *values, int n)
{
    wb_buf_printf(out, "%s = ", key);
    for (int i = 0; i < n; i++)
        wb_buf_printf(out, "%s%lld", i ? "," : "", (long long)values[i]);
    wb_buf_putc(out, '\n');
}

void wb_conf_text(const wb_run_config *cfg, const char *run_id, const char *server_version,
                  const char *backend_settings, wb_buf *out)
{
    char when[32], host[256] = "unknown", cpu[256], mem[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    gethostname(host, sizeof host - 1);
    proc_value("/proc/cpuinfo", "model name", cpu, sizeof cpu);
    proc_value("/proc/meminfo", "MemTotal", mem, sizeof mem);
    struct utsname un;
    if (uname(&un) != 0)
        memset(&un, 0, sizeof un);

    wb_buf_puts(out, "# writebench run configuration: every setting this run used (passwords are never recorded)\n");
    wb_buf_printf(out, "run_id = %s\n", run_id);
    wb_buf_printf(out, "started_at = %s\n", when);
    wb_buf_puts(out, "command = ");
    wb_conf_command_line(cfg, out);
    wb_buf_putc(out, '\n');
    wb_buf_printf(out, "writebench_version = %s\n", wb_build_version);
    wb_buf_printf(out, "writebench_commit = %s\n", wb_build_commit);
    wb_buf_printf(out, "backend = %s\n", wb_backend_get(cfg->target.kind)->name);
    wb_buf_printf(out, "db = %s\n", cfg->target.url_redacted);
    wb_buf_printf(out, "server_version = %s\n", server_version);
    wb_buf_printf(out, "workload = %s\n", cfg->workload->name);
    /* the workload's identity: results of two files of one name never aggregate together */
    /* absolute, so that advise and readers find it from any directory */
    char absolute[PATH_MAX];
    wb_buf_printf(out, "workload_file = %s\n", realpath(cfg->workload->path, absolute) ? absolute : cfg->workload->path);
    wb_buf_printf(out, "workload_sha256 = %s\n", cfg->workload->sha256);
    put_list(out, "rows", cfg->rows_list, cfg->nrows);
    wb_buf_printf(out, "slow_rows = %lld\n", (long long)cfg->slow_rows_limit);
    put_list(out, "batch", cfg->batch_list, cfg->nbatch);
    put_list(out, "threads", cfg->threads_list, cfg->nthreads);
    /* the settings scanned: one line per --set or --pragma, its values as given */
    for (int i = 0; i < cfg->nsettings; i++) {
        wb_buf_printf(out, "%s.%s = ", cfg->settings[i].pragma ? "pragma" : "set", cfg->settings[i].name);
        for (int v = 0; v < cfg->settings[i].nvalues; v++)
            wb_buf_printf(out, "%s%s", v ? "," : "", cfg->settings[i].values[v]);
        wb_buf_putc(out, '\n');
    }
    wb_buf_printf(out, "repeat = %lld\n", (long long)cfg->repeat);
    wb_buf_printf(out, "timeout_s = %g\n", cfg->timeout_s);
    wb_buf_printf(out, "verify = %s\n", cfg->verify == WB_VERIFY_COUNT ? "count" : "values");
    wb_buf_puts(out, "strategies = ");
    for (int i = 0; i < cfg->nstrategies; i++)
        wb_buf_printf(out, "%s%s", i ? "," : "", cfg->strategies[i]->name);
    wb_buf_putc(out, '\n');
    wb_buf_printf(out, "hostname = %s\n", host);
    wb_buf_printf(out, "os = %s %s %s\n", un.sysname, un.release, un.machine);
    wb_buf_printf(out, "cpu_model = %s\n", cpu);
    wb_buf_printf(out, "cpu_cores = %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
    wb_buf_printf(out, "memory_total = %s\n", mem);
    wb_buf_puts(out, backend_settings);
}
