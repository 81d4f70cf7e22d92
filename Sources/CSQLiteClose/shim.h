// sqlite3_db_config(3) is variadic, which Swift does not import: this small
// function makes the one call the store needs.
#ifndef CHIMERAD_CSQLITECLOSE_SHIM_H
#define CHIMERAD_CSQLITECLOSE_SHIM_H

#include <sqlite3.h>

/// Tells SQLite not to copy the WAL into the database (and delete it) when
/// `db` is the last connection to close. Returns SQLITE_OK, or an error code.
static inline int chimerad_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

#endif
