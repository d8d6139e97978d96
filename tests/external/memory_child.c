/* A writebench external strategy whose largest process is not the one writebench
 * started (tests/integration/test_external.sh): it forks a child that allocates and
 * touches MIB mebibytes, waits for it, then writes the workload exactly like
 * examples/c/sqlite_prepared.c (included below, its main renamed), so it verifies.
 * writebench must report the child's peak RSS, the largest of the process tree.
 *
 *     cc -std=c11 -O2 -o memory_child tests/external/memory_child.c -lsqlite3
 *     writebench run --strategies none --external mem=./memory_child 64 */
#define _POSIX_C_SOURCE 200809L
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define main sqlite_prepared_main
#include "../../examples/c/sqlite_prepared.c"
#undef main

/* Allocates size_bytes and writes to every page, so that all of it is resident. */
static void touch_memory(size_t size_bytes)
{
    /* volatile: the writes are the point, the compiler must not drop them */
    volatile char *p = malloc(size_bytes);
    if (!p) {
        fprintf(stderr, "memory_child: cannot allocate %zu bytes\n", size_bytes);
        _exit(1);
    }
    for (size_t i = 0; i < size_bytes; i += 4096)
        p[i] = (char)i;
    free((void *)p);
}

int main(int argc, char **argv)
{
    long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    if (argc != 2 || mib <= 0) {
        fprintf(stderr, "usage: memory_child MIB (the child's allocation in MiB)\n");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("memory_child: fork");
        return 1;
    }
    if (child == 0) {
        touch_memory((size_t)mib * 1024 * 1024);
        _exit(0);
    }
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "memory_child: the child failed\n");
        return 1;
    }
    fprintf(stderr, "memory_child: a child touched %ld MiB\n", mib);
    return sqlite_prepared_main();
}
