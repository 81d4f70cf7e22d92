// SQLite connection options set through sqlite3_db_config, a variadic C
// function that Swift cannot call.
#ifndef CHIMERAD_CSQLITEOPTIONS_SHIM_H
#define CHIMERAD_CSQLITEOPTIONS_SHIM_H

#include <sqlite3.h>

// Leave the WAL in place when the connection closes, instead of copying it
// into the database there and then (see Store.init).
static inline int chimerad_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

#endif
