CREATE TABLE order_items (
    order_id bigint,
    line_no integer,
    qty integer,
    PRIMARY KEY (order_id, line_no)
);
