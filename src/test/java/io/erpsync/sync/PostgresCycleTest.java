package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SandboxErp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** A PostgreSQL WMS and a PostgreSQL store: only wms.datasource.*, wms.query and store.datasource.* change. */
class PostgresCycleTest {
    static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE wms");
            st.execute("CREATE DATABASE store");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    /** More rows than one fetch (1000): the streamed read must keep its cursor open across fetches. */
    static final int ROWS = 2500;

    @Test
    void a_postgresql_wms_syncs_into_the_erp_and_the_store_migrates_on_postgresql() throws Exception {
        String wms = pg.getJdbcUrl("postgres", "wms");
        try (Connection c = pg.getDatabase("postgres", "wms").getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE inventory (sku TEXT, org TEXT, abc_class TEXT, on_hand NUMERIC, changed_at TIMESTAMPTZ)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inventory VALUES (?, ?, ?, ?, ?)")) {
                for (int n = 1; n <= ROWS; n++) {
                    ps.setString(1, String.format("ITM-%05d", n));
                    ps.setString(2, n % 2 == 1 ? "M1" : "M2");
                    ps.setString(3, n % 3 == 0 ? "A" : "B");
                    ps.setBigDecimal(4, BigDecimal.valueOf(n * 10L));
                    ps.setObject(5, OffsetDateTime.of(2026, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC).plusSeconds(n));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (SandboxErp erp = TestRuntime.sandbox(ROWS);
             TestRuntime rt = new TestRuntime(erp, "jdbc:h2:mem:unused;DB_CLOSE_DELAY=-1", pg.getJdbcUrl("postgres", "store"))
                     .set("wms.datasource.url", wms)
                     .set("wms.datasource.username", "postgres")
                     .set("store.datasource.username", "postgres")
                     .set("sync.segment.fields", "abc_class")
                     .set("wms.query", "SELECT sku AS item_number, org AS organization_code, abc_class, on_hand AS quantity, "
                             + "changed_at AS updated_at FROM inventory WHERE changed_at > :?since ORDER BY changed_at")
                     .start()) {
            CycleSummary s = rt.runCycle();

            assertEquals(ROWS, s.read());
            assertEquals(ROWS, s.updated() + s.unchanged());
            for (int n = 1; n <= ROWS; n++) {
                assertEquals(0, BigDecimal.valueOf(n * 10L).compareTo(rt.erpQuantity(n)), "item " + n);
            }
            // organization x ABC class: 4 segments of 625; writes of at most 50 and reads of at most 500
            assertTrue(s.requests() >= ROWS / 50 && s.requests() <= 4 * (13 + 2) + 4, "requests " + s.requests());
            try (Connection c = rt.store().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT mark FROM sync_watermark WHERE name = 'wms'")) {
                rs.next();
                assertEquals(OffsetDateTime.of(2026, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC).plusSeconds(ROWS).toInstant(),
                        rs.getObject(1, OffsetDateTime.class).toInstant());
            }
            assertEquals(0, rt.runCycle().read(), "the committed watermark holds on PostgreSQL");
        }
    }
}
