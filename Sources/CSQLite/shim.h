#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import: binding text with it
   tells SQLite to copy the bytes before the call returns. */
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_config is variadic, which Swift cannot call. SQLite's memory statistics (on unless
   built otherwise, as Debian's is) take one process-wide mutex around every allocation and free,
   and Debian's build has no lookaside memory, so every small allocation of every connection goes
   through it; nothing here reads the statistics. Must run before SQLite is first used. */
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
