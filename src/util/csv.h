/* CSV per RFC 4180: writing one field with the quoting a reader needs, and reading
 * one record at a time from a buffer (quoted fields may span lines), strictly, so
 * a damaged results.csv is reported with its line number instead of misread. */
#ifndef WB_UTIL_CSV_H
#define WB_UTIL_CSV_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

/* Append one field: as is, or between double quotes with quotes doubled when it
 * holds a comma, a quote, CR, LF, or starts or ends with a space or a tab. */
void wb_csv_field(wb_buf *out, const char *text, size_t len);
/* wb_csv_field for a NUL-terminated string (NULL appends an empty field). */
void wb_csv_field_str(wb_buf *out, const char *text);

/* The fields of one record; every field is NUL-terminated and also has a length
 * (a field may hold any byte, NUL included). Reused across records. */
typedef struct wb_csv_record {
    wb_buf text;      /* the fields' bytes, each followed by a NUL */
    size_t *offsets;  /* where field i starts in text */
    size_t *lengths;  /* its length in bytes */
    size_t count;     /* number of fields */
    size_t cap;
} wb_csv_record;

#define WB_CSV_RECORD_INIT {WB_BUF_INIT, NULL, NULL, 0, 0}

/* Field i of the record, or NULL when the record has fewer fields. */
const char *wb_csv_get(const wb_csv_record *r, size_t i);
/* Length of field i (0 when absent). */
size_t wb_csv_len(const wb_csv_record *r, size_t i);
/* Release the record's memory. */
void wb_csv_record_free(wb_csv_record *r);

/* A position in a buffer of CSV text. Records end at LF or CRLF; the last one
 * may also end at the end of the buffer. */
typedef struct wb_csv_reader {
    const char *data;
    size_t len;
    size_t pos;   /* where the next record starts */
    size_t line;  /* 1-based line number of pos */
} wb_csv_reader;

/* Start reading data[0..len). */
void wb_csv_reader_init(wb_csv_reader *rd, const char *data, size_t len);
/* Read the next record: 1 when one was read, 0 at the end of the buffer, -1 on
 * malformed input ("line 3: unterminated quoted field"; the reader then stays
 * where it was). An empty line is a record of one empty field. */
int wb_csv_next(wb_csv_reader *rd, wb_csv_record *rec, wb_error *e);

#endif
