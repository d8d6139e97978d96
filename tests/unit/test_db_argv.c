/* Unit test of keeping --db passwords out of the process listing: the masking of a
 * --db value in place (wb_target_mask_secrets, backends/target.c) on every form a
 * password takes, and the option parser's WB_OPT_DB kind (cli/options.c), which
 * hands the command an intact copy and leaves argv masked, in both value forms and
 * for every occurrence. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#include "backends/backend.h"
#include "cli/options.h"

/* Mask a copy of in and compare with want. */
static void check_mask(const char *in, const char *want)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", in);
    wb_target_mask_secrets(buf);
    CHECK_STR(buf, want);
    CHECK_INT(strlen(buf), strlen(in)); /* in place: the same length */
}

static void test_mask(void)
{
    check_mask("postgresql://me:secret@host/db", "postgresql://me:xxxxxx@host/db");
    check_mask("postgres://me:s%40cret@host:5433/db?sslmode=require",
               "postgres://me:xxxxxxxx@host:5433/db?sslmode=require");
    /* an unencoded '@' or '/' in a password: masked up to the last '@' */
    check_mask("postgresql://me:p@ss/w@host/db", "postgresql://me:xxxxxx@host/db");
    check_mask("postgresql://me@host/db?password=secret&application_name=a",
               "postgresql://me@host/db?password=xxxxxx&application_name=a");
    check_mask("postgresql:///db?host=/tmp&PassWord=secret", "postgresql:///db?host=/tmp&PassWord=xxxxxx");
    check_mask("postgresql:///db?pass%77ord=secret", "postgresql:///db?pass%77ord=xxxxxx"); /* %77 is w */
    check_mask("postgresql://h/db?sslpassword=k3y", "postgresql://h/db?sslpassword=xxx");
    check_mask("host=h password=secret dbname=d", "host=h password=xxxxxx dbname=d");
    check_mask("host=h password = secret dbname=d", "host=h password = xxxxxx dbname=d");
    check_mask("password='se cr\\'et' host=h", "password='xxxxxxxxx' host=h");
    check_mask("host=h sslpassword=abc", "host=h sslpassword=xxx");
    check_mask("host=h password='unterminated", "host=h password='xxxxxxxxxxxx");
    /* nothing to hide: untouched */
    check_mask("postgresql://me@host/db", "postgresql://me@host/db");
    check_mask("host=h user=me dbname=d", "host=h user=me dbname=d");
    check_mask("sqlite:///tmp/x.db", "sqlite:///tmp/x.db");
    check_mask("pg-temp:", "pg-temp:");
    check_mask("", "");
    wb_target_mask_secrets(NULL); /* allowed */
}

typedef struct db_opts {
    const char *db;
    const char *name;
} db_opts;

static const wb_opt table[] = {
    {"--db", WB_OPT_DB, offsetof(db_opts, db), "URL", "the database.", 0, 0},
    {"--name", WB_OPT_STRING, offsetof(db_opts, name), "N", "a name.", 0, 0},
    WB_OPT_END,
};

static void test_parser(void)
{
    /* Writable strings, as main's argv is. */
    char a0[] = "cmd", a1[] = "--db", a2[] = "postgresql://me:secret@h/db", a3[] = "--name", a4[] = "password=x";
    char *argv[] = {a0, a1, a2, a3, a4, NULL};
    db_opts o = {0};
    wb_error e = {{0}};
    CHECK_INT(wb_opts_parse(table, 5, argv, &o, NULL, NULL, &e), WB_OPTS_OK);
    CHECK_STR(o.db, "postgresql://me:secret@h/db"); /* the command gets the real value */
    CHECK_STR(argv[2], "postgresql://me:xxxxxx@h/db"); /* the listing does not */
    CHECK(o.db != argv[2]);
    CHECK_STR(o.name, "password=x"); /* only --db values are masked */

    /* --db=VALUE, given twice: both masked, the last one wins. */
    char b0[] = "cmd", b1[] = "--db=host=h password=first", b2[] = "--db", b3[] = "host=h password=second";
    char *argv2[] = {b0, b1, b2, b3, NULL};
    memset(&o, 0, sizeof o);
    CHECK_INT(wb_opts_parse(table, 4, argv2, &o, NULL, NULL, &e), WB_OPTS_OK);
    CHECK_STR(o.db, "host=h password=second");
    CHECK_STR(argv2[1], "--db=host=h password=xxxxx");
    CHECK_STR(argv2[3], "host=h password=xxxxxx");
}

int main(void)
{
    test_mask();
    test_parser();
    return check_finish();
}
