/* Naming external programs: `--external NAME=PROGRAM [ARGS...]` and
 * `--external-dir DIR` become wb_external entries, each checked before anything
 * is written (a name that is free, an executable file), with the language and
 * sha256 that results and code.diff record, the path it is started by (as given)
 * beside what it resolves to, and what its script's header says: the params it
 * honours (`# writebench: params=LIST`, or --external-params) and its one-line
 * summary for describe. Running them is external_run.c; reading the timed region
 * a program reports is external_report.c. */
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

#include "util/utf8.h"

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

/* Find program like execvp would: as given when it has a slash, else the first
 * executable regular file of that name in PATH (an empty entry is the working
 * directory). started gets the path to exec, resolved what it resolves to. */
static int find_program(const char *program, char *started, size_t ns, char *resolved, size_t nr, wb_error *e)
{
    char found[PATH_MAX] = "";
    if (strchr(program, '/')) {
        snprintf(found, sizeof found, "%s", program);
    } else {
        const char *path = getenv("PATH");
        if (!path)
            path = "/usr/local/bin:/usr/bin:/bin";
        for (const char *d = path;; d++) {
            const char *end = strchr(d, ':');
            size_t dlen = end ? (size_t)(end - d) : strlen(d);
            char candidate[PATH_MAX];
            snprintf(candidate, sizeof candidate, "%.*s%s%s", (int)dlen, d, dlen ? "/" : "", program);
            struct stat st;
            if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0) {
                snprintf(found, sizeof found, "%s", candidate);
                break;
            }
            if (!end)
                break;
            d = end;
        }
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
    if (strlen(real) >= nr || strlen(found) >= ns)
        return wb_fail(e, "program '%s': path too long", program);
    snprintf(started, ns, "%s", found);
    snprintf(resolved, nr, "%s", real);
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

/* ---- params: which of --batch and --threads a program honours ---------------- */

static const struct {
    const char *name;
    unsigned flag;
} param_names[] = {
    {"batch", WB_STRAT_BATCH},
    {"threads", WB_STRAT_THREADS},
};
#define NPARAMS (sizeof param_names / sizeof param_names[0])
#define PARAM_FLAGS (WB_STRAT_BATCH | WB_STRAT_THREADS)

int wb_external_parse_params(const char *list, unsigned *flags, wb_error *e)
{
    if (strcmp(list, "none") == 0) {
        *flags = 0;
        return 0;
    }
    if (!*list)
        return wb_fail(e, "the list is empty: write none, batch, threads or batch,threads");
    unsigned got = 0;
    for (const char *item = list;;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        if (len == 0)
            return wb_fail(e, "'%s' has an empty item: write none, batch, threads or batch,threads", list);
        size_t k = 0;
        while (k < NPARAMS && !(strlen(param_names[k].name) == len && memcmp(param_names[k].name, item, len) == 0))
            k++;
        if (k == NPARAMS)
            return wb_fail(e, "'%.*s' is not a parameter a program can honour: write none, batch, threads or "
                              "batch,threads", (int)len, item);
        if (got & param_names[k].flag)
            return wb_fail(e, "'%s' names %s twice", list, param_names[k].name);
        got |= param_names[k].flag;
        if (!end)
            break;
        item = end + 1;
    }
    *flags = got;
    return 0;
}

/* The I/O models a program may declare (`io=async`): what findings compare. */
static const char *const io_names[] = {"sync", "async"};

/* The io named by value into x (x->io); -1 when it is neither. */
static int set_io(wb_external *x, const char *value)
{
    for (size_t i = 0; i < sizeof io_names / sizeof *io_names; i++)
        if (strcmp(value, io_names[i]) == 0) {
            snprintf(x->io, sizeof x->io, "%s", io_names[i]);
            return 0;
        }
    return -1;
}

const char *wb_external_params_text(unsigned flags)
{
    static const char *const texts[] = {"none", "batch", "threads", "batch,threads"};
    return texts[((flags & WB_STRAT_BATCH) ? 1 : 0) + ((flags & WB_STRAT_THREADS) ? 2 : 0)];
}

/* Apply params to the program and its strategy entry. */
static void set_params(wb_external *x, unsigned params, wb_external_params_source source, int line)
{
    x->params = params & PARAM_FLAGS;
    x->params_source = source;
    x->params_line = line;
    x->strategy.flags = (x->strategy.flags & ~PARAM_FLAGS) | x->params;
}

/* The program a NAME=VALUE option names (option: "--external-params"), or NULL with
 * the mistake in e. */
static wb_external *named_program(wb_external_set *set, const char *option, const char *spec, const char *example,
                                  wb_error *e)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec) {
        wb_fail(e, "%s %s: write NAME=%s", option, spec, example);
        return NULL;
    }
    size_t name_len = (size_t)(eq - spec);
    for (int i = 0; i < set->count; i++)
        if (strlen(set->items[i]->name) == name_len && memcmp(set->items[i]->name, spec, name_len) == 0)
            return set->items[i];
    wb_fail(e, "%s %s: no --external or --external-dir program is named '%.*s'", option, spec, (int)name_len, spec);
    return NULL;
}

int wb_external_declare_io(wb_external_set *set, const char *spec, wb_error *e)
{
    wb_external *x = named_program(set, "--external-io", spec, "sync|async, e.g. --external-io go_loader=async", e);
    if (!x)
        return -1;
    if (x->io_from_command_line)
        return wb_fail(e, "--external-io: '%s' is given twice", x->name);
    if (set_io(x, strchr(spec, '=') + 1) != 0)
        return wb_fail(e, "--external-io %s: write sync or async", spec);
    x->io_from_command_line = 1;
    return 0;
}

int wb_external_declare_params(wb_external_set *set, const char *spec, wb_error *e)
{
    wb_external *x = named_program(set, "--external-params", spec,
                                   "LIST, e.g. --external-params orm=batch or orm=none", e);
    if (!x)
        return -1;
    const char *eq = strchr(spec, '=');
    if (x->params_source == WB_PARAMS_COMMAND_LINE)
        return wb_fail(e, "--external-params: '%s' is given twice", x->name);
    unsigned params;
    wb_error why = {{0}};
    if (wb_external_parse_params(eq + 1, &params, &why) != 0)
        return wb_fail(e, "--external-params %s: %s", spec, why.msg);
    set_params(x, params, WB_PARAMS_COMMAND_LINE, 0);
    return 0;
}

/* ---- the script's header: the params line and the one-line summary ------------ */

/* Header lines are looked for in the first lines only: a header is at the top. */
enum { HEADER_LINES = 30, HEADER_BYTES = 16384 };

/* The line-comment markers a header line may start with. */
static const char *const comment_markers[] = {"#", "//", "--"};

/* p after its leading spaces and tabs. */
static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The text after a line-comment marker at the start of line (blanks before it
 * allowed), or NULL when the line is not such a comment. */
static const char *comment_text(const char *line)
{
    const char *p = skip_blanks(line);
    for (size_t i = 0; i < sizeof comment_markers / sizeof comment_markers[0]; i++) {
        size_t n = strlen(comment_markers[i]);
        if (strncmp(p, comment_markers[i], n) == 0)
            return skip_blanks(p + n);
    }
    return NULL;
}

/* Keep text[0..len) as the summary: valid UTF-8, control characters as spaces, cut at
 * a character boundary to fit, no trailing blanks. */
static void set_summary(wb_external *x, const char *text, size_t len)
{
    wb_buf clean = WB_BUF_INIT;
    wb_utf8_append_sanitized(&clean, text, len);
    const unsigned char *s = (const unsigned char *)wb_buf_str(&clean);
    size_t n = 0, cap = sizeof x->summary - 1;
    while (n < clean.len) {
        size_t seq = wb_utf8_sequence_len(s + n, clean.len - n);
        if (seq == 0 || n + seq > cap)
            break;
        n += seq;
    }
    memcpy(x->summary, s, n);
    x->summary[n] = '\0';
    for (char *p = x->summary; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    while (n > 0 && x->summary[n - 1] == ' ')
        x->summary[--n] = '\0';
    wb_buf_free(&clean);
}

/* The summary from text, up to a closing marker (a docstring's quotes, the end of a
 * C comment) when it holds one. */
static void set_summary_until(wb_external *x, const char *text, const char *closing)
{
    const char *end = closing ? strstr(text, closing) : NULL;
    set_summary(x, text, end ? (size_t)(end - text) : strlen(text));
}

/* Where the search for the summary is. */
typedef enum summary_state {
    SUMMARY_LOOKING,      /* at the top: blank lines, the #! line and header lines are passed over */
    SUMMARY_IN_DOCSTRING, /* a docstring opened with nothing after its quotes: the next line */
    SUMMARY_IN_C_COMMENT, /* likewise for a C comment */
    SUMMARY_DONE
} summary_state;

/* One line of the top of the script for the summary (see read_header). */
static summary_state summary_line(wb_external *x, summary_state state, const char *line, const char *comment,
                                  const char **quotes)
{
    const char *p = skip_blanks(line);
    if (!*p)
        return state;
    if (state == SUMMARY_IN_DOCSTRING || state == SUMMARY_IN_C_COMMENT) {
        if (state == SUMMARY_IN_C_COMMENT)
            while (*p == '*' && p[1] != '/')
                p++; /* the " * " of a block comment's lines */
        set_summary_until(x, skip_blanks(p), state == SUMMARY_IN_DOCSTRING ? *quotes : "*/");
        return SUMMARY_DONE;
    }
    if (state != SUMMARY_LOOKING)
        return state;
    static const char *const docstring_quotes[] = {"\"\"\"", "'''"};
    for (size_t i = 0; i < sizeof docstring_quotes / sizeof docstring_quotes[0]; i++)
        if (strncmp(p, docstring_quotes[i], 3) == 0) {
            *quotes = docstring_quotes[i];
            p = skip_blanks(p + 3);
            if (!*p)
                return SUMMARY_IN_DOCSTRING;
            set_summary_until(x, p, *quotes);
            return SUMMARY_DONE;
        }
    if (strncmp(p, "/*", 2) == 0) {
        for (p += 2; *p == '*' && p[1] != '/'; p++) {
        }
        p = skip_blanks(p);
        if (!*p || strncmp(p, "*/", 2) == 0)
            return SUMMARY_IN_C_COMMENT;
        set_summary_until(x, p, "*/");
        return SUMMARY_DONE;
    }
    if (comment) {
        if (!*comment)
            return state; /* a bare "#" line: look further */
        set_summary(x, comment, strlen(comment));
        return SUMMARY_DONE;
    }
    return SUMMARY_DONE; /* code first: no summary */
}

/* A `params=LIST` word of the header line on line lineno. */
static int header_params(wb_external *x, const char *value, int lineno, wb_error *e)
{
    unsigned params;
    wb_error why = {{0}};
    if (wb_external_parse_params(value, &params, &why) != 0)
        return wb_fail(e, "%s, line %d: %s", x->script, lineno, why.msg);
    set_params(x, params, WB_PARAMS_HEADER, lineno);
    return 0;
}

/* An `io=sync|async` word of the header line on line lineno. */
static int header_io(wb_external *x, const char *value, int lineno, wb_error *e)
{
    if (set_io(x, value) != 0)
        return wb_fail(e, "%s, line %d: io=%s: write io=sync or io=async", x->script, lineno, value);
    return 0;
}

/* The words of a `writebench:` header line, each KEY=VALUE once. */
static const struct {
    const char *key;
    int (*apply)(wb_external *x, const char *value, int lineno, wb_error *e);
} header_keys[] = {
    {"params", header_params},
    {"io", header_io},
};

/* The words of the `writebench:` line lineno (directive: what follows the marker). */
static int read_header_words(wb_external *x, const char *directive, int lineno, wb_error *e)
{
    char words[512];
    snprintf(words, sizeof words, "%s", directive);
    unsigned seen = 0;
    char *save = NULL;
    int nwords = 0;
    for (char *w = strtok_r(words, " \t", &save); w; w = strtok_r(NULL, " \t", &save), nwords++) {
        char *eq = strchr(w, '=');
        size_t k = 0;
        while (eq && k < sizeof header_keys / sizeof *header_keys &&
               !(strlen(header_keys[k].key) == (size_t)(eq - w) && strncmp(header_keys[k].key, w, (size_t)(eq - w)) == 0))
            k++;
        if (!eq || k == sizeof header_keys / sizeof *header_keys)
            return wb_fail(e, "%s, line %d: 'writebench: %s' is not a writebench header line (write: writebench: "
                              "params=LIST, with io=async for an asyncio program)",
                           x->script, lineno, directive);
        if (seen & (1u << k))
            return wb_fail(e, "%s, line %d: %s= is given twice", x->script, lineno, header_keys[k].key);
        seen |= 1u << k;
        if (header_keys[k].apply(x, eq + 1, lineno, e) != 0)
            return -1;
    }
    if (nwords == 0)
        return wb_fail(e, "%s, line %d: 'writebench:' is not a writebench header line (write: writebench: params=LIST)",
                       x->script, lineno);
    return 0;
}

/* The script's header (x->script): a `writebench: params=LIST [io=async]` comment
 * line among its first HEADER_LINES lines sets the params and the I/O model; the
 * first docstring or comment line after a #! line is the summary. A `writebench:`
 * line that says anything else, or a second one, is a mistake (one line in e). */
static int read_header(wb_external *x, wb_error *e)
{
    if (!x->script[0])
        return 0;
    int fd = open(x->script, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0; /* unreadable: no header, as for a binary */
    char *text = wb_xmalloc(HEADER_BYTES + 1);
    ssize_t got = read(fd, text, HEADER_BYTES);
    close(fd);
    size_t len = got > 0 ? (size_t)got : 0;
    text[len] = '\0';
    if (memchr(text, '\0', len)) { /* not text: no header */
        free(text);
        return 0;
    }
    summary_state summary = SUMMARY_LOOKING;
    const char *quotes = NULL;
    int rc = 0, lineno = 0, declared_line = 0;
    /* Split by hand: strtok would merge empty lines and miscount the line numbers. */
    for (char *line = text; line && lineno < HEADER_LINES && rc == 0;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else if (len == HEADER_BYTES)
            break; /* cut by the read: not a whole line */
        lineno++;
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        int shebang = lineno == 1 && strncmp(line, "#!", 2) == 0;
        const char *comment = shebang ? NULL : comment_text(line);
        if (comment && strncmp(comment, "writebench:", 11) == 0) {
            const char *directive = skip_blanks(comment + 11);
            if (declared_line)
                rc = wb_fail(e, "%s, line %d: the writebench header is on line %d already", x->script, lineno,
                             declared_line);
            else
                rc = read_header_words(x, directive, declared_line = lineno, e);
        } else if (!shebang) {
            summary = summary_line(x, summary, line, comment, &quotes);
        }
        line = next;
    }
    free(text);
    return rc;
}

/* The file whose header counts: for a known interpreter (python3 script.py) its first
 * argument that names a regular file; else the program itself unless it is an ELF binary. */
static void find_script(wb_external *x)
{
    x->script[0] = '\0';
    if (interpreter_language(x->argv[0], strlen(x->argv[0]))) {
        for (int k = 1; k < x->argc; k++) {
            struct stat st;
            if (x->argv[k][0] != '-' && stat(x->argv[k], &st) == 0 && S_ISREG(st.st_mode)) {
                snprintf(x->script, sizeof x->script, "%s", x->argv[k]);
                return;
            }
        }
        return;
    }
    if (strcmp(x->language, "native") != 0)
        snprintf(x->script, sizeof x->script, "%s", x->path);
}

/* Make the strategy entry the runner sees. */
static void fill_strategy(wb_external *x)
{
    x->strategy.name = x->name;
    x->strategy.family = "external";
    x->strategy.passes = WB_PASS_INSERT | WB_PASS_UPDATE;
    /* Until it declares otherwise, a program may batch and thread: it gets --batch and
     * --threads and runs in their scans. */
    x->strategy.flags = WB_STRAT_EXTERNAL | x->params;
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
    if (find_program(program, x->path, sizeof x->path, x->resolved, sizeof x->resolved, e) != 0) {
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
    x->params = PARAM_FLAGS;
    snprintf(x->io, sizeof x->io, "%s", io_names[0]);
    fill_strategy(x);
    find_script(x);
    set->items[set->count++] = x; /* the set owns it from here: freed with the set on a mistake too */
    return read_header(x, e);
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

/* Where a program's params were declared, for code.diff. */
static void params_origin(const wb_external *x, wb_buf *out)
{
    switch (x->params_source) {
    case WB_PARAMS_HEADER:
        wb_buf_printf(out, "declared in %s, line %d", x->script, x->params_line);
        break;
    case WB_PARAMS_COMMAND_LINE:
        wb_buf_puts(out, "declared by --external-params");
        break;
    default:
        wb_buf_puts(out, "not declared: both assumed");
        break;
    }
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
        /* The path as given is what was started; what it resolves to is the code that ran. */
        wb_buf_printf(out, "  %s: %s\n", x->name, x->argv[0]);
        if (strcmp(x->argv[0], x->path) != 0)
            wb_buf_printf(out, "    found in PATH: %s\n", x->path);
        wb_buf_printf(out, "    resolves to: %s\n", x->resolved);
        wb_buf_printf(out, "    language %s, sha256 %s\n", x->language, x->sha256);
        wb_buf_printf(out, "    params: %s (", wb_external_params_text(x->params));
        params_origin(x, out);
        wb_buf_puts(out, ")\n");
        wb_buf_printf(out, "    io: %s%s\n", x->io, x->io_from_command_line ? " (declared by --external-io)" : "");
        if (x->argc > 1) {
            wb_buf_puts(out, "    arguments:");
            for (int k = 1; k < x->argc; k++)
                wb_buf_printf(out, " %s", x->argv[k]);
            wb_buf_putc(out, '\n');
        }
        /* A script given to an interpreter is the code that matters: hash it too. */
        for (int k = 1; k < x->argc; k++) {
            struct stat st;
            char hex[65], real[PATH_MAX];
            if (stat(x->argv[k], &st) == 0 && S_ISREG(st.st_mode) && file_sha256(x->argv[k], hex) == 0)
                wb_buf_printf(out, "    file %s (resolves to %s) sha256 %s\n", x->argv[k],
                              realpath(x->argv[k], real) ? real : x->argv[k], hex);
        }
    }
}
