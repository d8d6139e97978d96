CREATE TABLE employees (
    id bigint PRIMARY KEY,
    manager_id bigint REFERENCES employees (id)
);
