#!/bin/sh
# A program whose SERVER process uses a known amount of memory: an in-memory sort of
# 2,000,000 integers (about 100 MB with work_mem 300MB), then a pause so writebench's
# sampler (every 0.1 s) sees the backend after it. Writes nothing: run it with
# --verify count and expect a verification failure; the test reads server_peak_rss_kb.
exec psql -X -q -At -v ON_ERROR_STOP=1 \
    -c "SET work_mem = '300MB'" \
    -c "SELECT count(*) FROM (SELECT g FROM generate_series(1, 2000000) g ORDER BY g DESC OFFSET 0) s" \
    -c "SELECT pg_sleep(0.5)" >/dev/null
