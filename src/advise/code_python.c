/* The Python programs' shared start and end (see code_python.h). */
#include "advise/code_python.h"

#include <stdio.h>
#include <string.h>

/* How a value read from `workload rows` becomes a Python value, by wb_type:
 * exact decimals, times, uuids and json stay text (the server reads them as the
 * column's type, as writebench binds them). */
static const char *const kinds[WB_TYPE_COUNT] = {
    [WB_TYPE_INT64] = "int",   [WB_TYPE_TEXT] = "text", [WB_TYPE_DECIMAL] = "text",
    [WB_TYPE_FLOAT] = "float", [WB_TYPE_BOOL] = "bool", [WB_TYPE_TIME] = "text",
    [WB_TYPE_UUID] = "text",   [WB_TYPE_JSON] = "text", [WB_TYPE_BYTES] = "bytes",
};

static void put_table(const wb_code_spec *s, const wb_table *t, const char *param, wb_buf *out)
{
    wb_code_statement st;
    wb_code_statement_make(s, t, &st);
    wb_buf row = WB_BUF_INIT, copy = WB_BUF_INIT;
    wb_buf_putc(&row, '(');
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_puts(&row, c ? ", " : "");
        wb_buf_puts(&row, param);
        if (st.casts)
            wb_buf_puts(&row, wb_code_param_cast(s, &t->columns[c]));
    }
    wb_buf_putc(&row, ')');
    wb_code_copy_sql(t, &copy);
    wb_buf_puts(out, "    Table(");
    wb_code_py_string(t->name, out);
    wb_buf_puts(out, ",\n          (");
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_puts(out, c ? ", " : "");
        wb_code_py_string(t->columns[c].name, out);
    }
    wb_buf_puts(out, t->ncolumns == 1 ? ",),\n          (" : "),\n          (");
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_puts(out, c ? ", " : "");
        wb_code_py_string(kinds[t->columns[c].type], out);
    }
    wb_buf_puts(out, t->ncolumns == 1 ? ",),\n          " : "),\n          ");
    wb_code_py_string(wb_buf_str(&st.head), out);
    wb_buf_puts(out, ",\n          ");
    wb_code_py_string(wb_buf_str(&row), out);
    wb_buf_puts(out, ",\n          ");
    wb_code_py_string(wb_buf_str(&st.tail), out);
    wb_buf_puts(out, ",\n          ");
    wb_code_py_string(wb_buf_str(&copy), out);
    wb_buf_puts(out, "),\n");
    wb_buf_free(&row);
    wb_buf_free(&copy);
    wb_code_statement_free(&st);
}

void wb_code_python_start(const wb_code_spec *s, const char *imports, const char *param,
                          wb_buf *out)
{
    const wb_workload *w = s->workload;
    wb_buf_puts(out, "#!/usr/bin/python3\n# writebench: params=batch\n\"\"\"");
    wb_buf header = WB_BUF_INIT;
    wb_code_header(s, s->language, "", &header);
    /* the header is prose of names and paths: keep it out of the docstring's way */
    for (const char *p = wb_buf_str(&header); *p; p++)
        wb_buf_putc(out, *p == '\\' ? '/' : *p == '"' ? '\'' : *p);
    wb_buf_free(&header);
    wb_buf_puts(out, "\"\"\"\nimport collections\nimport io\nimport json\nimport os\nimport re\nimport subprocess\n"
                     "import sys\nimport time\n");
    wb_buf_puts(out, imports);
    wb_buf_puts(out, "\n# Where the rows come from (read_rows): writebench and the workload file.\nWRITEBENCH = ");
    wb_code_py_string(s->writebench, out);
    wb_buf_puts(out, "\nWORKLOAD_FILE = ");
    wb_code_py_string(s->workload_file, out);
    wb_buf_puts(out, "\nWORKLOAD = ");
    wb_code_py_string(w->name, out);
    wb_buf_puts(out, "\nBACKEND = ");
    wb_code_py_string(s->backend->name, out);
    wb_buf_printf(out, "\nWRITES_INSERT = %s  # the insert pass: the tables are empty\n",
                  wb_code_writes_insert(s) ? "True" : "False");
    wb_buf_printf(out, "WRITES_UPDATE = %s  # the update pass: keys 1..N hold version 1\n",
                  wb_code_writes_update(s) ? "True" : "False");
    wb_buf_printf(out, "COMMIT_PER_BATCH = %s\n", s->commit_per_batch ? "True" : "False");
    wb_buf_printf(out, "MAX_PARAMS = %d  # bound parameters one statement may have on %s\n",
                  s->backend->dialect->max_params, s->backend->display_name);
    wb_buf_puts(out, "\n# Each table, parents first: its columns, how each value is read, the statement's\n"
                     "# head, one row of parameters, its tail, and its COPY statement.\n"
                     "Table = collections.namedtuple(\"Table\", \"name columns kinds head row tail copy\")\n"
                     "TABLES = [\n");
    for (int i = 0; i < w->ntables; i++)
        put_table(s, &w->tables[i], param, out);
    wb_buf_puts(out,
                "]\n\n\n"
                "def skip(reason):\n"
                "    \"\"\"Exit as skipped (77): writebench records the reason.\"\"\"\n"
                "    print(reason, file=sys.stderr, flush=True)\n"
                "    sys.exit(77)\n\n\n"
                "def env(name):\n"
                "    value = os.environ.get(\"WRITEBENCH_\" + name)\n"
                "    if value is None:\n"
                "        sys.exit(f\"WRITEBENCH_{name} is not set: run this program through writebench run --external\")\n"
                "    return value\n\n\n"
                "if env(\"PROTOCOL\") != \"1\":\n"
                "    skip(f\"written for writebench's external protocol 1, not {env('PROTOCOL')}\")\n"
                "if env(\"BACKEND\") != BACKEND:\n"
                "    skip(f\"written for {BACKEND}, not {env('BACKEND')}\")\n"
                "if env(\"WORKLOAD\") != WORKLOAD or env(\"TABLES\") != \",\".join(t.name for t in TABLES):\n"
                "    skip(f\"written for workload {WORKLOAD}, not {env('WORKLOAD')}\")\n"
                "PHASE = env(\"PHASE\")\n"
                "VERSION = int(env(\"DATA_VERSION\"))\n"
                "ROWS = int(env(\"ROWS\"))\n"
                "BATCH = int(env(\"BATCH\"))\n"
                "if not (WRITES_INSERT if PHASE == \"insert\" else WRITES_UPDATE):\n"
                "    skip(f\"this program does not write the {PHASE} pass\")\n\n"
                "_ESCAPES = {\"t\": \"\\t\", \"n\": \"\\n\", \"r\": \"\\r\"}\n"
                "_CONVERT = {\"int\": int, \"float\": float, \"text\": str, \"bool\": lambda s: s == \"true\",\n"
                "            \"bytes\": lambda s: bytes.fromhex(s[2:])}\n\n\n"
                "def _value(field, kind):\n"
                "    \"\"\"One field of COPY text format (docs/FORMATS.md, 'workload rows') as a Python value.\"\"\"\n"
                "    if field == \"\\\\N\":\n"
                "        return None\n"
                "    return _CONVERT[kind](re.sub(r\"\\\\(.)\", lambda m: _ESCAPES.get(m.group(1), m.group(1)), field))\n\n\n"
                "def read_rows(table, first, last, version):\n"
                "    \"\"\"The rows of keys first..last as tuples in column order, streamed from\n"
                "    `writebench workload rows`: the values writebench verifies. Put your own data here.\"\"\"\n"
                "    proc = subprocess.Popen([WRITEBENCH, \"workload\", \"rows\", WORKLOAD_FILE, \"--table\", table.name,\n"
                "                             \"--first\", str(first), \"--last\", str(last), \"--version\", str(version)],\n"
                "                            stdout=subprocess.PIPE)\n"
                "    for line in io.TextIOWrapper(proc.stdout, encoding=\"utf-8\", newline=\"\\n\"):\n"
                "        yield tuple(_value(f, k) for f, k in zip(line[:-1].split(\"\\t\"), table.kinds))\n"
                "    if proc.wait() != 0:\n"
                "        sys.exit(f\"writebench workload rows exited with status {proc.returncode}\")\n\n\n"
                "def chunks(rows, size):\n"
                "    \"\"\"The rows in lists of at most size.\"\"\"\n"
                "    chunk = []\n"
                "    for row in rows:\n"
                "        chunk.append(row)\n"
                "        if len(chunk) == size:\n"
                "            yield chunk\n"
                "            chunk = []\n"
                "    if chunk:\n"
                "        yield chunk\n\n\n"
                "def rows_per_statement(table):\n"
                "    \"\"\"BATCH rows a statement, fewer when their parameters would pass MAX_PARAMS.\"\"\"\n"
                "    return max(1, min(BATCH, MAX_PARAMS // len(table.columns)))\n\n\n"
                "def multirow_sql(table, n):\n"
                "    \"\"\"The statement for n rows: its head, n rows of parameters, its tail.\"\"\"\n"
                "    return table.head + \", \".join([table.row] * n) + table.tail\n\n\n");
}

/* The body of write_table for each shape (COPY's is the driver's): a chunk's rows are `chunk`. */
static const char *const cursor_writes[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "            cur.executemany(multirow_sql(table, 1), chunk)\n",
    [WB_SHAPE_UPSERT_ROW] = "            cur.executemany(multirow_sql(table, 1), chunk)\n",
    [WB_SHAPE_MULTIROW] = "            cur.execute(multirow_sql(table, len(chunk)), [v for row in chunk for v in row])\n",
    [WB_SHAPE_UPSERT_MULTIROW] =
        "            cur.execute(multirow_sql(table, len(chunk)), [v for row in chunk for v in row])\n",
    [WB_SHAPE_UPDATE_MULTIROW] =
        "            cur.execute(multirow_sql(table, len(chunk)), [v for row in chunk for v in row])\n",
};

/* Rows per chunk: a statement's when a statement holds the chunk, else a batch (a commit's). */
static const char *const cursor_sizes[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "BATCH",
    [WB_SHAPE_UPSERT_ROW] = "BATCH",
    [WB_SHAPE_COPY] = "BATCH",
    [WB_SHAPE_MULTIROW] = "rows_per_statement(table)",
    [WB_SHAPE_UPSERT_MULTIROW] = "rows_per_statement(table)",
    [WB_SHAPE_UPDATE_MULTIROW] = "rows_per_statement(table)",
};

void wb_code_python_cursor_write_table(const wb_code_spec *s, const char *copy_write, wb_buf *out)
{
    const char *write = s->shape == WB_SHAPE_COPY ? copy_write : cursor_writes[s->shape];
    wb_buf_printf(out,
                  "def write_table(conn, table):\n"
                  "    \"\"\"Keys 1..ROWS of table in VERSION: %s.\"\"\"\n"
                  "    size = %s\n"
                  "    with conn.cursor() as cur:\n"
                  "        for chunk in chunks(read_rows(table, 1, ROWS, VERSION), size):\n"
                  "%s"
                  "            if COMMIT_PER_BATCH:\n"
                  "                conn.commit()\n"
                  "    conn.commit()\n",
                  wb_code_shape_text(s->shape), cursor_sizes[s->shape], write ? write : "");
}

void wb_code_python_end(const wb_code_spec *s, const char *connect, wb_buf *out)
{
    (void)s;
    wb_buf_printf(out,
                  "\n\ndef main():\n"
                  "    conn = %s\n"
                  "    start = time.perf_counter()  # the timed region: the writing and its commits\n"
                  "    for table in TABLES:\n"
                  "        write_table(conn, table)\n"
                  "    duration_s = time.perf_counter() - start\n"
                  "    conn.close()\n"
                  "    if os.environ.get(\"WRITEBENCH_REPORT\"):\n"
                  "        with open(os.environ[\"WRITEBENCH_REPORT\"], \"w\", encoding=\"utf-8\") as f:\n"
                  "            json.dump({\"duration_s\": duration_s}, f)\n\n\n"
                  "if __name__ == \"__main__\":\n"
                  "    main()\n",
                  connect);
}
