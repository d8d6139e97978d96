"""What every Python example strategy in this directory shares.

writebench runs each executable file of this directory as a strategy
(`writebench run --external-dir examples/python`, protocol: docs/EXTERNAL.md).
This module is not executable, so writebench passes over it; the scripts import
it (Python puts a script's own directory first on sys.path). It gives:

- the run's settings, read from the WRITEBENCH_* environment (ROWS, PHASE, ...);
- the workload's exact rows for a key range and data version (docs/WORKLOADS.md,
  hostile rows included): rows() as tuples in column order, dicts() as dicts;
- key_ranges() and batches(): keys split over threads and into batches;
- engine(): a SQLAlchemy 1.4 engine for writebench's database (psycopg2 on
  PostgreSQL, PyMySQL on MariaDB), upsert(): the dialect's INSERT ... ON CONFLICT
  or ON DUPLICATE KEY UPDATE, write_statement(): the pass's Core INSERT or UPDATE
  by key, and mariadb_connect(): a plain PyMySQL connection;
- ORM models of both workloads (User, Address, Product; MODELS by table name);
- skip(), require_postgres(), require_mariadb() and need() for exit status 77 (skipped);
- timed(): the block that does the writing, reported to writebench as the test's
  timed region, so that the interpreter's start-up, the imports and connecting are
  not counted as write time (with report_cache() beside it, a cache's lookups and
  stale reads go into the same report);
- asyncio: asyncpg_connect_args() for asyncpg.connect(), asyncpg_connect() and
  asyncpg_connection(), and async_engine(), a
  SQLAlchemy 1.4 AsyncEngine over asyncpg (PostgreSQL) or aiosqlite (SQLite).

Needs Python 3.8+; SQLAlchemy only for engine() and the models.
"""
import contextlib
import importlib
import json
import os
import sys
import time
import warnings
from decimal import Decimal


def skip(reason):
    """Exit as skipped (77): writebench records the last stderr line as the reason."""
    print(reason, file=sys.stderr, flush=True)
    sys.exit(77)


def _env(name):
    """The value of WRITEBENCH_<name>; exits with a hint when run by hand without it."""
    value = os.environ.get("WRITEBENCH_" + name)
    if value is None:
        sys.exit(f"WRITEBENCH_{name} is not set: run this script through writebench, "
                 "e.g. writebench run --strategies none --external-dir examples/python")
    return value


if _env("PROTOCOL") != "1":
    skip(f"written for writebench's external protocol 1, not {_env('PROTOCOL')}")

BACKEND = _env("BACKEND")            # "sqlite", "postgresql" or "mariadb"
DATABASE_URL = _env("DATABASE_URL")  # sqlite:////abs/path.db, postgresql:///db?host=..., mariadb://u@h/db
WORKLOAD = _env("WORKLOAD")          # "users" or "products"
TABLES = tuple(_env("TABLES").split(","))  # parents first
ROWS = int(_env("ROWS"))             # write keys 1..ROWS in every table
PHASE = _env("PHASE")                # "insert" (tables empty) or "update" (version 1 there)
VERSION = int(_env("DATA_VERSION"))  # 1 on insert, 2 on update
BATCH = int(_env("BATCH"))           # rows per batch or commit
THREADS = int(_env("THREADS"))       # connections/threads, for scripts that use several
TIMEOUT_S = float(_env("TIMEOUT_S"))  # writebench kills the script after this long
# Where to report the timed region (docs/EXTERNAL.md); absent from older writebench.
REPORT = os.environ.get("WRITEBENCH_REPORT")

# --- The rows (docs/WORKLOADS.md, "The formulas") -------------------------------

COLUMNS = {
    "user_account": ("id", "name", "fullname"),
    "address": ("id", "street_address", "user_id"),
    "products": ("id", "name", "category", "price"),
}

# PostgreSQL types of the columns, for scripts that cast bound values in a VALUES list
# (there a parameter has no column to take its type from).
PG_TYPES = {
    "user_account": ("bigint", "varchar(30)", "text"),
    "address": ("bigint", "text", "bigint"),
    "products": ("bigint", "text", "text", "numeric(10,2)"),
}

# What hostile kinds 2..7 put in front of the ordinary text (0 is NULL, 1 empty).
_DECORATIONS = (None, None, "O'Brien ", "C:\\temp\\N ", "tab\t", "line\n", "cr\r", "Zoë … 日本 ")


def _hostile(k, v, offset, ordinary, nullable=True, unique=False, text=True):
    """The column's value: ordinary, unless key k is a hostile row (k % 10 == 7)."""
    if k % 10 != 7:
        return ordinary
    kind = (k // 10 + offset + v - 1) % 8
    if kind == 0:
        return None if nullable else ordinary
    if kind == 1:
        return ordinary if unique else ("" if text else Decimal("0.00"))
    return _DECORATIONS[kind] + ordinary if text else ordinary


def _user_account(k, v):
    return (k,
            _hostile(k, v, 0, f"user{k}" + ("_v2" if v == 2 else ""), nullable=False),
            _hostile(k, v, 3, f"User {k} Smith" + ("-Jones" if v == 2 else "")))


def _address(k, v):
    return (k,
            _hostile(k, v, 5, f"{k} " + ("Oak Avenue" if v == 2 else "Main Street"), nullable=False),
            k)


def _products(k, v):
    # Hundredths in integers, then an exact Decimal with two places (79.19, 100.00, 0.05).
    cents = (k * 7919 + (v - 1) * 1013) % 1000000
    return (k,
            _hostile(k, v, 0, f"product {k}" + (" v2" if v == 2 else ""), unique=True),
            _hostile(k, v, 4, f"category {k % 100}" + (" v2" if v == 2 else "")),
            _hostile(k, v, 6, Decimal(cents).scaleb(-2), text=False))


_ROW = {"user_account": _user_account, "address": _address, "products": _products}


def rows(table, first, last, version=None):
    """The rows of keys first..last (inclusive) as tuples in COLUMNS order."""
    make = _ROW[table]
    v = VERSION if version is None else version
    return [make(k, v) for k in range(first, last + 1)]


def dicts(table, first, last, version=None):
    """The same rows as dicts {column: value}."""
    names = COLUMNS[table]
    return [dict(zip(names, row)) for row in rows(table, first, last, version)]


# --- Keys over threads and batches ------------------------------------------------

def key_ranges(threads=None):
    """Keys 1..ROWS as `threads` contiguous (first, last) ranges, split as writebench
    splits them: the first ROWS % threads ranges get one key more (a range may be empty)."""
    n = THREADS if threads is None else threads
    per, extra = divmod(ROWS, n)
    ranges, first = [], 1
    for t in range(n):
        count = per + (1 if t < extra else 0)
        ranges.append((first, first + count - 1))
        first += count
    return ranges


def batches(first, last, size=None):
    """Keys first..last as consecutive (first, last) ranges of at most `size` (BATCH) keys."""
    size = BATCH if size is None else size
    return [(lo, min(lo + size - 1, last)) for lo in range(first, last + 1, size)]


# --- Skipping ---------------------------------------------------------------------

_DEBIAN = {"sqlalchemy": "python3-sqlalchemy", "psycopg2": "python3-psycopg2", "psycopg": "python3-psycopg",
           "pymysql": "python3-pymysql", "asyncpg": "python3-asyncpg", "aiosqlite": "python3-aiosqlite",
           "dogpile.cache": "python3-dogpile.cache"}


def need(*modules):
    """Skip, naming the package, unless every module can be imported."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            skip(f"needs the Python package {module} (Debian: {_DEBIAN.get(module, module)})")


def require_postgres():
    """Skip unless writebench's database is PostgreSQL."""
    if BACKEND != "postgresql":
        skip("needs PostgreSQL")


def require_mariadb():
    """Skip unless writebench's database is MariaDB (or MySQL)."""
    if BACKEND != "mariadb":
        skip("needs MariaDB")


# --- MariaDB: where writebench's database is (docs/EXTERNAL.md) --------------------

def _mariadb_args():
    """PyMySQL's connect() arguments for writebench's database: its socket or host and
    port, user, password, and the database writebench created (unqualified table names
    find it). utf8mb4, the only MySQL character set that holds every workload value."""
    env = os.environ.get
    args = {"user": env("WRITEBENCH_MARIADB_USER") or None,
            "password": env("WRITEBENCH_MARIADB_PASSWORD") or "",
            "database": _env("MARIADB_DATABASE"),
            "charset": "utf8mb4"}
    if env("WRITEBENCH_MARIADB_SOCKET"):
        args["unix_socket"] = env("WRITEBENCH_MARIADB_SOCKET")
    else:
        args["host"] = env("WRITEBENCH_MARIADB_HOST") or "localhost"
        args["port"] = int(env("WRITEBENCH_MARIADB_PORT") or 3306)
    if env("WRITEBENCH_MARIADB_OPTION_FILE"):
        args["read_default_file"] = env("WRITEBENCH_MARIADB_OPTION_FILE")
    return args


def mariadb_connect(**kwargs):
    """A PyMySQL connection to writebench's database (autocommit off, as DB-API has it)."""
    need("pymysql")
    import pymysql

    return pymysql.connect(**{**_mariadb_args(), **kwargs})


# --- The timed region ------------------------------------------------------------

_cache_counts = {}


def report_cache(lookups, stale_reads):
    """Put a cache's counts into the report timed() writes: its lookups and the hits
    among them that served a value the database no longer holds (docs/EXTERNAL.md)."""
    _cache_counts.update(cache_lookups=lookups, stale_reads=stale_reads)


@contextlib.contextmanager
def timed():
    """Time the block as the test's duration: writebench then takes rows/s from it and
    keeps the whole process time (start-up, imports, connecting) apart as process_s.
    Put only the writing and its commits inside; the report is written only when the
    block ends without an exception (a failing script fails its test anyway)."""
    start = time.perf_counter()
    yield
    duration_s = time.perf_counter() - start
    if REPORT:
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump({"duration_s": duration_s, **_cache_counts}, f)


# --- SQLAlchemy: the engine and the ORM models -------------------------------------

def engine(**kwargs):
    """A SQLAlchemy 1.4 engine (2.0 style, future=True) for writebench's database.
    PostgreSQL goes through psycopg2, the only PostgreSQL driver SQLAlchemy 1.4 knows;
    unqualified table names find writebench's schema through PGOPTIONS' search_path."""
    import sqlalchemy

    if BACKEND == "mariadb":
        need("pymysql")  # SQLAlchemy's mysql+pymysql
        args = _mariadb_args()
        query = {"charset": args["charset"]}
        if "unix_socket" in args:
            query["unix_socket"] = args["unix_socket"]
        if "read_default_file" in args:
            query["read_default_file"] = args["read_default_file"]
        url = sqlalchemy.engine.URL.create("mysql+pymysql", username=args["user"], password=args["password"] or None,
                                           host=args.get("host"), port=args.get("port"), database=args["database"],
                                           query=query)
        kwargs.setdefault("pool_size", max(5, THREADS))
        eng = sqlalchemy.create_engine(url, future=True, **kwargs)
        connections = [eng.connect() for _ in range(THREADS)]
        for connection in connections:
            connection.close()
        return eng

    if BACKEND == "postgresql":
        need("psycopg2")  # skip (77) rather than fail when the driver is missing
        # The URL is libpq's (postgresql:///db?host=...); only the scheme changes.
        url = "postgresql+psycopg2:" + DATABASE_URL.split(":", 1)[1]
        kwargs.setdefault("pool_size", max(5, THREADS))  # one connection per thread
        eng = sqlalchemy.create_engine(url, future=True, **kwargs)
        # Connect now, before timed(): the pool keeps one open connection per thread.
        connections = [eng.connect() for _ in range(THREADS)]
        for connection in connections:
            connection.close()
        return eng

    # SQLite: a lock is waited for up to the test's timeout, like writebench's writers do.
    eng = sqlalchemy.create_engine(DATABASE_URL, future=True,
                                   connect_args={"timeout": TIMEOUT_S}, **kwargs)
    _sqlite_as_writebench(eng)
    return eng


def _sqlite_as_writebench(eng):
    """Make every SQLite connection of the (sync) engine write as writebench's own do."""
    import sqlalchemy

    @sqlalchemy.event.listens_for(eng, "connect")
    def _connect(dbapi_connection, _record):
        # The PRAGMAs writebench's own connections apply (its defaults, changed by
        # --pragma): foreign keys and synchronous are settings of the connection, not of
        # the file, so every connection sets them itself. Names and values are
        # checked by writebench (letters, digits, _ . -), hence safe in the statement.
        # Through a cursor: aiosqlite's adapted connection has no execute() of its own.
        cursor = dbapi_connection.cursor()
        for pragma in os.environ.get("WRITEBENCH_SQLITE_PRAGMAS", "foreign_keys=ON").split(";"):
            if pragma:
                cursor.execute("PRAGMA " + pragma)
        cursor.close()
        # Let the "begin" hook below open transactions instead of pysqlite.
        dbapi_connection.isolation_level = None

    @sqlalchemy.event.listens_for(eng, "begin")
    def _begin(connection):
        # BEGIN IMMEDIATE takes the write lock at once, as writebench does: a deferred
        # transaction that reads first (merge, query-then-add) and then writes fails
        # with "database is locked" instead of waiting when another thread wrote between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    # SQLite stores no Decimal: SQLAlchemy binds prices as floats (79.19 is stored the
    # same as the text '79.19', docs/WORKLOADS.md) and warns each time it reads one back.
    warnings.filterwarnings("ignore", message=r"Dialect sqlite\+(pysqlite|aiosqlite) does \*not\* support Decimal")


# --- asyncio: asyncpg and SQLAlchemy's asyncio API ------------------------------------

def asyncpg_connect_args():
    """asyncpg.connect()'s keyword arguments for writebench's database. asyncpg reads
    the libpq URL (host, port, user, password in its query) and the PG* variables, but
    not PGOPTIONS nor PGAPPNAME: writebench's schema (search_path), the application name
    by which writebench finds the program's server processes, and --set's settings
    (WRITEBENCH_SETTINGS) become startup parameters (server_settings) instead."""
    require_postgres()
    schema = _env("SCHEMA")
    settings = {"search_path": '"' + schema.replace('"', '""') + '"'}
    if os.environ.get("PGAPPNAME"):
        settings["application_name"] = os.environ["PGAPPNAME"]
    for setting in os.environ.get("WRITEBENCH_SETTINGS", "").split(";"):
        if "=" in setting:
            name, value = setting.split("=", 1)
            settings[name] = value
    return {"dsn": DATABASE_URL, "server_settings": settings}


async def asyncpg_connect():
    """A new asyncpg connection to writebench's database (asyncpg_connect_args())."""
    need("asyncpg")
    import asyncpg

    return await asyncpg.connect(**asyncpg_connect_args())


@contextlib.asynccontextmanager
async def asyncpg_connection():
    """An asyncpg connection to writebench's database, closed after the block."""
    conn = await asyncpg_connect()
    try:
        yield conn
    finally:
        await conn.close()


async def async_engine(**kwargs):
    """A SQLAlchemy 1.4 AsyncEngine for writebench's database, connected once before it
    is returned (so connecting is not timed): postgresql+asyncpg, or sqlite+aiosqlite with
    the PRAGMAs and BEGIN IMMEDIATE of engine(). MariaDB has no asyncio driver in Debian."""
    need("sqlalchemy")
    from sqlalchemy.ext.asyncio import create_async_engine

    if BACKEND == "postgresql":
        need("asyncpg")
        eng = create_async_engine("postgresql+asyncpg://", connect_args=asyncpg_connect_args(),
                                  pool_size=max(5, THREADS), **kwargs)
    elif BACKEND == "sqlite":
        need("aiosqlite")
        eng = create_async_engine("sqlite+aiosqlite:///" + _env("SQLITE_PATH"),
                                  connect_args={"timeout": TIMEOUT_S}, **kwargs)
        _sqlite_as_writebench(eng.sync_engine)
    else:
        skip("needs SQLite or PostgreSQL (asyncio through aiosqlite or asyncpg)")
    async with eng.connect():
        pass
    return eng


try:
    from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Integer, Numeric, String, Text
    from sqlalchemy.orm import declarative_base, relationship
except ImportError:  # scripts that need SQLAlchemy call need("sqlalchemy") first
    declarative_base = None

if declarative_base is not None:
    Base = declarative_base()

    # bigint on PostgreSQL; INTEGER on SQLite, where only "INTEGER PRIMARY KEY" is the rowid.
    _Key = BigInteger().with_variant(Integer(), "sqlite")

    # The tables as docs/WORKLOADS.md creates them (writebench creates them; these
    # classes only map them). Keys are always given: autoincrement=False.
    # The relationship() pair is the tutorial's, and it matters: it is how the unit of
    # work knows to insert users before their addresses in one flush (a ForeignKey
    # alone does not order mappers). The scripts set address.user_id directly.
    class User(Base):
        __tablename__ = "user_account"
        id = Column(_Key, primary_key=True, autoincrement=False)
        name = Column(String(30), nullable=False)
        fullname = Column(Text)
        addresses = relationship("Address", back_populates="user")

    class Address(Base):
        __tablename__ = "address"
        id = Column(_Key, primary_key=True, autoincrement=False)
        street_address = Column(Text, nullable=False)
        user_id = Column(_Key, ForeignKey("user_account.id"), nullable=False)
        user = relationship("User", back_populates="addresses")

    class Product(Base):
        __tablename__ = "products"
        __table_args__ = (CheckConstraint("price >= 0"),)
        id = Column(_Key, primary_key=True, autoincrement=False)
        name = Column(Text, unique=True)
        category = Column(Text, index=True)
        price = Column(Numeric(10, 2))

    MODELS = {"user_account": User, "address": Address, "products": Product}

    def upsert(table, values=None):
        """The dialect's upsert of every column of table (values: a list of dicts, for
        one multi-row statement): INSERT ... ON CONFLICT (id) DO UPDATE on SQLite and
        PostgreSQL, INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c) on MariaDB."""
        from sqlalchemy.dialects import mysql, postgresql, sqlite

        stmt = {"postgresql": postgresql.insert, "sqlite": sqlite.insert, "mariadb": mysql.insert}[BACKEND](table)
        if values is not None:
            stmt = stmt.values(values)
        columns = COLUMNS[table.name][1:]
        if BACKEND == "mariadb":
            return stmt.on_duplicate_key_update({c: stmt.inserted[c] for c in columns})
        return stmt.on_conflict_do_update(index_elements=[table.c.id], set_={c: stmt.excluded[c] for c in columns})

    def write_statement(table):
        """This pass's Core statement for table (INSERT, or UPDATE by key) and how to turn
        a row's dict into its parameters: the UPDATE's bound names are prefixed, because
        Core reserves the column names for its SET clause."""
        from sqlalchemy import bindparam

        if PHASE == "insert":
            return table.insert(), lambda values: values
        update = (table.update()
                  .where(table.c.id == bindparam("b_id"))
                  .values({name: bindparam("b_" + name) for name in COLUMNS[table.name][1:]}))
        return update, lambda values: {"b_" + name: value for name, value in values.items()}

    def objects(table, first, last, version=None):
        """The rows of keys first..last as new (transient) ORM objects."""
        model = MODELS[table]
        return [model(**values) for values in dicts(table, first, last, version)]
