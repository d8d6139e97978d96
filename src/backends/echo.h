/* Statement timing (--echo): every SQL statement writebench sends is printed with
 * its duration to a sink (stderr), long literal values elided, and aggregated by
 * its text without values (the SQL with parameters) into a per-statement summary
 * (count, total, mean, p95, max) printed at the end of each test, like pgbench -r.
 *
 * Cost: when echo is off nothing is registered (SQLite) and the PostgreSQL helpers
 * test one global flag. When on, lines are collected in one buffer allocated at
 * enable and written out (one write) when it holds 64 KiB, when it is older than
 * 100 ms (looked at every 16th statement, and after any statement of 1 ms or more),
 * at each summary, before a fork (wb_child_run flushes) and at exit (an atexit
 * handler registered by wb_echo_enable, inherited by forked children, which end with
 * exit()). A process that dies by a signal (a crash, or the kill of a timeout) loses
 * the lines still in the buffer: at most 64 KiB, the statements of its last ~100 ms.
 * The table is protected by one mutex (threads share it), and p95 comes from a
 * bounded reservoir of WB_ECHO_RESERVOIR durations per statement (exact while a
 * statement ran at most that many times, a uniform sample after). */
#ifndef WB_BACKENDS_ECHO_H
#define WB_BACKENDS_ECHO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"

/* Durations kept per statement for its p95. */
#define WB_ECHO_RESERVOIR 1024
/* A quoted literal longer than this is shown as its start, "...", and its length. */
#define WB_ECHO_LITERAL_MAX 40
/* An echoed line is cut after this many characters of SQL. */
#define WB_ECHO_LINE_MAX 2000
/* Runs of each statement echoed with their values (see wb_echo_record_expanded). */
#define WB_ECHO_VALUES_SHOWN 100
#define WB_ECHO_STR_(x) #x
#define WB_ECHO_STR(x) WB_ECHO_STR_(x)
/* Distinct statements tracked; the rest are summed into one "(other statements)" row. */
#define WB_ECHO_MAX_DISTINCT 512

/* Set by wb_echo_enable; the one test the hot paths make when echo is off. */
extern bool wb_echo_active;

/* Turn echo on for this process (idempotent). Lines go to the sink (stderr unless
 * wb_echo_set_sink chose another). */
void wb_echo_enable(void);
/* Send lines and summaries to sink instead of stderr (tests); NULL means stderr. */
void wb_echo_set_sink(FILE *sink);
/* Turn echo off and forget everything (tests). */
void wb_echo_disable(void);

/* Record one statement: key is its text with parameters, not values (the summary's
 * row); shown is what to print (values expanded, elided here), NULL to print key. */
void wb_echo_record(const char *key, const char *shown, int64_t duration_ns);
/* Record a statement whose values only expand(arg) can show (SQLite's expanded SQL,
 * which costs more than the rest of the echo): shown with its values for the first
 * WB_ECHO_VALUES_SHOWN runs of each statement, then as its text with parameters, so
 * that --echo stays cheap on a million rows. release frees what expand returned
 * (expand may return NULL: the text with parameters is shown). A statement with
 * such values must always be recorded through this function, as its key's echoed
 * form differs from wb_echo_record's. */
void wb_echo_record_expanded(const char *key, char *(*expand)(void *arg), void (*release)(char *text),
                             void *arg, int64_t duration_ns);
/* Record one statement sent with text-format parameters ($1..$n): printed as the SQL
 * followed by the values, each elided past WB_ECHO_LITERAL_MAX, NULL as NULL. */
void wb_echo_record_params(const char *sql, int nparams, const char *const *values,
                           int64_t duration_ns);

/* Append sql to out with every quoted literal longer than WB_ECHO_LITERAL_MAX elided
 * and the whole cut after WB_ECHO_LINE_MAX characters. */
void wb_echo_elide(const char *sql, wb_buf *out);

/* Print the per-statement summary under a title, then forget the statements (the
 * next test starts from zero). Does nothing when echo is off. */
void wb_echo_summary(const char *title);
/* Forget the statements and any buffered lines without printing them: a forked
 * child calls it so it does not repeat the parent's. */
void wb_echo_forget(void);
/* Write the buffered lines to the sink now (before fork, at exit). */
void wb_echo_flush(void);

/* For tests: how many statements were recorded since the last summary, in all and
 * with exactly this key (NULL: all), and how many distinct keys. */
int64_t wb_echo_count(const char *key);
int wb_echo_distinct(void);

/* --- timing SQLite statements: sqlite3_trace_v2 gives the start (SQLITE_TRACE_STMT)
 * and the end (SQLITE_TRACE_PROFILE) of each statement; SQLite's own duration comes
 * from the VFS clock (millisecond resolution), so the start is read from our
 * monotonic clock into these slots, keyed by statement (statements may nest). */
#define WB_ECHO_SLOTS 8
typedef struct wb_echo_slots {
    const void *stmt[WB_ECHO_SLOTS];
    int64_t start_ns[WB_ECHO_SLOTS];
} wb_echo_slots;

/* A statement began: remember when. */
void wb_echo_slot_start(wb_echo_slots *s, const void *stmt);
/* A statement ended: its duration from our clock, or fallback_ns when its start was
 * not seen. */
int64_t wb_echo_slot_end(wb_echo_slots *s, const void *stmt, int64_t fallback_ns);

#endif
