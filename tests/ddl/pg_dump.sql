-- test: loads
-- The shape of `pg_dump --schema-only`: settings, sequences, constraints and defaults
-- added by ALTER TABLE after the CREATE TABLE (tests/integration/test_workload_init.sh).
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.authors (
    id bigint NOT NULL,
    name character varying(80) NOT NULL,
    bio text
);
ALTER TABLE public.authors OWNER TO app;
COMMENT ON TABLE public.authors IS 'people who write';

CREATE SEQUENCE public.authors_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.authors_id_seq OWNED BY public.authors.id;

CREATE TABLE public.books (
    id bigint NOT NULL,
    author_id bigint NOT NULL,
    title text NOT NULL,
    price numeric(10,2)
);

ALTER TABLE ONLY public.authors ALTER COLUMN id SET DEFAULT nextval('public.authors_id_seq'::regclass);
ALTER TABLE ONLY public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.books ADD CONSTRAINT books_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.books ADD CONSTRAINT books_price_check CHECK ((price >= (0)::numeric));
CREATE INDEX books_author_id_idx ON public.books USING btree (author_id);
ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors(id);
