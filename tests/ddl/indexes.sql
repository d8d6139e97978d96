-- test: loads
-- Composite, unique, partial and expression indexes (tests/integration/test_workload_init.sh).
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    source text,
    ref varchar(48),
    amount numeric(10,2)
);
CREATE INDEX events_kind_source ON events (kind, source);
CREATE UNIQUE INDEX ON events (ref);
CREATE INDEX events_source_live ON events (source) WHERE source IS NOT NULL;
CREATE UNIQUE INDEX events_kind_id ON events (kind, id);
CREATE UNIQUE INDEX events_kind_unique ON events (kind, source);
CREATE INDEX events_lower_ref ON events (lower(ref));
CREATE INDEX events_amount_hash ON events USING hash (amount);
CREATE INDEX events_kind_again ON events (kind, source);
