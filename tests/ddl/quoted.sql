-- test: loads
-- Quoted identifiers: spaces, mixed case, a reserved word, writebench's own prefix
-- (tests/integration/test_workload_init.sh).
CREATE TABLE "Order Items" (
    "Item Id" bigint PRIMARY KEY,
    "Unit Price" numeric(10,2) CHECK ("Unit Price" >= 0),
    "select" text,
    "CustomerName" varchar(60) NOT NULL,
    "sqlite_tag" text
);
CREATE TABLE "writebench_runs" (
    id bigint PRIMARY KEY,
    "Order Item" bigint REFERENCES "Order Items" ("Item Id")
);
