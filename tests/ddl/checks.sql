-- test: loads
-- CHECK constraints: the ones a generator can be chosen from are kept, the others stay
-- comments (tests/integration/test_workload_init.sh).
CREATE TABLE prices (
    id bigint PRIMARY KEY CHECK (id > 0),
    list numeric(10,2) NOT NULL CHECK (list >= 0),
    sale numeric(10,2),
    label text CHECK (label IS NOT NULL),
    CONSTRAINT sale_range CHECK (sale BETWEEN 0 AND 5000),
    CONSTRAINT sale_below CHECK (sale <= 4000.50),
    CONSTRAINT sale_under_list CHECK (sale <= list),
    CONSTRAINT id_small CHECK (id < 1000)
);
