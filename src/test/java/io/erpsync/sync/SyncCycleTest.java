package io.erpsync.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.store.ExceptionRow;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class SyncCycleTest extends SandboxTest {

    @Override
    protected int sandboxItems() {
        return 700;
    }

    private static boolean same(Object expected, BigDecimal actual) {
        return new BigDecimal(String.valueOf(expected)).compareTo(actual) == 0;
    }

    @Test
    void changed_rows_reach_the_erp_with_one_read_and_one_write_per_batch() throws Exception {
        rt.set("sync.batch-size", "10").start();
        // items 1..100 of organization M1 and M2 over five categories: 10 segments of 10 items
        for (int n = 1; n <= 100; n++) {
            rt.wmsItem(n, 5000 + n);
        }
        CycleSummary s = rt.runCycle();

        for (int n = 1; n <= 100; n++) {
            assertTrue(same(5000 + n, rt.erpQuantity(n)), "item " + n);
        }
        assertEquals(CycleSummary.SUCCEEDED, s.status());
        assertEquals(100, s.updated());
        assertEquals(10, erp.requests().count(e -> e.method().equals("GET")), "one pre-check read per batch");
        assertEquals(10, erp.requests().count(RequestLog.Entry::isWrite), "one batch write per batch");
        assertEquals(0, erp.requests().count(e -> e.method().equals("PUT") || e.method().equals("PATCH")), "never PUT, never single PATCH");
        assertEquals(20, s.requests(), "the runtime counts what the ERP received");
    }

    @Test
    void a_segment_is_read_wide_and_written_narrow_in_batches_of_the_batch_size() throws Exception {
        rt.set("sync.batch-size", "25").start();
        // 60 items of one segment (organization M1, category ELECTRICAL): one read, three writes
        for (int i = 0; i < 60; i++) {
            rt.wmsItem(1 + 10 * i, 6000 + i);
        }

        CycleSummary s = rt.runCycle();

        assertEquals(60, s.updated());
        assertEquals(1, erp.requests().count(e -> e.method().equals("GET")), "one collection read for the segment's 60 items");
        assertEquals(List.of(25, 25, 10), erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).map(RequestLog.Entry::parts)
                .toList(), "written in batches of sync.batch-size");
        assertEquals(4, s.requests());
    }

    @Test
    void only_the_quantity_changes_every_other_field_keeps_its_value() throws Exception {
        rt.start();
        Map<Integer, Map<String, Object>> before = new HashMap<>();
        for (int n = 1; n <= 200; n++) {
            before.put(n, withoutOurs(rt.erpItem(n)));
        }
        for (int n = 1; n <= 200; n += 3) {
            rt.wmsItem(n, 7);
        }
        rt.runCycle();
        for (int n = 1; n <= 200; n++) {
            assertEquals(before.get(n), withoutOurs(rt.erpItem(n)), "fields of item " + n);
        }
    }

    private static Map<String, Object> withoutOurs(Map<String, Object> item) {
        Map<String, Object> m = new HashMap<>(item);
        m.remove("OnhandQuantity");
        m.remove("LastUpdateDate");
        m.remove("links");
        return m;
    }

    @Test
    void an_unchanged_row_is_read_but_not_written() throws Exception {
        rt.start();
        rt.wmsItem(3, rt.erpQuantity(3));
        String etagBefore = etag(rt.erpItem(3));

        CycleSummary s = rt.runCycle();

        assertEquals(1, s.unchanged());
        assertEquals(0, s.updated());
        assertEquals(0, erp.requests().count(RequestLog.Entry::isWrite));
        assertEquals(1, s.requests());
        assertEquals(etagBefore, etag(rt.erpItem(3)), "the ERP record was not touched");
    }

    @SuppressWarnings("unchecked")
    private static String etag(Map<String, Object> item) {
        List<Map<String, Object>> links = (List<Map<String, Object>>) item.get("links");
        return String.valueOf(((Map<String, Object>) links.get(0).get("properties")).get("changeIndicator"));
    }

    @Test
    void a_second_cycle_without_wms_changes_sends_nothing() throws Exception {
        rt.start();
        for (int n = 1; n <= 30; n++) {
            rt.wmsItem(n, 100 + n);
        }
        rt.runCycle();
        erp.requests().clear();

        CycleSummary second = rt.runCycle();

        assertEquals(0, second.read());
        assertEquals(0, second.requests());
        assertEquals(0, erp.requests().entries().size());
    }

    @Test
    void rows_of_one_item_in_one_cycle_collapse_to_the_newest() throws Exception {
        rt.start();
        rt.wmsItem(5, 10);
        rt.wmsItem(5, 20);
        rt.wmsItem(5, 30);

        CycleSummary s = rt.runCycle();

        assertTrue(same(30, rt.erpQuantity(5)));
        assertEquals(3, s.read());
        assertEquals(1, s.updated());
        assertEquals(1, erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).mapToInt(RequestLog.Entry::parts).sum());
    }

    @Test
    void the_watermark_survives_a_restart(@TempDir Path dir) throws Exception {
        rt.close();
        String wms = "jdbc:h2:file:" + dir.resolve("wms");
        String store = "jdbc:h2:file:" + dir.resolve("store");
        try (TestRuntime first = new TestRuntime(erp, wms, store).start()) {
            for (int n = 1; n <= 10; n++) {
                first.wmsItem(n, 900 + n);
            }
            assertEquals(10, first.runCycle().updated());
        }
        erp.requests().clear();
        try (TestRuntime second = new TestRuntime(erp, wms, store).start()) {
            CycleSummary s = second.runCycle();
            assertEquals(0, s.read(), "the restarted runtime reads only what changed since the committed watermark");
            assertEquals(0, erp.requests().entries().size());
            second.wmsItem(11, 42);
            assertEquals(1, second.runCycle().updated());
        }
    }

    @Test
    void a_crash_between_write_and_watermark_commit_rereads_and_converges(@TempDir Path dir) throws Exception {
        rt.close();
        String wms = "jdbc:h2:file:" + dir.resolve("wms");
        String store = "jdbc:h2:file:" + dir.resolve("store");
        try (TestRuntime crashing = new TestRuntime(erp, wms, store).start()) {
            for (int n = 1; n <= 20; n++) {
                crashing.wmsItem(n, 300 + n);
            }
            // the process dies after the ERP writes, before the cycle records its end and its watermark
            AdviceWith.adviceWith(crashing.context(), "sync-cycle",
                    a -> a.weaveById("cycle-finish").replace().throwException(new IllegalStateException("simulated crash")));
            Exception crash = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, crashing::runCycle);
            assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());
            // the lanes finish their writes; then the process "dies" (a stop starts no new batch)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> java.util.stream.IntStream.rangeClosed(1, 20).allMatch(n -> same(300 + n, rt.erpQuantity(n))));
        }
        for (int n = 1; n <= 20; n++) {
            assertTrue(same(300 + n, rt.erpQuantity(n)));
        }
        long writesBefore = erp.requests().count(RequestLog.Entry::isWrite);
        try (TestRuntime restarted = new TestRuntime(erp, wms, store).start()) {
            CycleSummary s = restarted.runCycle();
            assertEquals(20, s.read(), "nothing was skipped: the uncommitted rows are read again");
            assertEquals(20, s.unchanged(), "and found already in the ERP");
            assertEquals(writesBefore, erp.requests().count(RequestLog.Entry::isWrite), "so nothing is written twice");
            assertEquals(CycleSummary.SUCCEEDED, s.status());
        }
    }

    @Test
    void invalid_rows_are_parked_with_a_reason_and_the_others_sync() throws Exception {
        rt.set("wms.query", "SELECT item AS item_number, org AS organization_code, cat AS category, qty AS quantity, "
                + "changed AS updated_at FROM raw_stock WHERE changed > :?since ORDER BY changed").start();
        try (Connection c = java.sql.DriverManager.getConnection(rt.wmsUrl); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE raw_stock (item VARCHAR(40), org VARCHAR(10), cat VARCHAR(40), qty VARCHAR(40), changed TIMESTAMP)");
            st.execute("INSERT INTO raw_stock VALUES ('ITM-00001', 'M1', 'ELECTRICAL', '11', TIMESTAMP '2026-01-01 00:00:01')");
            st.execute("INSERT INTO raw_stock VALUES ('ITM-00003', 'M1', 'PACKAGING', '-4', TIMESTAMP '2026-01-01 00:00:02')");
            st.execute("INSERT INTO raw_stock VALUES (NULL, 'M1', 'TOOLS', '5', TIMESTAMP '2026-01-01 00:00:03')");
            st.execute("INSERT INTO raw_stock VALUES ('ITM-00005', 'M1', 'FASTENERS', 'twelve', TIMESTAMP '2026-01-01 00:00:04')");
            st.execute("INSERT INTO raw_stock VALUES ('ITM-00007', 'M1', 'HYDRAULICS', '77', TIMESTAMP '2026-01-01 00:00:05')");
            st.execute("INSERT INTO raw_stock VALUES ('ITM-00009', 'M1', 'ELECTRICAL', 'NaN', TIMESTAMP '2026-01-01 00:00:06')");
        }

        CycleSummary s = rt.runCycle();

        assertTrue(same(11, rt.erpQuantity(1)));
        assertTrue(same(77, rt.erpQuantity(7)));
        assertEquals(6, s.read());
        assertEquals(2, s.updated());
        assertEquals(4, s.parked());
        assertEquals(CycleSummary.PARKED, s.status());
        assertEquals(2, s.exitCode());
        List<String> reasons = rt.exceptions("OPEN").stream().map(ExceptionRow::reason).toList();
        assertEquals(List.of(
                "WMS row 2 (item ITM-00003, organization M1): quantity -4 is negative",
                "WMS row 3 (item <missing>, organization M1): item_number is missing",
                "WMS row 4 (item ITM-00005, organization M1): quantity 'twelve' is not a finite number",
                "WMS row 6 (item ITM-00009, organization M1): quantity 'NaN' is not a finite number"),
                reasons.stream().sorted().toList());
        assertTrue(rt.exceptions("OPEN").stream().allMatch(r -> r.failureClass().equals("INVALID_ROW")));
    }

    @Test
    void an_item_the_erp_does_not_know_is_parked_as_unknown() throws Exception {
        rt.start();
        rt.wms("NO-SUCH-ITEM", "M1", "TOOLS", 5);
        rt.wmsItem(1, 1234);

        CycleSummary s = rt.runCycle();

        assertEquals(1, s.updated());
        assertEquals(1, s.parked());
        ExceptionRow row = rt.exceptions("OPEN").get(0);
        assertEquals("NO-SUCH-ITEM", row.itemNumber());
        assertEquals("UNKNOWN_ITEM", row.failureClass());
        assertEquals("The ERP has no item NO-SUCH-ITEM in organization M1", row.reason());
    }

    @Test
    void a_refused_call_parks_the_batch_at_once_with_the_erp_message_and_a_newer_value_supersedes_it() throws Exception {
        rt.start();
        // items 1 and 11: same organization and category, so one batch
        rt.wmsItem(1, 10);
        rt.wmsItem(11, 30);
        erp.failNext(1, 400);

        CycleSummary first = rt.runCycle();

        assertEquals(2, first.parked());
        assertEquals(1, first.requests(), "400 is not retried");
        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(2, open.size());
        assertTrue(open.stream().allMatch(r -> r.failureClass().equals("REJECTED") && r.httpStatus() == 400
                && r.erpMessage().equals("Error 400: Injected fault 400.")), open.toString());

        rt.wmsItem(1, 11);
        CycleSummary second = rt.runCycle();

        assertEquals(1, second.updated());
        assertTrue(same(11, rt.erpQuantity(1)));
        List<ExceptionRow> all = rt.exceptions(null);
        assertEquals("SUPERSEDED", all.stream().filter(r -> r.itemNumber().equals("ITM-00001")).findFirst().orElseThrow().status());
        assertEquals("OPEN", all.stream().filter(r -> r.itemNumber().equals("ITM-00011")).findFirst().orElseThrow().status());
    }

    @Test
    void wrong_credentials_fail_the_cycle_without_parking_anything() throws Exception {
        rt.set("erp.password", "wrong").start();
        for (int n = 1; n <= 10; n++) {
            rt.wmsItem(n, 1);
        }

        CycleSummary s = rt.runCycle();

        assertEquals(CycleSummary.FAILED, s.status());
        assertEquals(1, s.exitCode());
        assertTrue(s.message().contains("HTTP 401"), s.message());
        assertEquals(0, rt.exceptions(null).size());
        assertEquals(0, erp.requests().count(RequestLog.Entry::isWrite));
        assertTrue(erp.requests().count(e -> e.status() == 401) <= 4, "at most one call per lane: then the cycle has failed and "
                + "later batches stop calling");
    }

    @Test
    void a_cycle_longer_than_the_schedule_interval_never_overlaps_and_skipped_fires_are_recorded() throws Exception {
        erp.knobs().latencyMs = 400;
        for (int n = 1; n <= 20; n++) {
            rt.wmsItem(n, 60 + n);
        }
        // 4 batches of 5, two requests each at 400 ms: a cycle takes over 3 s against a 1 s schedule
        rt.set("sync.schedule.enabled", "true").set("sync.cron", "0/1 * * * * ?").set("sync.batch-size", "5").start();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                rt.runs().stream().filter(r -> r.status().equals(CycleSummary.SKIPPED_OVERLAP)).count() >= 2
                        && rt.runs().stream().anyMatch(r -> r.status().equals(CycleSummary.SUCCEEDED) && r.updated() == 20));
        rt.context().getRouteController().stopRoute("sync-schedule");

        List<Instant[]> spans = new ArrayList<>();
        try (Connection c = rt.store().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT started_at, finished_at FROM sync_run WHERE status NOT IN ('SKIPPED_OVERLAP') "
                     + "AND finished_at IS NOT NULL ORDER BY started_at")) {
            while (rs.next()) {
                spans.add(new Instant[]{rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant()});
            }
        }
        assertFalse(spans.isEmpty());
        for (int i = 1; i < spans.size(); i++) {
            assertFalse(spans.get(i)[0].isBefore(spans.get(i - 1)[1]), "cycle " + i + " started before the previous one ended");
        }
        for (int n = 1; n <= 20; n++) {
            assertTrue(same(60 + n, rt.erpQuantity(n)));
        }
    }
}
