/* The one table of built-in backends. Each line names a backend's kind (its
 * index, WB_BACKEND_<KIND>) and its `const wb_backend` value; the backend
 * itself says which --db URL schemes and forms are its own (backend.h). The
 * first line is the default backend: the database a command uses when --db is
 * left out. Adding a backend is adding its line here (and its own files). */
#ifndef WB_BACKENDS_REGISTRY_H
#define WB_BACKENDS_REGISTRY_H

#define WB_BACKEND_REGISTRY(X)         \
    X(SQLITE, wb_sqlite_backend)       \
    X(POSTGRES, wb_postgres_backend)   \
    X(MARIADB, wb_mariadb_backend)

#endif
