/* Naming external programs: `--external NAME=PROGRAM [ARGS...]` and
 * `--external-dir DIR` become wb_external entries, each checked before anything
 * is written (a name that is free, an executable file), with the language and
 * sha256 that results and code.diff record. Running them is external_run.c. */
#include "strategies/external.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const wb_external *wb_external_of(const wb_strategy *s)
{
    if (!s || !(s->flags & WB_STRAT_EXTERNAL))
        return NULL;
    return (const wb_external *)((const char *)s - offsetof(wb_external, strategy));
}

/* Letters, digits, '.', '_' and '-', starting with a letter or digit: a results key
 * and a directory name, so nothing that needs quoting anywhere. */
static int name_is_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len >= WB_EXTERNAL_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return 0;
    }
    return 1;
}

/* Whether any catalogue entry (test-only ones too) has this name. */
static int is_builtin_name(const char *name)
{
    for (const wb_strategy *s = wb_catalog; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return 1;
    return 0;
}

/* Resolve program like execvp would (PATH when it has no slash) into an absolute path. */
static int resolve_program(const char *program, char *out, size_t n, wb_error *e)
{
    char found[PATH_MAX] = "";
    if (strchr(program, '/')) {
        snprintf(found, sizeof found, "%s", program);
    } else {
        const char *path = getenv("PATH");
        char *copy = wb_xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin"), *save = NULL;
        for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
            char candidate[PATH_MAX];
            snprintf(candidate, sizeof candidate, "%s/%s", *d ? d : ".", program);
            struct stat st;
            if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0) {
                snprintf(found, sizeof found, "%s", candidate);
                break;
            }
        }
        free(copy);
        if (!found[0])
            return wb_fail(e, "program '%s' is not found in PATH", program);
    }
    struct stat st;
    if (stat(found, &st) != 0)
        return wb_fail(e, "program '%s': %s", program, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return wb_fail(e, "program '%s' is not a regular file", program);
    if (access(found, X_OK) != 0)
        return wb_fail(e, "program '%s' is not executable (chmod +x it, or name its interpreter first)", program);
    char real[PATH_MAX];
    if (!realpath(found, real))
        return wb_fail(e, "program '%s': %s", program, strerror(errno));
    if (strlen(real) >= n)
        return wb_fail(e, "program '%s': path too long", program);
    snprintf(out, n, "%s", real);
    return 0;
}

/* The sha256 of a file as lower-case hex into out[65]; -1 when it cannot be read. */
static int file_sha256(const char *path, char out[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char chunk[65536];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0)
        sha256_update(&ctx, (size_t)got, chunk);
    close(fd);
    if (got < 0)
        return -1;
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return 0;
}

/* Interpreters by the name of their executable (version digits stripped). */
static const struct {
    const char *executable;
    const char *language;
} interpreters[] = {
    {"python", "python"}, {"sh", "shell"}, {"bash", "shell"}, {"dash", "shell"}, {"zsh", "shell"},
    {"ksh", "shell"},     {"perl", "perl"}, {"ruby", "ruby"},  {"node", "javascript"},
    {"php", "php"},       {"lua", "lua"},   {"java", "java"},  {"go", "go"},
};

/* The language of an interpreter path ("/usr/bin/python3.11" -> "python"), or NULL. */
static const char *interpreter_language(const char *path, size_t len)
{
    const char *base = path;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            base = path + i + 1;
    size_t base_len = len - (size_t)(base - path);
    while (base_len > 0 && ((base[base_len - 1] >= '0' && base[base_len - 1] <= '9') || base[base_len - 1] == '.'))
        base_len--; /* python3.11 -> python */
    for (size_t i = 0; i < sizeof interpreters / sizeof interpreters[0]; i++)
        if (strlen(interpreters[i].executable) == base_len && memcmp(interpreters[i].executable, base, base_len) == 0)
            return interpreters[i].language;
    return NULL;
}

/* What language the program is in: the interpreter it is (python3 script.py), the
 * interpreter of its #! line, "native" for an ELF binary, else "unknown". */
static void detect_language(const char *given, const char *path, char *out, size_t n)
{
    const char *lang = interpreter_language(given, strlen(given));
    char head[256] = "";
    int fd = lang ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t got = read(fd, head, sizeof head - 1);
        head[got > 0 ? got : 0] = '\0';
        close(fd);
        if (memcmp(head, "\177ELF", 4) == 0) {
            lang = "native";
        } else if (head[0] == '#' && head[1] == '!') {
            /* "#!/usr/bin/env -S python3 -u": the first word that is not env or an option */
            char *save = NULL, *line = strtok_r(head + 2, "\n", &save);
            char *wsave = NULL;
            for (char *w = line ? strtok_r(line, " \t\r", &wsave) : NULL; w && !lang; w = strtok_r(NULL, " \t\r", &wsave)) {
                size_t wl = strlen(w);
                if (w[0] == '-' || (wl >= 4 && strcmp(w + wl - 4, "/env") == 0) || strcmp(w, "env") == 0)
                    continue;
                lang = interpreter_language(w, wl);
                if (!lang) { /* an interpreter writebench has no name for: its own name */
                    const char *base = strrchr(w, '/');
                    snprintf(out, n, "%s", base ? base + 1 : w);
                    return;
                }
            }
        }
    }
    snprintf(out, n, "%s", lang ? lang : "unknown");
}

/* Make the strategy entry the runner sees. */
static void fill_strategy(wb_external *x)
{
    x->strategy.name = x->name;
    x->strategy.family = "external";
    x->strategy.passes = WB_PASS_INSERT | WB_PASS_UPDATE;
    /* A program may batch and thread: it gets --batch and --threads and runs in their scans. */
    x->strategy.flags = WB_STRAT_EXTERNAL | WB_STRAT_BATCH | WB_STRAT_THREADS;
    x->strategy.description = "an external program (docs/EXTERNAL.md)";
    x->strategy.idiom = "whatever the program does";
    for (int k = 0; k < WB_BACKEND_COUNT; k++)
        x->strategy.run[k] = wb_external_run;
}

int wb_external_add(wb_external_set *set, char *const *words, int nwords, wb_error *e)
{
    if (nwords < 1 || !words[0][0])
        return wb_fail(e, "--external needs NAME=PROGRAM [ARGUMENTS...]");
    const char *eq = strchr(words[0], '=');
    if (!eq)
        return wb_fail(e, "--external %s: write NAME=PROGRAM, e.g. --external orm=./orm_insert.py", words[0]);
    char name[WB_EXTERNAL_NAME_MAX];
    size_t name_len = (size_t)(eq - words[0]);
    if (name_len >= sizeof name)
        name_len = sizeof name - 1; /* too long: name_is_valid refuses it below */
    memcpy(name, words[0], name_len);
    name[name_len] = '\0';
    const char *program = eq + 1;
    if ((size_t)(eq - words[0]) >= sizeof name || !name_is_valid(name))
        return wb_fail(e, "--external: '%s' is not a usable strategy name (1 to %d letters, digits, '.', '_' "
                          "or '-', starting with a letter or digit)", name, WB_EXTERNAL_NAME_MAX - 1);
    if (!*program)
        return wb_fail(e, "--external %s=: the program is missing", name);
    if (is_builtin_name(name))
        return wb_fail(e, "--external: '%s' is the name of a built-in strategy; choose another", name);
    for (int i = 0; i < set->count; i++)
        if (strcmp(set->items[i]->name, name) == 0)
            return wb_fail(e, "--external: the name '%s' is given twice", name);
    if (set->count >= WB_EXTERNAL_NAME_MAX)
        return wb_fail(e, "--external: more than %d programs", WB_EXTERNAL_NAME_MAX);

    wb_external *x = wb_xcalloc(1, sizeof *x);
    memcpy(x->name, name, sizeof x->name);
    if (resolve_program(program, x->path, sizeof x->path, e) != 0) {
        free(x);
        return -1;
    }
    x->argc = nwords;
    x->argv = wb_xcalloc((size_t)nwords + 1, sizeof *x->argv);
    x->argv[0] = wb_xstrdup(program);
    for (int i = 1; i < nwords; i++)
        x->argv[i] = wb_xstrdup(words[i]);
    detect_language(program, x->path, x->language, sizeof x->language);
    if (file_sha256(x->path, x->sha256) != 0)
        snprintf(x->sha256, sizeof x->sha256, "unreadable");
    fill_strategy(x);
    set->items[set->count++] = x;
    return 0;
}

int wb_external_add_command_line(wb_external_set *set, char **words, int nwords, wb_error *e)
{
    int start = 0;
    while (start < nwords) {
        if (strcmp(words[start], "--external-dir") == 0) {
            if (start + 1 >= nwords)
                return wb_fail(e, "--external-dir needs a value DIR");
            if (wb_external_add_dir(set, words[start + 1], e) != 0)
                return -1;
            start += 2;
            continue;
        }
        if (strcmp(words[start], "--external") == 0)
            start++;
        int end = start;
        while (end < nwords && strcmp(words[end], "--external") != 0 && strcmp(words[end], "--external-dir") != 0)
            end++;
        if (end == start)
            return wb_fail(e, "--external needs NAME=PROGRAM [ARGUMENTS...]");
        if (wb_external_add(set, words + start, end - start, e) != 0)
            return -1;
        start = end;
    }
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int wb_external_add_dir(wb_external_set *set, const char *dir, wb_error *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return wb_fail(e, "--external-dir %s: %s", dir, strerror(errno));
    char **files = NULL;
    size_t nfiles = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0)
            continue; /* helpers, READMEs and data files live there too */
        files = wb_xrealloc(files, (nfiles + 1) * sizeof *files);
        files[nfiles++] = wb_xstrdup(ent->d_name);
    }
    closedir(d);
    int rc = 0;
    if (nfiles == 0)
        rc = wb_fail(e, "--external-dir %s holds no executable file", dir);
    if (nfiles > 0)
        qsort(files, nfiles, sizeof *files, compare_names);
    for (size_t i = 0; i < nfiles && rc == 0; i++) {
        char spec[PATH_MAX * 2], stem[PATH_MAX];
        snprintf(stem, sizeof stem, "%s", files[i]);
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem)
            *dot = '\0';
        snprintf(spec, sizeof spec, "%s=%s/%s", stem, dir, files[i]);
        char *words[] = {spec};
        rc = wb_external_add(set, words, 1, e);
    }
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    return rc;
}

void wb_external_set_free(wb_external_set *set)
{
    for (int i = 0; i < set->count; i++) {
        wb_external *x = set->items[i];
        for (int k = 0; k < x->argc; k++)
            free(x->argv[k]);
        free(x->argv);
        free(x);
    }
    set->count = 0;
}

void wb_external_describe(const wb_external_set *set, wb_buf *out)
{
    if (set->count == 0) {
        wb_buf_puts(out, "external strategies: none\n");
        return;
    }
    wb_buf_puts(out, "external strategies:\n");
    for (int i = 0; i < set->count; i++) {
        const wb_external *x = set->items[i];
        wb_buf_printf(out, "  %s: %s (language %s) sha256 %s\n", x->name, x->path, x->language, x->sha256);
        if (x->argc > 1) {
            wb_buf_puts(out, "    arguments:");
            for (int k = 1; k < x->argc; k++)
                wb_buf_printf(out, " %s", x->argv[k]);
            wb_buf_putc(out, '\n');
        }
        /* A script given to an interpreter is the code that matters: hash it too. */
        for (int k = 1; k < x->argc; k++) {
            struct stat st;
            char hex[65];
            if (stat(x->argv[k], &st) == 0 && S_ISREG(st.st_mode) && file_sha256(x->argv[k], hex) == 0) {
                char real[PATH_MAX];
                wb_buf_printf(out, "    file %s sha256 %s\n", realpath(x->argv[k], real) ? real : x->argv[k], hex);
            }
        }
    }
}
