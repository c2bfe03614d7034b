package io.erpsync.sync;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Whether a database refused a statement for what it is (its syntax, a column it does not have, a
 * feature it lacks), which stays so, or failed to run it this time (a connection lost, a pool or
 * statement timeout, a deadlock, a value out of range in this read's rows), which may not.
 */
final class SqlRefusal {
    private SqlRefusal() {
    }

    /** True for SQLSTATE class 42 (syntax error or access rule violation) and 0A (feature not supported), or an error without a state. */
    static boolean isRefusal(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof SQLException sql) {
                if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
                    return false;
                }
                String state = sql.getSQLState();
                return state == null || state.startsWith("42") || state.startsWith("0A");
            }
        }
        return false;
    }
}
