/* The strategy catalogue: the one table that `run`, `describe` and the errors
 * for mistyped names all read (see strategy.h for how to add a strategy). Which
 * backends run an entry follows from its functions and the capabilities it needs
 * (wb_strategy_fn_for), never from a column per backend. */
#include <stdlib.h>
#include <string.h>

#include "strategies/pg/pg_strategies.h"
#include "strategies/floor.h"
#include "strategies/generic/generic_strategies.h"
#include "strategies/mariadb/mariadb_strategies.h"
#include "strategies/reference.h"
#include "strategies/sqlite/sqlite_strategies.h"
#include "strategies/strategy.h"
#include "util/edit_distance.h"

#define INS WB_PASS_INSERT
#define UPD WB_PASS_UPDATE
/* How an entry runs (strategy.h): a generic function and the capabilities it needs,
 * and/or backends' own functions, each named with its backend's kind. */
#define GENERIC(fn, caps) .generic = (fn), .needs = (caps)
#define NATIVE(kind, fn) {WB_BACKEND_##kind, (fn)}
#define NATIVES(...) .native = {__VA_ARGS__}
#define NATIVE_ONLY(caps, ...) .needs = (caps), .native = {__VA_ARGS__}

static const wb_strategy catalog[] = {
    {"server-generate", "reference", INS | UPD, WB_STRAT_REFERENCE,
     "The database makes the rows itself from the workload's SQL expressions, with no client "
     "involved: a recursive CTE on SQLite, generate_series on PostgreSQL, the Sequence engine's "
     "seq_1_to_N on MariaDB; the update pass is one "
     "UPDATE per table. No client, no round trip, no parsing per row: every other strategy's "
     "rows/s is reported as a fraction of it. It is a reference, not a hard ceiling: the server "
     "also computes every value from the workload's SQL expressions (the hostile rows are CASE "
     "branches), which can cost more than a client sending ready values, so a fast client "
     "strategy may pass 100%.",
     "none: the reference every idiom is measured against",
     GENERIC(wb_server_generate, 0)},
    {"generate-only", "reference", INS | UPD, WB_STRAT_CLIENT_FLOOR,
     "The client's own floor: makes every row of the pass and encodes it as the backend's fastest "
     "client strategy would (PostgreSQL: the COPY binary encoding; SQLite: the values copied once, "
     "as a copying bind), and sends nothing. Nothing is written, so nothing is verified (verify "
     "'none'). Every other test's client share is this time, scaled to its rows and divided by "
     "its threads, over its duration: the part of its time the client's own work explains.",
     "none: building the rows (dicts, ORM objects) without ever calling the database",
     GENERIC(wb_generate_only, 0)},
    {"single-autocommit", "insert", INS, WB_STRAT_SLOW | WB_STRAT_THREADS,
     "One INSERT per row with bound parameters, parsed anew each time, each row its own "
     "transaction (autocommit). Pays a commit, and on durable settings a sync, per row; runs at "
     "--slow-rows.",
     "session.add(obj); session.commit() for every row",
     GENERIC(wb_generic_single_autocommit, 0)},
    {"single-tx", "insert", INS, WB_STRAT_THREADS,
     "One INSERT per row with bound parameters, parsed anew each time, all rows in one "
     "transaction per thread.",
     "session.add_all(objs); session.commit() once",
     GENERIC(wb_generic_single_tx, 0)},
    {"batch-commit", "insert", INS, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "One INSERT per row with bound parameters, parsed anew each time, committing every --batch "
     "rows: the usual compromise between one huge transaction and one per row.",
     "session.flush()/session.commit() every B objects",
     GENERIC(wb_generic_batch_commit, 0)},
    {"prepared", "insert", INS, WB_STRAT_THREADS,
     "One INSERT statement prepared once per table and re-executed with new bindings for every "
     "row, in one transaction per thread: no parsing after the first row.",
     "cursor.executemany(sql, rows) in the DB-API driver",
     GENERIC(wb_generic_prepared, WB_CAP_KEPT_STATEMENTS)},
    {"values-multirow", "insert", INS, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "INSERT ... VALUES (...), (...), ... with --batch rows per statement (fewer when the "
     "bound-parameter limit is lower: SQLite's variable limit, PostgreSQL's 65,535 per statement), "
     "the statement prepared once and reused, in one transaction per thread.",
     "conn.execute(insert(table), list_of_dicts) in Core; psycopg2 execute_values",
     GENERIC(wb_generic_values_multirow, WB_CAP_KEPT_STATEMENTS)},
    {"pipeline", "insert", INS, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "PostgreSQL, libpq pipeline mode (libpq 14+): the INSERT prepared once per table, every row "
     "sent without waiting for its result, the pipeline synced every --batch rows while the "
     "results of the batch before are read, so the server always has work and no row waits for a "
     "round trip; one transaction per thread. Skipped when libpq is older than 14.",
     "psycopg 3 cursor.executemany(), which pipelines",
     NATIVE_ONLY(WB_CAP_PIPELINE | WB_CAP_KEPT_STATEMENTS, NATIVE(POSTGRES, wb_pg_pipeline))},
    {"unnest", "insert", INS, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "PostgreSQL: INSERT ... SELECT * FROM unnest($1::bigint[], $2::text[], ...), one array "
     "parameter per column holding --batch rows, so a statement has as many parameters as the "
     "table has columns whatever the batch; prepared once, the arrays sent as text literals with "
     "quotes and backslashes escaped, one transaction per thread.",
     "cursor.execute('INSERT ... SELECT * FROM unnest(%s, %s)', (ids, names)): array binds",
     NATIVE_ONLY(WB_CAP_ARRAYS | WB_CAP_KEPT_STATEMENTS, NATIVE(POSTGRES, wb_pg_unnest))},
    {"copy-text", "insert", INS, WB_STRAT_THREADS,
     "PostgreSQL: COPY ... FROM STDIN in text format, rows streamed tab-separated in 64 kB chunks "
     "with backslash, tab, newline and carriage return escaped and \\N for NULL; one COPY per "
     "table and thread, one transaction per thread.",
     "psycopg2 cursor.copy_expert() / copy_from(); psycopg 3 cursor.copy() with write_row()",
     NATIVE_ONLY(WB_CAP_COPY, NATIVE(POSTGRES, wb_pg_copy_text))},
    {"copy-binary", "insert", INS, WB_STRAT_THREADS,
     "PostgreSQL: COPY ... FROM STDIN (FORMAT binary), every value in its binary form (bigint as 8 "
     "big-endian bytes, text as its UTF-8 bytes, numeric as base-10000 digits): no escaping and no "
     "parsing of text on the server; one COPY per table and thread, one transaction per thread.",
     "psycopg 3 cursor.copy('COPY ... (FORMAT BINARY)') with set_types() and write_row()",
     NATIVE_ONLY(WB_CAP_COPY, NATIVE(POSTGRES, wb_pg_copy_binary))},
    {"copy-freeze", "insert", INS, WB_STRAT_TRUNCATES,
     "PostgreSQL: TRUNCATE every table, then COPY ... (FORMAT binary, FREEZE) into each in the same "
     "transaction, so the rows are written already frozen and visible (no hint bits to set on the "
     "first read, no freezing vacuum later). Caveats: FREEZE is only allowed for a table created or "
     "truncated in the same transaction, so it empties the tables first and holds an ACCESS EXCLUSIVE "
     "lock on them until it commits (every other reader waits); the rows are visible at once even to "
     "transactions whose snapshot is older than the load, which bends MVCC; one connection, one "
     "transaction (no --threads), insert only.",
     "cursor.execute('TRUNCATE t'); cursor.copy('COPY t FROM STDIN (FORMAT BINARY, FREEZE)') in one "
     "transaction",
     NATIVE_ONLY(WB_CAP_COPY, NATIVE(POSTGRES, wb_pg_copy_freeze))},
    {"unlogged-then-logged", "insert", INS, WB_STRAT_THREADS,
     "PostgreSQL: ALTER TABLE ... SET UNLOGGED (children first), load with COPY binary (one COPY per "
     "table and thread, no WAL for the rows), then ALTER TABLE ... SET LOGGED (parents first), all "
     "timed. Caveats: a crash between the load and SET LOGGED loses the load (the server empties "
     "unlogged tables on crash recovery), and a standby sees none of the rows until SET LOGGED; SET "
     "LOGGED rewrites each table and, with wal_level replica or logical, writes it whole to the WAL, "
     "so the WAL is saved only under wal_level minimal; both ALTERs take an ACCESS EXCLUSIVE lock.",
     "ALTER TABLE t SET UNLOGGED; bulk load; ALTER TABLE t SET LOGGED",
     NATIVE_ONLY(WB_CAP_COPY, NATIVE(POSTGRES, wb_pg_unlogged_then_logged))},
    {"load-data", "insert", INS, WB_STRAT_THREADS,
     "MariaDB: LOAD DATA LOCAL INFILE with the file streamed from memory through the connector's "
     "local-infile handler (never a file on disk): rows made and encoded tab-separated as the server "
     "asks for them, backslash, tab, newline, carriage return and NUL escaped and \\N for NULL, the "
     "format written as hexadecimal literals so that it means the same under NO_BACKSLASH_ESCAPES; "
     "one LOAD DATA per table and thread, one transaction per thread. The server turns a bad row of a "
     "LOCAL load into a warning and skips it: any warning fails the test.",
     "cursor.execute(\"LOAD DATA LOCAL INFILE ...\") with local_infile=True (the MySQL bulk-load advice)",
     NATIVE_ONLY(0, NATIVE(MARIADB, wb_mariadb_load_data))},
    {"load-then-index", "insert", INS, WB_STRAT_REBUILDS_INDEXES,
     "Drops what slows a load, loads the bare tables, then rebuilds it all: the 'disable indexes "
     "during bulk loads' advice, build time included. SQLite: drops the secondary indexes and "
     "loads with the prepared strategy in one transaction. PostgreSQL: drops the secondary "
     "indexes and the unique and foreign-key constraints (CHECK stays: cheap per row, a table "
     "scan to add back), loads with COPY binary, then "
     "re-creates them from the server's own definitions (validation included), with "
     "maintenance_work_mem raised to 256MB for the rebuild's transaction when lower, as the "
     "PostgreSQL manual advises for bulk loads, and max_parallel_maintenance_workers raised to the "
     "server's max_parallel_workers so that the index builds may run in parallel where the server "
     "allows (run.conf records the three settings; the server starts fewer workers for a small table "
     "or when none is free, and the workers share maintenance_work_mem). MariaDB: turns the session's foreign_key_checks and "
     "unique_checks off, drops the secondary indexes, loads with load-data in one transaction, "
     "rebuilds the indexes (a duplicate fails the unique ones) and turns the checks back on, as "
     "MariaDB's documentation advises for bulk loads.",
     "DROP INDEX; bulk load; CREATE INDEX (the classic bulk-load advice)",
     GENERIC(wb_generic_load_then_index, 0),
     NATIVES(NATIVE(POSTGRES, wb_pg_load_then_index), NATIVE(MARIADB, wb_mariadb_load_then_index))},
    {"select-then-write", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "For each row, SELECT by key, then UPDATE if it exists or INSERT if it does not, with "
     "prepared statements, committing every --batch rows: two round trips per row.",
     "session.merge(obj) / get-or-create",
     GENERIC(wb_generic_select_then_write, WB_CAP_KEPT_STATEMENTS)},
    {"update-then-insert", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "For each row, UPDATE by key; if no row changed, INSERT. Prepared statements, commit every "
     "--batch rows: one statement per row when updating, two when inserting.",
     "a hand-written upsert: if not session.execute(update(...)).rowcount: session.execute(insert(...))",
     GENERIC(wb_generic_update_then_insert, WB_CAP_KEPT_STATEMENTS)},
    {"insert-ignore-then-update", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "MariaDB: for each row, INSERT IGNORE; if it inserted nothing (the key exists), UPDATE by key. "
     "Prepared statements, commit every --batch rows: one statement per row when inserting, two when "
     "updating. IGNORE turns every error of the INSERT into a warning, not only the duplicate key.",
     "session.execute(insert(t).prefix_with('IGNORE')); then update(...) when its rowcount is 0",
     NATIVE_ONLY(0, NATIVE(MARIADB, wb_mariadb_insert_ignore_then_update))},
    {"on-conflict", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "One INSERT ... ON CONFLICT (id) DO UPDATE SET ... per row, prepared once, committing "
     "every --batch rows; on MariaDB INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c), which fires "
     "on a duplicate of any unique key, not only the primary key.",
     "sqlite.insert(t) / postgresql.insert(t) .on_conflict_do_update(...), mysql.insert(t)"
     ".on_duplicate_key_update(...), executed per row",
     GENERIC(wb_generic_on_conflict, WB_CAP_UPSERT | WB_CAP_KEPT_STATEMENTS)},
    {"on-conflict-batch", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "Multi-row INSERT ... VALUES (...), ... ON CONFLICT (id) DO UPDATE SET ..., --batch rows "
     "per statement (within the bound-parameter limit), one transaction per thread; on MariaDB "
     "INSERT ... VALUES ... ON DUPLICATE KEY UPDATE c = VALUES(c).",
     "insert(t).values(list_of_dicts).on_conflict_do_update(...) / .on_duplicate_key_update(...)",
     GENERIC(wb_generic_on_conflict_batch, WB_CAP_UPSERT | WB_CAP_KEPT_STATEMENTS)},
    {"merge", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "PostgreSQL 15+: MERGE INTO t USING (VALUES (...), ...) AS v ON t.id = v.id WHEN MATCHED "
     "THEN UPDATE ... WHEN NOT MATCHED THEN INSERT ..., --batch rows per statement (within the "
     "65,535-parameter limit), prepared once, one transaction per thread. Skipped on servers "
     "before 15.",
     "session.execute(text('MERGE INTO t USING (VALUES ...) ...'), params): raw MERGE",
     NATIVE_ONLY(WB_CAP_MERGE | WB_CAP_KEPT_STATEMENTS, NATIVE(POSTGRES, wb_pg_merge))},
    {"staging-merge", "upsert", INS | UPD, WB_STRAT_THREADS,
     "PostgreSQL 15+, the ETL staging pattern: per thread and table, COPY binary into a temporary "
     "table shaped like the target (LIKE t, dropped at commit), then one MERGE from it into the "
     "table; one transaction per thread. Skipped on servers before 15.",
     "COPY into a temporary table, then MERGE INTO t USING it (ETL staging)",
     NATIVE_ONLY(WB_CAP_COPY | WB_CAP_MERGE | WB_CAP_TEMP_TABLES, NATIVE(POSTGRES, wb_pg_staging_merge))},
    {"staging-on-conflict", "upsert", INS | UPD, WB_STRAT_THREADS,
     "PostgreSQL, the ETL staging pattern: per thread and table, COPY binary into a temporary "
     "table shaped like the target (LIKE t, dropped at commit), then one INSERT ... SELECT ... "
     "ON CONFLICT (id) DO UPDATE from it; one transaction per thread.",
     "COPY into a temporary table, then INSERT ... SELECT ... ON CONFLICT DO UPDATE (ETL staging)",
     NATIVE_ONLY(WB_CAP_COPY | WB_CAP_UPSERT | WB_CAP_TEMP_TABLES,
                 NATIVE(POSTGRES, wb_pg_staging_on_conflict))},
    {"replace", "upsert", INS | UPD, WB_STRAT_SLOW | WB_STRAT_THREADS | WB_STRAT_BATCH,
     "INSERT OR REPLACE (SQLite) or REPLACE INTO (MariaDB) per row, prepared once, committing "
     "every --batch rows. Note: on a conflict both delete the old row and insert a new one, so it "
     "fires delete logic, rewrites every index entry and checks foreign keys as for a delete: on "
     "users, every replaced user_account row makes SQLite scan address for rows that reference it "
     "(user_id has no index, as in the SQLAlchemy model), so the update pass grows with the square "
     "of N, and InnoDB refuses the delete outright, so on MariaDB the update pass of a workload "
     "whose rows other tables reference is skipped with that reason. Runs at --slow-rows.",
     "the SQLite shortcut: INSERT OR REPLACE / insert(t).prefix_with('OR REPLACE'); MySQL's REPLACE INTO",
     NATIVE_ONLY(0, NATIVE(SQLITE, wb_sqlite_replace), NATIVE(MARIADB, wb_mariadb_replace))},
    {"bulk-update", "update", UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "UPDATE t SET ... FROM (VALUES (...), ...) WHERE t.id = v.id with --batch rows per "
     "statement, one transaction per thread; on MariaDB UPDATE t JOIN (SELECT ... UNION ALL SELECT "
     "...) AS v ON t.id = v.id SET ..., a derived table of --batch rows joined to the primary key. "
     "Updates only: its update pass starts from rows loaded by the server-generate reference.",
     "session.bulk_update_mappings(...) / executemany of UPDATE",
     GENERIC(wb_generic_bulk_update, WB_CAP_UPDATE_FROM | WB_CAP_KEPT_STATEMENTS), NATIVES(NATIVE(MARIADB, wb_mariadb_bulk_update))},
    {"commit-queue", "upsert", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH,
     "--threads producer threads generate rows into one shared bounded queue; a single writer "
     "connection drains it with a prepared upsert and commits every --batch rows: many threads "
     "of application work, one writer to the database.",
     "a queue.Queue fed by worker threads, drained by one thread that commits every B statements",
     GENERIC(wb_generic_commit_queue, WB_CAP_UPSERT | WB_CAP_KEPT_STATEMENTS)},
    /* Deliberately wrong strategies: only visible with WRITEBENCH_TEST_STRATEGIES=1. */
    {"test-drop-row", "test", INS | UPD, WB_STRAT_TEST_ONLY,
     "Test only: writes every row but the last one of each table.", "none",
     NATIVE_ONLY(0, NATIVE(SQLITE, wb_sqlite_test_drop_row))},
    {"test-mangle-quote", "test", INS | UPD, WB_STRAT_TEST_ONLY,
     "Test only: drops the single quotes from text values, like broken escaping would.", "none",
     NATIVE_ONLY(0, NATIVE(SQLITE, wb_sqlite_test_mangle_quote))},
    {"test-crash", "test", INS, WB_STRAT_TEST_ONLY,
     "Test only: writes some rows, then dies of a segmentation fault.", "none",
     NATIVE_ONLY(0, NATIVE(SQLITE, wb_sqlite_test_crash))},
    {"test-hang", "test", INS, WB_STRAT_TEST_ONLY,
     "Test only: writes some rows, then never returns (for --timeout).", "none",
     NATIVE_ONLY(0, NATIVE(SQLITE, wb_sqlite_test_hang))},
    {"test-slow-batch", "test", INS | UPD, WB_STRAT_TEST_ONLY | WB_STRAT_BATCH,
     "Test only: commits every --batch rows (10 by default) and sleeps 200 ms in one of them, so that "
     "one batch's latency stands out.", "none",
     NATIVE_ONLY(0, NATIVE(SQLITE, wb_sqlite_test_slow_batch))},
    {.name = NULL},
};

const wb_strategy *const wb_catalog = catalog;

wb_strategy_fn wb_strategy_fn_for(const wb_strategy *s, wb_backend_kind kind, wb_buf *why_not)
{
    return wb_strategy_fn_on(s, wb_backend_get(kind), kind, why_not);
}

wb_strategy_fn wb_strategy_fn_on(const wb_strategy *s, const wb_backend *b, wb_backend_kind kind, wb_buf *why_not)
{
    if (!b) {
        if (why_not)
            wb_buf_puts(why_not, "no such backend");
        return NULL;
    }
    for (int i = 0; i < WB_MAX_NATIVES && s->native[i].fn; i++)
        if (s->native[i].backend == kind)
            return s->native[i].fn;
    /* what a connection has (WB_CAP_PROBED_ONLY) is assumed here: only the probe of the
     * real connection takes it away, and the runner then skips the strategy */
    unsigned missing = s->needs & ~(b->caps | WB_CAP_PROBED_ONLY);
    if (s->generic && !missing)
        return s->generic;
    if (!s->generic && !s->native[0].fn) /* made at run time (external programs): its own column */
        return (unsigned)kind < WB_BACKEND_COUNT ? s->run[kind] : NULL;
    if (why_not) {
        if (missing) {
            wb_buf_puts(why_not, "it needs ");
            wb_capability_names(missing, why_not);
        } else {
            wb_buf_puts(why_not, "it is native to ");
            for (int i = 0; i < WB_MAX_NATIVES && s->native[i].fn; i++)
                wb_buf_printf(why_not, "%s%s", i ? " and " : "", wb_backend_get(s->native[i].backend)->display_name);
        }
    }
    return NULL;
}

int wb_strategy_visible(const wb_strategy *s)
{
    if (!(s->flags & WB_STRAT_TEST_ONLY))
        return 1;
    const char *env = getenv("WRITEBENCH_TEST_STRATEGIES");
    return env && strcmp(env, "1") == 0;
}

const wb_strategy *wb_strategy_find(const char *name)
{
    for (const wb_strategy *s = wb_catalog; s->name; s++)
        if (strcmp(s->name, name) == 0 && wb_strategy_visible(s))
            return s;
    return NULL;
}

unsigned wb_strategy_flags_of(const char *name)
{
    const wb_strategy *s = name ? wb_strategy_find(name) : NULL;
    return s ? s->flags : 0;
}

void wb_strategy_suggest(const char *name, wb_buf *out)
{
    /* Close means a few edits away, or one name containing the other ("conflict"). */
    int first = 1;
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!wb_strategy_visible(s))
            continue;
        size_t d = wb_edit_distance(name, s->name);
        int contains = strlen(name) >= 3 && (strstr(s->name, name) || strstr(name, s->name));
        if (d <= 3 || contains) {
            wb_buf_printf(out, "%s%s", first ? "" : ", ", s->name);
            first = 0;
        }
    }
}

static void append_all_names(wb_buf *out, wb_backend_kind kind)
{
    int first = 1;
    for (const wb_strategy *s = wb_catalog; s->name; s++)
        if (wb_strategy_visible(s) && wb_strategy_fn_for(s, kind, NULL)) {
            wb_buf_printf(out, "%s%s", first ? "" : ", ", s->name);
            first = 0;
        }
}

static int add_selected(const wb_strategy *s, const wb_strategy **out, int cap, int *count, wb_error *e)
{
    for (int i = 0; i < *count; i++)
        if (out[i] == s)
            return 0; /* named twice: run once */
    if (*count >= cap)
        return wb_fail(e, "too many strategies selected (at most %d)", cap);
    out[(*count)++] = s;
    return 0;
}

int wb_strategy_select(const char *list, wb_backend_kind kind, const wb_strategy **out, int cap,
                       int *count, wb_error *e)
{
    *count = 0;
    if (!list || strcmp(list, "all") == 0) {
        for (const wb_strategy *s = wb_catalog; s->name; s++)
            if (wb_strategy_visible(s) && !(s->flags & WB_STRAT_TEST_ONLY) && wb_strategy_fn_for(s, kind, NULL))
                if (add_selected(s, out, cap, count, e) != 0)
                    return -1;
        return 0;
    }
    if (strcmp(list, "none") == 0) /* only the --external programs */
        return 0;
    char *copy = wb_xstrdup(list), *save = NULL;
    int rc = 0;
    for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        const wb_strategy *s = wb_strategy_find(name);
        if (!s) {
            wb_buf close = WB_BUF_INIT, all = WB_BUF_INIT;
            wb_strategy_suggest(name, &close);
            append_all_names(&all, kind);
            if (close.len)
                wb_fail(e, "unknown strategy '%s'; did you mean: %s?", name, wb_buf_str(&close));
            else
                wb_fail(e, "unknown strategy '%s'; known: %s", name, wb_buf_str(&all));
            wb_buf_free(&close);
            wb_buf_free(&all);
            rc = -1;
            break;
        }
        wb_buf why_not = WB_BUF_INIT;
        if (!wb_strategy_fn_for(s, kind, &why_not)) {
            const wb_backend *b = wb_backend_get(kind);
            rc = wb_fail(e, "strategy '%s' does not run on %s: %s", name, b ? b->name : "this backend",
                         wb_buf_str(&why_not));
            wb_buf_free(&why_not);
            break;
        }
        wb_buf_free(&why_not);
        if ((rc = add_selected(s, out, cap, count, e)) != 0)
            break;
    }
    if (rc == 0 && *count == 0)
        rc = wb_fail(e, "--strategies names no strategy");
    free(copy);
    return rc;
}
