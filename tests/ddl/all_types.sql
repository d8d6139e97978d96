-- test: loads
-- Every type of the workload format, and the names and constraints that choose a
-- generator (tests/integration/test_workload_init.sh): golden output, and the
-- generators are the vocabulary of docs/WORKLOADS.md; it loads and runs.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE numbers (
    id bigint PRIMARY KEY,
    small smallint,
    whole integer NOT NULL,
    serial_no bigint UNIQUE,
    exact numeric(12,3),
    cents numeric(8,2),
    ratio real,
    measure double precision
);

CREATE TABLE texts (
    id bigint PRIMARY KEY,
    email varchar(120) NOT NULL UNIQUE,
    status text NOT NULL,
    website text,
    code char(2),
    tag varchar(8),
    feeling mood
);

CREATE TABLE others (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    active boolean NOT NULL DEFAULT true,
    born date,
    created_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamp(3),
    uid uuid UNIQUE,
    payload jsonb
);

CREATE TABLE odd (
    id bigint PRIMARY KEY,
    blob bytea,
    doc json,
    addr inet,
    tags text[],
    amount numeric,
    spent interval
);

CREATE TABLE bounded (
    id bigint PRIMARY KEY,
    qty integer CHECK (qty > 0),
    level smallint CHECK (level BETWEEN 1 AND 5),
    size integer CHECK (size IN (1, 2, 4, 8)),
    grade text CHECK (grade IN ('a', 'b', 'c')),
    rate numeric(5,2) CHECK (rate > 0 AND rate < 100),
    at timestamptz CHECK (at >= '2020-01-01' AND at <= '2020-12-31')
);
