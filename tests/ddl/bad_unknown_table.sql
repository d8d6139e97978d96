CREATE TABLE t (id bigint PRIMARY KEY, a text);
CREATE INDEX ON u (a);
