/* Unit tests of util/json: escaping of every ASCII byte, UTF-8 passed through and
 * invalid bytes replaced, numbers that read back exactly, null for unknowns, and
 * a produced document checked by Python's json parser when python3 is present. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/fs.h"
#include "util/json.h"

static wb_buf out = WB_BUF_INIT;

static const char *json_of(const char *text, size_t len)
{
    wb_buf_reset(&out);
    wb_json_string(&out, text, len);
    return wb_buf_str(&out);
}

static const char *json_double(double v)
{
    wb_buf_reset(&out);
    wb_json_double(&out, v);
    return wb_buf_str(&out);
}

static void test_every_ascii_byte(void)
{
    for (int c = 0; c < 0x80; c++) {
        char in = (char)c;
        char expected[16];
        switch (c) {
        case '"': strcpy(expected, "\"\\\"\""); break;
        case '\\': strcpy(expected, "\"\\\\\""); break;
        case '\b': strcpy(expected, "\"\\b\""); break;
        case '\f': strcpy(expected, "\"\\f\""); break;
        case '\n': strcpy(expected, "\"\\n\""); break;
        case '\r': strcpy(expected, "\"\\r\""); break;
        case '\t': strcpy(expected, "\"\\t\""); break;
        default:
            if (c < 0x20)
                snprintf(expected, sizeof expected, "\"\\u%04x\"", c);
            else
                snprintf(expected, sizeof expected, "\"%c\"", c);
        }
        const char *got = json_of(&in, 1);
        if (strcmp(got, expected) != 0)
            fprintf(stderr, "byte 0x%02x:\n", c);
        CHECK_STR(got, expected);
    }
    /* a few exact spellings, not derived from the rule above */
    CHECK_STR(json_of("\0", 1), "\"\\u0000\"");
    CHECK_STR(json_of("\x1f", 1), "\"\\u001f\"");
    CHECK_STR(json_of("\x7f", 1), "\"\x7f\"");
    CHECK_STR(json_of("O'Brien \"x\" a\\b/c", 17), "\"O'Brien \\\"x\\\" a\\\\b/c\"");
    wb_buf_reset(&out);
    wb_json_string_str(&out, NULL);
    CHECK_STR(wb_buf_str(&out), "null");
    wb_buf_reset(&out);
    wb_json_string_str(&out, "");
    CHECK_STR(wb_buf_str(&out), "\"\"");
}

static void test_utf8(void)
{
    /* valid sequences of each length pass through unchanged */
    CHECK_STR(json_of("\xc3\xa9", 2), "\"\xc3\xa9\"");                 /* é */
    CHECK_STR(json_of("\xe6\x9d\xb1", 3), "\"\xe6\x9d\xb1\"");         /* 東 */
    CHECK_STR(json_of("\xf0\x9f\x9a\x80", 4), "\"\xf0\x9f\x9a\x80\""); /* 🚀 */
    CHECK_STR(json_of("\xef\xbf\xbf", 3), "\"\xef\xbf\xbf\"");         /* U+FFFF */
    CHECK_STR(json_of("\xf4\x8f\xbf\xbf", 4), "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
    CHECK_STR(json_of("\xe2\x80\xa8", 3), "\"\xe2\x80\xa8\"");         /* U+2028, valid JSON */
    CHECK_STR(json_of("Zo\xc3\xab-\xe6\x9d\xb1", 8), "\"Zo\xc3\xab-\xe6\x9d\xb1\"");

    /* each byte that is not part of a valid sequence becomes one \ufffd */
    CHECK_STR(json_of("\x80", 1), "\"\\ufffd\"");                           /* lone continuation */
    CHECK_STR(json_of("\xff", 1), "\"\\ufffd\"");
    CHECK_STR(json_of("\xf5\x80\x80\x80", 4), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* past U+10FFFF */
    CHECK_STR(json_of("\xc0\x80", 2), "\"\\ufffd\\ufffd\"");                   /* overlong NUL */
    CHECK_STR(json_of("\xe0\x80\xaf", 3), "\"\\ufffd\\ufffd\\ufffd\"");        /* overlong / */
    CHECK_STR(json_of("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\"");        /* surrogate D800 */
    CHECK_STR(json_of("\xf4\x90\x80\x80", 4), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* U+110000 */
    CHECK_STR(json_of("a\xe2\x82", 3), "\"a\\ufffd\\ufffd\"");                /* cut short at the end */
    CHECK_STR(json_of("\xe2\x82z", 3), "\"\\ufffd\\ufffdz\"");                /* cut short before ASCII */
    CHECK_STR(json_of("\xc3\xa9\xa9", 3), "\"\xc3\xa9\\ufffd\"");             /* one continuation too many */
}

static void test_numbers(void)
{
    CHECK_STR(json_double(0.1), "0.1");
    CHECK_STR(json_double(123.456), "123.456");
    CHECK_STR(json_double(1.0 / 3.0), "0.3333333333333333");     /* 16 digits suffice */
    CHECK_STR(json_double(0.1 + 0.2), "0.30000000000000004");   /* 17 needed */
    CHECK_STR(json_double(2.0), "2");
    CHECK_STR(json_double(0.0), "0");
    CHECK_STR(json_double(-0.0), "-0");
    CHECK_STR(json_double(1e20), "1e+20");
    CHECK_STR(json_double(1.5e-7), "1.5e-07");
    CHECK_STR(json_double(NAN), "null");
    CHECK_STR(json_double(INFINITY), "null");
    CHECK_STR(json_double(-INFINITY), "null");

    /* read back exactly, for many values of many magnitudes */
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 20000; i++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        double v = (double)(state >> 11) / (double)(1ULL << 53) * pow(10.0, (double)(i % 40 - 20));
        if (i % 2)
            v = -v;
        double back = strtod(json_double(v), NULL);
        if (back != v)
            fprintf(stderr, "%.17g written as %s\n", v, wb_buf_str(&out));
        CHECK(back == v);
    }

    wb_buf_reset(&out);
    wb_json_int64(&out, INT64_MIN);
    wb_buf_putc(&out, ' ');
    wb_json_int64(&out, INT64_MAX);
    wb_buf_putc(&out, ' ');
    wb_json_int64(&out, -1);
    wb_buf_putc(&out, ' ');
    wb_json_int64_or_null(&out, -1);
    wb_buf_putc(&out, ' ');
    wb_json_int64_or_null(&out, 0);
    wb_buf_putc(&out, ' ');
    wb_json_int64_or_null(&out, -2);
    wb_buf_putc(&out, ' ');
    wb_json_int64_or_null(&out, 4096);
    wb_buf_putc(&out, ' ');
    wb_json_bool(&out, 1);
    wb_buf_putc(&out, ' ');
    wb_json_bool(&out, 0);
    CHECK_STR(wb_buf_str(&out),
              "-9223372036854775808 9223372036854775807 -1 null 0 -2 4096 true false");
}

/* A document with every ASCII byte, UTF-8, invalid bytes and numbers must parse
 * in Python and decode to the expected values. */
static int test_python_reads_it(void)
{
    if (system("command -v python3 >/dev/null 2>&1") != 0) {
        printf("note: python3 not found, skipping the check of a document with Python's json parser\n");
        return 0;
    }
    char all_ascii[128];
    for (int c = 0; c < 128; c++)
        all_ascii[c] = (char)c;
    wb_buf doc = WB_BUF_INIT;
    wb_buf_puts(&doc, "{\"ascii\": ");
    wb_json_string(&doc, all_ascii, sizeof all_ascii);
    wb_buf_puts(&doc, ", \"utf8\": ");
    wb_json_string_str(&doc, "Zo\xc3\xab \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x9a\x80");
    wb_buf_puts(&doc, ", \"bad\": ");
    wb_json_string_str(&doc, "a\xff\xed\xa0\x80z");
    wb_buf_puts(&doc, ", \"third\": ");
    wb_json_double(&doc, 1.0 / 3.0);
    wb_buf_puts(&doc, ", \"big\": ");
    wb_json_double(&doc, 1e300);
    wb_buf_puts(&doc, ", \"unknown\": [");
    wb_json_double(&doc, NAN);
    wb_buf_puts(&doc, ", ");
    wb_json_int64_or_null(&doc, -1);
    wb_buf_puts(&doc, "], \"min\": ");
    wb_json_int64(&doc, INT64_MIN);
    wb_buf_puts(&doc, "}\n");

    char dir[] = "/tmp/wb-test-json-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/doc.json", dir);
    wb_error e = {""};
    CHECK_INT(wb_fs_write_file_atomic(path, doc.data, doc.len, &e), 0);
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json, sys\n"
             "d = json.load(open(sys.argv[1], encoding=\"utf-8\"))\n"
             "assert d[\"ascii\"] == \"\".join(map(chr, range(128))), d[\"ascii\"]\n"
             "assert d[\"utf8\"] == \"Zo\\u00eb \\u6771\\u4eac \\U0001f680\", d[\"utf8\"]\n"
             "assert d[\"bad\"] == \"a\\ufffd\\ufffd\\ufffd\\ufffdz\", d[\"bad\"]\n"
             "assert d[\"third\"] == 1/3 and d[\"big\"] == 1e300\n"
             "assert d[\"unknown\"] == [None, None]\n"
             "assert d[\"min\"] == -2**63\n"
             "' %s",
             path);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "python3 rejected or misread:\n%s\n", doc.data);
    CHECK_INT(rc, 0);
    unlink(path);
    rmdir(dir);
    wb_buf_free(&doc);
    return 0;
}

int main(void)
{
    test_every_ascii_byte();
    test_utf8();
    test_numbers();
    test_python_reads_it();
    wb_buf_free(&out);
    return check_finish();
}
