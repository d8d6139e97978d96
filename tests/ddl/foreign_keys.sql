-- test: loads
-- Several foreign keys per table, children written before their parents, one added by
-- ALTER TABLE, one to a table outside the file and one to a column that is not a key
-- (tests/integration/test_workload_init.sh).
CREATE TABLE order_lines (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL REFERENCES products (id),
    warehouse_code text REFERENCES warehouses (code),
    note text
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers,
    customer_code varchar(20)
);
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    code varchar(20) UNIQUE
);
CREATE TABLE products (id bigint PRIMARY KEY, title text);
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE orders ADD CONSTRAINT orders_customer_code_fk FOREIGN KEY (customer_code) REFERENCES customers (code);
CREATE INDEX ON order_lines (order_id, product_id);
