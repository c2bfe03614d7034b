package io.erpsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

class WmsPoolTest {

    /**
     * Whether the pool's query hands over its first rows before it has worked out the last: a query whose
     * last row cannot be computed answers its first row, and fails only when it reaches the last.
     */
    private static boolean streams(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS counts (id INT PRIMARY KEY, v VARCHAR(10))");
            s.execute("MERGE INTO counts VALUES (1, '1'), (2, '2'), (3, 'three')");
            ResultSet r;
            try {
                r = s.executeQuery("SELECT CAST(v AS INT) FROM counts ORDER BY id");
            } catch (SQLException e) {
                return false;
            }
            assertTrue(r.next());
            assertEquals(1, r.getInt(1));
            assertThrows(SQLException.class, () -> {
                while (r.next()) {
                    r.getInt(1);
                }
            }, "the bad row is met as it is reached");
            return true;
        }
    }

    @Test
    void an_h2_wms_hands_over_its_first_rows_before_it_has_built_the_whole_result() throws Exception {
        try (HikariDataSource pool = Datasources.source("wms", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            assertTrue(streams(pool));
            try (Connection c = pool.getConnection()) {
                assertFalse(c.getAutoCommit(), "a streamed read is not cut short by a commit");
            }
        }
    }

    @Test
    void a_streamed_read_sees_the_rows_as_they_were_when_it_began_not_a_change_committed_ahead_of_its_cursor() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (HikariDataSource pool = Datasources.source("wms", url, "sa", "", 2);
             Connection writer = java.sql.DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE stock_level (item_number VARCHAR(20) PRIMARY KEY, updated_at TIMESTAMP)");
                s.execute("CREATE INDEX stock_level_updated ON stock_level (updated_at)");
                s.execute("INSERT INTO stock_level SELECT 'I' || X, TIMESTAMP '2026-01-01 00:00:00' + X * INTERVAL '1' SECOND "
                        + "FROM SYSTEM_RANGE(1, 5000)");
            }
            java.sql.Timestamp later = java.sql.Timestamp.valueOf("2026-06-01 00:00:00");
            java.sql.Timestamp newest = null;
            int rows = 0;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet r = s.executeQuery("SELECT item_number, updated_at FROM stock_level WHERE updated_at > TIMESTAMP '2025-01-01 00:00:00' "
                        + "ORDER BY updated_at")) {
                    while (r.next()) {
                        if (++rows == 100) {
                            // the WMS changes an item the read has passed, then one ahead of it, while the read goes on
                            try (Statement w = writer.createStatement()) {
                                w.executeUpdate("UPDATE stock_level SET updated_at = TIMESTAMP '2026-05-01 00:00:00' WHERE item_number = 'I50'");
                                w.executeUpdate("UPDATE stock_level SET updated_at = TIMESTAMP '2026-06-01 00:00:00' WHERE item_number = 'I4000'");
                            }
                        }
                        java.sql.Timestamp at = r.getTimestamp(2);
                        newest = newest == null || at.after(newest) ? at : newest;
                    }
                }
            }
            assertEquals(5000, rows);
            assertTrue(newest.before(later), "the newest time read is one of the rows as they were (" + newest
                    + "): a watermark at the change ahead would pass over I50's change");
        }
    }

    @Test
    void a_url_that_sets_lazy_execution_itself_keeps_its_own_choice() throws Exception {
        try (HikariDataSource pool = Datasources.source("wms", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LAZY_QUERY_EXECUTION=FALSE",
                "sa", "", 2)) {
            assertFalse(streams(pool));
        }
    }

    @Test
    void the_store_pool_is_left_as_h2_builds_it() throws Exception {
        try (HikariDataSource pool = Datasources.pool("store", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            assertFalse(streams(pool));
        }
    }
}
