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
