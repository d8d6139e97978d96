-- test: loads
-- Foreign keys a workload cannot hold as they are: two columns, on the key, from an
-- integer column, to a column that is not the key (tests/integration/test_workload_init.sh).
-- It loads and runs (its integer foreign key written bigint).
CREATE TABLE parents (id bigint PRIMARY KEY, region integer NOT NULL, name text UNIQUE);
CREATE TABLE children (
    id bigint PRIMARY KEY REFERENCES parents (id),
    parent_id integer REFERENCES parents,
    parent_name text REFERENCES parents (name),
    region integer,
    id2 bigint,
    FOREIGN KEY (id2, region) REFERENCES parents (id, region),
    UNIQUE (parent_id, region)
);
