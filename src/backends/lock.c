/* One writebench at a time per database (lock.h): the part shared by every
 * backend, which describes this process to whoever comes second and words the
 * refusal; the lock itself is the backend's (a file lock beside a SQLite
 * database, an advisory lock on a PostgreSQL schema). */
#include "backends/lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct wb_db_lock {
    const wb_backend *backend;
    wb_lock *lock;
    pid_t owner; /* the process that took it: only it releases */
};

/* Fill me with this process's description: command, run id, pid, host, now. */
static void describe_self(const char *command, const char *run_id, wb_lock_holder *me)
{
    memset(me, 0, sizeof *me);
    snprintf(me->command, sizeof me->command, "%s", command);
    snprintf(me->run_id, sizeof me->run_id, "%s", run_id ? run_id : "");
    me->pid = (long)getpid();
    if (gethostname(me->host, sizeof me->host) != 0)
        me->host[0] = '\0';
    me->host[sizeof me->host - 1] = '\0';
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(me->started, sizeof me->started, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

/* The refusal, one line: "<where> is in use by writebench run <id> (pid P on host H,
 * since T): ...". Parts the holder could not be read for are left out. */
static int refuse(const char *where, const wb_lock_holder *h, wb_error *e)
{
    char who[128], details[512] = "";
    if (h->command[0])
        snprintf(who, sizeof who, "writebench %s%s%s", h->command, h->run_id[0] ? " " : "", h->run_id);
    else
        snprintf(who, sizeof who, "another writebench");
    size_t used = 0;
    if (h->pid > 0)
        used += (size_t)snprintf(details + used, sizeof details - used, "pid %ld", h->pid);
    if (h->host[0] && used < sizeof details)
        used += (size_t)snprintf(details + used, sizeof details - used, "%son host %s", used ? " " : "", h->host);
    if (h->started[0] && used < sizeof details)
        snprintf(details + used, sizeof details - used, "%ssince %s", used ? ", " : "", h->started);
    if (!details[0])
        snprintf(details, sizeof details, "which has not described itself yet");
    return wb_fail(e, "%s is in use by %s (%s): one writebench at a time per database; wait for it to end, or use "
                      "another database",
                   where, who, details);
}

int wb_db_lock_take(const wb_target *t, const char *command, const char *run_id, wb_db_lock **out, wb_error *e)
{
    *out = NULL;
    const wb_backend *b = wb_backend_get(t->kind);
    if (!b || !b->lock)
        return 0;
    wb_lock_holder me, holder;
    describe_self(command, run_id, &me);
    memset(&holder, 0, sizeof holder);
    char where[1200] = "the database";
    wb_lock *l = NULL;
    int rc = b->lock(t, &me, &l, &holder, where, sizeof where, e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return refuse(where, &holder, e);
    *out = wb_xcalloc(1, sizeof **out);
    (*out)->backend = b;
    (*out)->lock = l;
    (*out)->owner = getpid();
    return 0;
}

void wb_db_lock_release(wb_db_lock *l)
{
    if (!l)
        return;
    if (l->owner == getpid())
        l->backend->unlock(l->lock);
    free(l);
}
