/* `run --set NAME=V1[,V2...]` and `--pragma NAME=V1[,V2...]`: session settings as a
 * scan axis (see cli.h). Each value is checked by the backend's own parser before
 * anything is written; whether the server lets the role change it is asked of the
 * server itself when the run starts (runner/run.c), with its reason on refusal. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "runner/run.h"

/* The axis named name among cfg's (case-insensitive, as the servers read names), or NULL. */
static wb_setting_axis *find_axis(wb_run_config *cfg, const char *name, size_t len, bool pragma)
{
    for (int i = 0; i < cfg->nsettings; i++)
        if (cfg->settings[i].pragma == pragma && strlen(cfg->settings[i].name) == len &&
            strncasecmp(cfg->settings[i].name, name, len) == 0)
            return &cfg->settings[i];
    return NULL;
}

/* One "NAME=V1,V2" of an option into an axis, every value checked by add (the
 * backend's parser, on a scratch target). */
static int add_axis(const char *option, const char *item, bool pragma, wb_run_config *cfg, wb_target *scratch,
                    int (*add)(wb_target *, const char *, wb_error *))
{
    const char *eq = strchr(item, '=');
    if (!eq || eq == item || !eq[1])
        return wb_cli_fail("run", "%s '%s': expected name=value[,value...] (for example %s)", option, item,
                           pragma ? "synchronous=NORMAL,FULL" : "synchronous_commit=on,off");
    size_t name_len = (size_t)(eq - item);
    wb_setting_axis *axis = find_axis(cfg, item, name_len, pragma);
    if (axis && !pragma)
        return wb_cli_fail("run", "%s %.*s is given twice; give its values as one list (%.*s=V1,V2)", option,
                           (int)name_len, item, (int)name_len, item);
    if (!axis) { /* a later --pragma of a name replaces the earlier one, as a single value always did */
        if (cfg->nsettings >= WB_MAX_SETTING_AXES)
            return wb_cli_fail("run", "more than %d --set and --pragma names", WB_MAX_SETTING_AXES);
        axis = &cfg->settings[cfg->nsettings++];
    }
    memset(axis, 0, sizeof *axis);
    axis->pragma = pragma;
    if (name_len >= sizeof axis->name)
        return wb_cli_fail("run", "%s '%s': the name is too long", option, item);
    memcpy(axis->name, item, name_len);
    for (const char *v = eq + 1; *v;) {
        size_t len = strcspn(v, ",");
        if (len == 0)
            return wb_cli_fail("run", "%s '%s': an empty value in the list", option, item);
        if (len >= sizeof axis->values[0])
            return wb_cli_fail("run", "%s '%s': a value is too long", option, item);
        if (axis->nvalues >= WB_MAX_SCAN)
            return wb_cli_fail("run", "%s '%s': more than %d values", option, item, WB_MAX_SCAN);
        for (int i = 0; i < axis->nvalues; i++)
            if (strlen(axis->values[i]) == len && strncmp(axis->values[i], v, len) == 0)
                return wb_cli_fail("run", "%s '%s': the value '%.*s' is given twice", option, item, (int)len, v);
        memcpy(axis->values[axis->nvalues], v, len);
        axis->values[axis->nvalues][len] = '\0';
        char assignment[sizeof axis->name + sizeof axis->values[0] + 2];
        snprintf(assignment, sizeof assignment, "%s=%s", axis->name, axis->values[axis->nvalues]);
        wb_error e = {{0}};
        if (add(scratch, assignment, &e) != 0)
            return wb_cli_fail("run", "%s", e.msg);
        axis->nvalues++;
        v += len;
        if (*v == ',' && !*++v)
            return wb_cli_fail("run", "%s '%s': the list ends with ','", option, item);
    }
    return 0;
}

int wb_cli_run_settings(const wb_opt_list *sets, const wb_opt_list *pragmas, wb_run_config *cfg,
                        wb_opt_list *first_pragmas)
{
    static wb_target scratch; /* large */
    static char firsts[WB_OPT_LIST_MAX][sizeof cfg->settings[0].name + sizeof cfg->settings[0].values[0] + 2];
    memset(&scratch, 0, sizeof scratch);
    scratch.kind = cfg->target.kind;
    for (int i = 0; i < sets->count; i++)
        if (add_axis("--set", sets->items[i], false, cfg, &scratch, wb_target_add_session_setting) != 0)
            return 2;
    for (int i = 0; i < pragmas->count; i++)
        if (add_axis("--pragma", pragmas->items[i], true, cfg, &scratch, wb_target_add_pragma) != 0)
            return 2;
    int combinations = wb_run_settings_combinations(cfg);
    if (combinations > WB_MAX_SCAN)
        return wb_cli_fail("run", "the --set and --pragma lists make %d combinations of values (at most %d)",
                           combinations, WB_MAX_SCAN);
    /* The run's target keeps a PRAGMA's first value, as a single --pragma always set it:
     * writebench's own connections (reset, verification) use it. */
    memset(first_pragmas, 0, sizeof *first_pragmas);
    for (int i = 0; i < cfg->nsettings; i++)
        if (cfg->settings[i].pragma) {
            snprintf(firsts[first_pragmas->count], sizeof firsts[0], "%s=%s", cfg->settings[i].name,
                     cfg->settings[i].values[0]);
            first_pragmas->items[first_pragmas->count] = firsts[first_pragmas->count];
            first_pragmas->count++;
        }
    return 0;
}
