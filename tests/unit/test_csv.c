/* Unit tests of util/csv: the quoting the writer chooses, round trips of hostile
 * fields through writer and reader, and malformed input rejected with its line. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/csv.h"

/* Write one field alone and return what came out (static buffer). */
static const char *quoted(const char *text)
{
    static wb_buf out = WB_BUF_INIT;
    wb_buf_reset(&out);
    wb_csv_field_str(&out, text);
    return wb_buf_str(&out);
}

static void test_quoting_choices(void)
{
    CHECK_STR(quoted("plain"), "plain");
    CHECK_STR(quoted(""), "");
    CHECK_STR(quoted("a,b"), "\"a,b\"");
    CHECK_STR(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(quoted("\""), "\"\"\"\"");
    CHECK_STR(quoted("line\nbreak"), "\"line\nbreak\"");
    CHECK_STR(quoted("cr\rhere"), "\"cr\rhere\"");
    CHECK_STR(quoted(" lead"), "\" lead\"");
    CHECK_STR(quoted("trail "), "\"trail \"");
    CHECK_STR(quoted("\tlead-tab"), "\"\tlead-tab\"");
    CHECK_STR(quoted("in\tside"), "in\tside");       /* an inner tab needs no quotes */
    CHECK_STR(quoted("in side"), "in side");         /* nor an inner space */
    CHECK_STR(quoted("O'Brien"), "O'Brien");
    CHECK_STR(quoted("Zoë 東京"), "Zoë 東京");
    CHECK_STR(quoted("back\\slash"), "back\\slash");
}

/* Build a record from fields, read it back, compare every field. */
static void check_round_trip(const char *const *fields, const size_t *lengths, size_t count, const char *eol)
{
    wb_buf text = WB_BUF_INIT;
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            wb_buf_putc(&text, ',');
        wb_csv_field(&text, fields[i], lengths[i]);
    }
    wb_buf_puts(&text, eol);
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, text.data, text.len);
    wb_csv_record rec = WB_CSV_RECORD_INIT;
    wb_error e = {""};
    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, count);
    for (size_t i = 0; i < count && i < rec.count; i++) {
        CHECK_INT(wb_csv_len(&rec, i), lengths[i]);
        CHECK(memcmp(wb_csv_get(&rec, i), fields[i], lengths[i]) == 0);
        CHECK_INT(wb_csv_get(&rec, i)[lengths[i]], 0); /* NUL-terminated */
    }
    CHECK_INT(wb_csv_next(&rd, &rec, &e), 0);
    wb_csv_record_free(&rec);
    wb_buf_free(&text);
}

static void test_round_trip_hostile(void)
{
    const char *const fields[] = {
        "plain", "", "\"", "\"\"", "a,b", ",", ",,,", "say \"hi\", then go", "line1\nline2",
        "\n", "\r\n", "\r", "cr\rin the middle", "tab\there", "\t", " leading", "trailing ",
        "  ", "O'Brien", "back\\slash", "Zoë 東京 🚀", "\xff\xfe not utf-8", "\"quoted\"\n\"twice\"",
        "ends with quote\"", "\"starts with quote", "x",
    };
    size_t count = sizeof fields / sizeof *fields;
    size_t lengths[sizeof fields / sizeof *fields];
    for (size_t i = 0; i < count; i++)
        lengths[i] = strlen(fields[i]);
    check_round_trip(fields, lengths, count, "\n");
    check_round_trip(fields, lengths, count, "\r\n");
    check_round_trip(fields, lengths, count, ""); /* last record without a line end */

    /* a field with a NUL byte keeps its length */
    const char *const with_nul[] = {"a\0b", "c"};
    const size_t nul_lengths[] = {3, 1};
    check_round_trip(with_nul, nul_lengths, 2, "\n");

    /* every single byte 1..255 as a field of its own, and as a field with text around it */
    for (int c = 1; c < 256; c++) {
        char one[2] = {(char)c, 0}, around[6] = {'a', (char)c, 'b', (char)c, 'c', 0};
        const char *const f[] = {one, around, "z"};
        const size_t l[] = {1, 5, 1};
        check_round_trip(f, l, 3, "\n");
    }

    /* a single empty field writes an empty line, which reads as one empty field */
    const char *const empty[] = {""};
    const size_t empty_len[] = {0};
    check_round_trip(empty, empty_len, 1, "\n");
}

static void test_many_records_and_lines(void)
{
    const char *text = "h1,h2,h3\n"
                       "1,\"two\nlines\",3\r\n"
                       "\n"
                       ",,\n"
                       "\"a\"\"b\",c,\"\"\n"
                       "last,row";
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, text, strlen(text));
    wb_csv_record rec = WB_CSV_RECORD_INIT;
    wb_error e = {""};

    CHECK_INT(rd.line, 1);
    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, 3);
    CHECK_STR(wb_csv_get(&rec, 2), "h3");
    CHECK(wb_csv_get(&rec, 3) == NULL);
    CHECK_INT(rd.line, 2);

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, 3);
    CHECK_STR(wb_csv_get(&rec, 1), "two\nlines");
    CHECK_STR(wb_csv_get(&rec, 2), "3");
    CHECK_INT(rd.line, 4); /* the quoted newline counts as a line */

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1); /* empty line */
    CHECK_INT(rec.count, 1);
    CHECK_STR(wb_csv_get(&rec, 0), "");

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, 3);
    CHECK_STR(wb_csv_get(&rec, 0), "");
    CHECK_STR(wb_csv_get(&rec, 2), "");

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, 3);
    CHECK_STR(wb_csv_get(&rec, 0), "a\"b");
    CHECK_STR(wb_csv_get(&rec, 1), "c");
    CHECK_STR(wb_csv_get(&rec, 2), "");

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, 2);
    CHECK_STR(wb_csv_get(&rec, 1), "row");
    CHECK_INT(rd.line, 7);

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 0);
    CHECK_INT(wb_csv_next(&rd, &rec, &e), 0);
    wb_csv_record_free(&rec);
}

/* The record text must be rejected with an error naming the line and the problem. */
static void check_malformed(const char *text, const char *expected_error)
{
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, text, strlen(text));
    wb_csv_record rec = WB_CSV_RECORD_INIT;
    wb_error e = {""};
    int rc;
    while ((rc = wb_csv_next(&rd, &rec, &e)) == 1) {
    }
    CHECK_INT(rc, -1);
    CHECK_CONTAINS(e.msg, expected_error);
    wb_csv_record_free(&rec);
}

static void test_malformed(void)
{
    check_malformed("\"never closed", "line 1: unterminated quoted field");
    check_malformed("a,b\nc,\"open\nstill open\n", "line 2: unterminated quoted field (no closing quote before the end)");
    check_malformed("\"closed\"then text,b\n", "line 1: text after the closing quote");
    check_malformed("a,b\n\"x\" ,y\n", "line 2: text after the closing quote");
    check_malformed("a,b\"c\n", "line 1: a quote inside an unquoted field");
    check_malformed("a,b\rc\n", "line 1: a carriage return outside quotes");
    check_malformed("a\r", "line 1: a carriage return outside quotes");
    check_malformed("ok\n\"\"\"\n", "line 2: unterminated quoted field");

    /* after an error the reader has not moved */
    const char *text = "good\n\"bad";
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, text, strlen(text));
    wb_csv_record rec = WB_CSV_RECORD_INIT;
    wb_error e = {""};
    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    size_t pos = rd.pos;
    CHECK_INT(wb_csv_next(&rd, &rec, &e), -1);
    CHECK_INT(rd.pos, pos);
    CHECK_INT(rd.line, 2);
    wb_csv_record_free(&rec);
}

int main(void)
{
    test_quoting_choices();
    test_round_trip_hostile();
    test_many_records_and_lines();
    test_malformed();
    return check_finish();
}
