package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

class SqlRefusalTest {

    @Test
    void a_syntax_error_an_unknown_column_or_a_missing_feature_is_a_refusal_wherever_it_is_wrapped() {
        assertTrue(SqlRefusal.isRefusal(new SQLSyntaxErrorException("Syntax error in SQL statement", "42001")));
        assertTrue(SqlRefusal.isRefusal(new IllegalStateException("camel", new SQLException("column \"item_number\" does not exist", "42703"))));
        assertTrue(SqlRefusal.isRefusal(new SQLException("not supported", "0A000")));
        assertTrue(SqlRefusal.isRefusal(new SQLException("a driver that gives no state")));
    }

    @Test
    void a_lost_connection_a_timeout_a_deadlock_or_this_reads_values_is_no_refusal() {
        assertFalse(SqlRefusal.isRefusal(new SQLTransientConnectionException("Connection is not available, request timed out after 10000ms")));
        assertFalse(SqlRefusal.isRefusal(new SQLTimeoutException("canceling statement due to statement timeout", "57014")));
        assertFalse(SqlRefusal.isRefusal(new SQLException("An I/O error occurred while sending to the backend", "08006")));
        assertFalse(SqlRefusal.isRefusal(new SQLException("deadlock detected", "40P01")));
        assertFalse(SqlRefusal.isRefusal(new SQLException("integer out of range", "22003")));
        assertFalse(SqlRefusal.isRefusal(new IllegalStateException("no database error at all")));
    }
}
