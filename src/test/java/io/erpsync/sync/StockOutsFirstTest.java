package io.erpsync.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.WebhookCapture;
import io.erpsync.core.CycleSummary;
import io.erpsync.core.StockOutFigures;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxItems;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Stock-outs first (sync.priority.*) on the sandbox: the rows that sold out or fell steeply reach the ERP
 * before any other batch of the cycle (by the order of the sandbox's request log), in small batches of
 * their own, and one that ends the cycle parked raises the alert naming it, whatever the parked ratio.
 */
class StockOutsFirstTest extends SandboxTest {
    static final long FIRST_ID = 300100071600000L;

    /** Whether the request names sandbox item n: a write touches it, a read asks for it. */
    static boolean names(RequestLog.Entry e, int n) {
        if (e.items().contains(FIRST_ID + n)) {
            return true;
        }
        String q = e.query() == null ? "" : URLDecoder.decode(e.query(), StandardCharsets.UTF_8);
        return q.contains("'" + SandboxItems.itemNumber(n) + "'");
    }

    static List<RequestLog.Entry> inOrder(List<RequestLog.Entry> entries) {
        return entries.stream().sorted(Comparator.comparing(RequestLog.Entry::receivedAt)).toList();
    }

    @Test
    void stock_outs_reach_the_erp_before_any_other_batch_in_small_batches_of_their_own_and_every_item_lands() throws Exception {
        rt.set("sync.priority.batch-size", "2").start();
        Set<Integer> stockOuts = Set.of(7, 21, 27, 33, 38);
        for (int n = 1; n <= 40; n++) {
            // 27 first had stock, its newest row is the stock-out; 15 sold out, then was restocked: not first
            rt.wmsItem(n, n == 27 ? 5 : n == 15 ? 0 : stockOuts.contains(n) ? 0 : 100 + n);
        }
        rt.wmsItem(27, 0);
        rt.wmsItem(15, 30);

        CycleSummary s = rt.runCycle();

        for (int n = 1; n <= 40; n++) {
            assertTrue(rt.lands(n, n == 15 ? 30 : stockOuts.contains(n) ? 0 : 100 + n), "item " + n + " holds its newest value");
        }
        assertEquals(0, s.parked());
        assertEquals(42, s.read(), "every row read once, though the stock-outs had a read of their own");
        assertEquals(40, s.updated() + s.unchanged());
        StockOutFigures f = s.stockOuts();
        assertEquals(5, f.items(), "7, 21, 27, 33, 38; not 15");
        assertEquals(5, f.landed());
        assertTrue(f.parked().isEmpty());
        assertNotNull(f.p95Ms());
        assertTrue(f.p50Ms() <= f.p95Ms() && f.p95Ms() <= s.durationMs(), f + " within " + s.durationMs());
        assertTrue(s.asMap().containsKey("stockOuts"), "in the --once summary: " + s.asMap());
        MeterRegistry meters = rt.context().getRegistry().findSingleByType(MeterRegistry.class);
        assertEquals(5, meters.get("erp.sync.stockouts.time.to.land").timer().count(), "each stock-out's time to land in the metrics");
        assertEquals(5.0, meters.get("erp.sync.stockouts").tag("outcome", "landed").counter().count());

        List<RequestLog.Entry> log = inOrder(erp.requests().entries());
        int lastStockOut = -1;
        int firstOther = Integer.MAX_VALUE;
        for (int i = 0; i < log.size(); i++) {
            RequestLog.Entry e = log.get(i);
            boolean so = stockOuts.stream().anyMatch(n -> names(e, n));
            boolean other = IntStream.rangeClosed(1, 40).filter(n -> !stockOuts.contains(n)).anyMatch(n -> names(e, n));
            assertFalse(so && other, "a stock-out shares a request with another item: " + e);
            if (so) {
                lastStockOut = i;
                assertTrue(e.items().size() <= 2, "batches of sync.priority.batch-size: " + e);
            }
            if (other) {
                firstOther = Math.min(firstOther, i);
            }
        }
        assertTrue(lastStockOut >= 0 && firstOther < Integer.MAX_VALUE, log.toString());
        assertTrue(lastStockOut < firstOther, "every stock-out request (last at " + lastStockOut + ") before any other (first at "
                + firstOther + "): " + log);
        assertEquals(1, log.stream().filter(e -> e.isWrite() && e.items().contains(FIRST_ID + 27)).count(),
                "27 written once, with its newest row");
        assertFalse(log.stream().anyMatch(e -> e.isWrite() && "0".equals(e.quantities().get(FIRST_ID + 15))),
                "15's older stock-out row never written");
    }

    @Test
    void the_stock_outs_read_is_narrowed_in_the_database_from_the_first_cycle() throws Exception {
        rt.start();
        StockOutsFirst first = rt.context().getRegistry().lookupByNameAndType("stockOutsFirst", StockOutsFirst.class);
        assertEquals(null, first.query(), "before the probe its columns are unknown");
        rt.wmsItem(7, 0);
        rt.wmsItem(8, 108);

        CycleSummary s = rt.runCycle();

        assertEquals(1, s.stockOuts().landed(), s.toString());
        assertTrue(rt.lands(7, 0) && rt.lands(8, 108));
        assertTrue(first.query().matches(".*\\) wms_rows WHERE quantity <= 0(\\.0+)?"),
                "the first cycle's read was narrowed; no safety_stock or previous_quantity column: " + first.query());
    }

    /** One cycle with this wms.query: item 7 sold out, item 8 at 108. */
    CycleSummary soldOutAndNotWith(String wmsQuery) throws Exception {
        rt.set("wms.query", wmsQuery).start();
        rt.wmsItem(7, 0);
        rt.wmsItem(8, 108);
        return rt.runCycle();
    }

    @Test
    void a_database_that_refuses_the_narrowed_read_gets_every_row_read_and_the_stock_outs_still_go_first() throws Exception {
        // a trailing semicolon: the query runs alone, not inside another
        CycleSummary s = soldOutAndNotWith("SELECT item_number, organization_code, category, quantity, updated_at FROM stock_level "
                + "WHERE updated_at > :?since ORDER BY updated_at;");
        StockOutsFirst first = rt.bean("stockOutsFirst", StockOutsFirst.class);

        assertEquals(1, s.stockOuts().landed(), s.toString());
        assertTrue(rt.lands(7, 0) && rt.lands(8, 108));
        assertEquals(null, first.query(), "refused once: every row from now on");
        assertFalse(first.columnsUnknown(), "and no probe again");
    }

    @Test
    void a_narrowed_read_that_failed_for_a_lost_connection_is_narrowed_again_one_the_database_refused_is_not() throws Exception {
        rt.start();
        StockOutsFirst first = rt.context().getRegistry().lookupByNameAndType("stockOutsFirst", StockOutsFirst.class);
        rt.wmsItem(7, 0);
        rt.runCycle();
        assertNotNull(first.query());

        first.narrowedReadRefused(new java.sql.SQLTransientConnectionException("Connection is not available, request timed out after 10000ms"));
        assertNotNull(first.query(), "a pool timeout says nothing of the query: narrowed again next cycle");
        first.narrowedReadRefused(new java.sql.SQLSyntaxErrorException("Syntax error in SQL statement", "42001"));
        assertEquals(null, first.query(), "refused: every row from now on");
    }

    @Test
    void when_the_candidates_items_cannot_be_read_again_none_goes_first_and_every_item_still_lands() throws Exception {
        // a column name in lower case in quotes: the narrowed read takes it, the candidates' re-read (item_number) does not on H2
        CycleSummary s = soldOutAndNotWith("SELECT item_number AS \"item_number\", organization_code, category, quantity, updated_at "
                + "FROM stock_level WHERE updated_at > :?since ORDER BY updated_at");
        StockOutsFirst first = rt.bean("stockOutsFirst", StockOutsFirst.class);

        assertEquals("SUCCEEDED", s.status(), s.toString());
        assertTrue(rt.lands(7, 0) && rt.lands(8, 108));
        assertEquals(0, s.stockOuts().items(), "unchecked, none went first: " + s);
        assertEquals(null, first.query(), "the database refused the re-read: every row from now on");

        rt.wmsItem(9, 0);
        CycleSummary next = rt.runCycle();
        assertEquals(1, next.stockOuts().landed(), "picked from every row, it goes first again: " + next);
        assertTrue(rt.lands(9, 0));
    }

    @Test
    void of_two_rows_of_an_item_with_the_same_time_the_later_in_the_querys_order_wins_even_when_the_earlier_is_a_stock_out() throws Exception {
        try (Connection c = DriverManager.getConnection(rt.wmsUrl)) {
            c.createStatement().execute("CREATE TABLE stock_tie (id INT, item_number VARCHAR(40), organization_code VARCHAR(10), category VARCHAR(40), "
                    + "quantity NUMERIC(18, 4), updated_at TIMESTAMP)");
        }
        rt.set("wms.query", "SELECT item_number, organization_code, category, quantity, updated_at FROM stock_tie WHERE updated_at > :?since "
                + "ORDER BY updated_at, id").start();
        Map<String, Object> item = rt.erpItem(7);
        Timestamp at = Timestamp.from(Instant.now().minusSeconds(5));
        try (Connection c = DriverManager.getConnection(rt.wmsUrl);
             PreparedStatement ps = c.prepareStatement("INSERT INTO stock_tie VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : new Object[][] {{1, 0L}, {2, 40L}}) {
                ps.setInt(1, (Integer) row[0]);
                ps.setString(2, (String) item.get("ItemNumber"));
                ps.setString(3, (String) item.get("OrganizationCode"));
                ps.setString(4, (String) item.get("ItemCategory"));
                ps.setLong(5, (Long) row[1]);
                ps.setTimestamp(6, at);
                ps.executeUpdate();
            }
        }

        CycleSummary s = rt.runCycle();

        assertTrue(rt.lands(7, 40), "the row after the stock-out in wms.query's order is the item's value: " + rt.erpQuantity(7));
        assertEquals(0, s.stockOuts().items(), "no stock-out: its item's later row is none: " + s);
    }

    @Test
    void the_stock_outs_of_an_organization_take_one_read_and_small_writes_and_the_other_batches_wait_for_their_first_tries()
            throws Exception {
        rt.set("sync.lanes", "4").set("sync.priority.batch-size", "2").start();
        Set<Integer> stockOuts = Set.of(1, 3, 5, 7, 9, 11, 13, 15);
        for (int n = 1; n <= 40; n++) {
            rt.wmsItem(n, stockOuts.contains(n) ? 0 : 500 + n);
        }

        CycleSummary s = rt.runCycle();

        for (int n = 1; n <= 40; n++) {
            assertTrue(rt.lands(n, stockOuts.contains(n) ? 0 : 500 + n), "item " + n);
        }
        assertEquals(8, s.stockOuts().items());
        assertEquals(8, s.stockOuts().landed());
        List<RequestLog.Entry> log = inOrder(erp.requests().entries());
        List<RequestLog.Entry> stockOutRequests = log.stream().filter(e -> stockOuts.stream().anyMatch(n -> names(e, n))).toList();
        assertEquals(1, stockOutRequests.stream().filter(e -> !e.isWrite()).count(), "one read for M1's stock-outs: " + stockOutRequests);
        assertEquals(4, stockOutRequests.stream().filter(RequestLog.Entry::isWrite).count(), "writes of 2: " + stockOutRequests);
        int lastStockOut = log.indexOf(stockOutRequests.get(stockOutRequests.size() - 1));
        for (int i = 0; i <= lastStockOut; i++) {
            RequestLog.Entry e = log.get(i);
            assertTrue(stockOuts.stream().anyMatch(n -> names(e, n)), "until the last stock-out request, only stock-outs, though the "
                    + "main read did not wait for them: " + log);
        }
        assertEquals(40 - 8, IntStream.rangeClosed(1, 40).filter(n -> !stockOuts.contains(n))
                .filter(n -> log.stream().anyMatch(e -> e.isWrite() && e.items().contains(FIRST_ID + n))).count(), "the others written after");
    }

    @Test
    void with_adaptive_sizes_the_stock_outs_still_start_in_small_writes_of_their_own_apart_from_the_segments_size() throws Exception {
        rt.set("sync.batch.adaptive", "true").set("sync.batch-size", "20").set("sync.priority.batch-size", "2").start();
        Set<Integer> stockOuts = Set.of(1, 3, 5, 7, 9, 11, 13, 15);
        for (int n = 1; n <= 20; n++) {
            rt.wmsItem(n, stockOuts.contains(n) ? 0 : 600 + n);
        }

        CycleSummary quiet = rt.runCycle();

        assertEquals(8, quiet.stockOuts().landed());
        List<RequestLog.Entry> writes = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite)
                .filter(e -> stockOuts.stream().anyMatch(n -> e.items().contains(FIRST_ID + n))).toList();
        assertEquals(4, writes.size(), "writes of sync.priority.batch-size, so that one locked neighbour delays few: " + writes);
        assertTrue(writes.stream().allMatch(w -> w.items().size() == 2), "two stock-outs a write: " + writes);
        assertEquals(Integer.valueOf(2), rt.bean("batchSizes", AdaptiveBatchSizes.class).sizes().get("stock-outs of M1"),
                "their own label's size, apart from the segments' 20: " + rt.bean("batchSizes", AdaptiveBatchSizes.class).sizes());
    }

    @Test
    void locked_stock_outs_sent_first_do_not_open_the_breaker_by_themselves_they_count_at_their_end() throws Exception {
        // the cycle's first ten updates are all locked stock-outs: judged at first sight they would open a breaker
        // that opens at 30 % of 10; judged at their end (parked after the rounds) they are 12 of 60
        rt.set("sync.lanes", "1").set("sync.priority.batch-size", "12").set("sync.retry.lock-delays", "500ms,1s")
                .set("sync.breaker.minimum-updates", "10").set("sync.breaker.window", "100").set("sync.breaker.failure-rate", "30").start();
        List<String> locked = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
            boolean stockOut = n % 2 == 1 && n <= 23;
            rt.wmsItem(n, stockOut ? 0 : 700 + n);
            if (stockOut) {
                locked.add(SandboxItems.itemNumber(n));
            }
        }
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5), erp.itemIds(locked, "M1"));

        CycleSummary s = rt.runCycle();

        assertEquals(12, s.stockOuts().items(), s.toString());
        assertEquals(12, s.parked(), s.toString());
        assertEquals(48, s.updated(), s.toString());
        assertEquals(0, s.deferred(), "the breaker stayed closed, nothing deferred: " + s);
        assertEquals(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED,
                rt.bean("erpBreaker", io.erpsync.breaker.UpdateBreaker.class).state());
    }

    @Test
    void switched_off_the_stock_outs_wait_in_their_segments_batch() throws Exception {
        rt.set("sync.priority.enabled", "false").set("sync.lanes", "1").start();
        for (int i = 0; i < 10; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), i == 6 ? 0 : 200 + i);
        }

        CycleSummary s = rt.runCycle();

        assertEquals(10, s.updated() + s.unchanged());
        assertEquals(0, s.stockOuts().items());
        assertFalse(s.asMap().containsKey("stockOuts"));
        List<RequestLog.Entry> writes = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).toList();
        assertEquals(1, writes.size(), "one write for the segment: " + writes);
    }

    /** A WMS whose query returns safety_stock and previous_quantity. */
    void wmsWithSafetyStockAndPrevious() throws Exception {
        try (Connection c = DriverManager.getConnection(rt.wmsUrl)) {
            c.createStatement().execute("CREATE TABLE stock_ext (item_number VARCHAR(40), organization_code VARCHAR(10), category VARCHAR(40), "
                    + "quantity NUMERIC(18, 4), safety_stock NUMERIC(18, 4), previous_quantity NUMERIC(18, 4), updated_at TIMESTAMP)");
        }
        rt.set("wms.query", "SELECT item_number, organization_code, category, quantity, safety_stock AS SAFETY_STOCK, previous_quantity, "
                + "updated_at FROM stock_ext WHERE updated_at > :?since ORDER BY updated_at");
    }

    void ext(int n, long quantity, Long safety, Long previous, Instant at) throws Exception {
        Map<String, Object> item = rt.erpItem(n);
        try (Connection c = DriverManager.getConnection(rt.wmsUrl);
             PreparedStatement ps = c.prepareStatement("INSERT INTO stock_ext VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, (String) item.get("ItemNumber"));
            ps.setString(2, (String) item.get("OrganizationCode"));
            ps.setString(3, (String) item.get("ItemCategory"));
            ps.setLong(4, quantity);
            ps.setObject(5, safety);
            ps.setObject(6, previous);
            ps.setTimestamp(7, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    @Test
    void below_its_safety_stock_or_fallen_by_more_than_the_drop_goes_first_a_smaller_fall_does_not() throws Exception {
        wmsWithSafetyStockAndPrevious();
        rt.set("sync.lanes", "1").set("sync.priority.drop", "50").start();
        Instant t = Instant.parse("2026-03-02T08:00:00Z");
        int below = TestRuntime.sameSegment(1);
        int fell = TestRuntime.sameSegment(2);
        int fellLittle = TestRuntime.sameSegment(3);
        int plain = TestRuntime.sameSegment(4);
        int aboveSafety = TestRuntime.sameSegment(5);
        ext(plain, 1001, null, null, t.plusSeconds(1));
        ext(fellLittle, 1080, null, 1100L, t.plusSeconds(2));
        ext(aboveSafety, 1013, 1012L, null, t.plusSeconds(3));
        ext(below, 1008, 1010L, null, t.plusSeconds(4));
        ext(fell, 1030, null, 3000L, t.plusSeconds(5));

        CycleSummary s = rt.runCycle();

        assertEquals(5, s.updated(), s.toString());
        assertEquals(2, s.stockOuts().items());
        List<RequestLog.Entry> writes = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite)
                .sorted(Comparator.comparing(RequestLog.Entry::receivedAt)).toList();
        assertEquals(2, writes.size(), writes.toString());
        assertEquals(Set.of(FIRST_ID + below, FIRST_ID + fell), writes.get(0).items(), "the stock-outs' batch first");
        assertEquals(Set.of(FIRST_ID + plain, FIRST_ID + fellLittle, FIRST_ID + aboveSafety), writes.get(1).items());
    }

    @Test
    void a_stock_out_that_ends_the_cycle_parked_raises_the_alert_naming_it_whatever_the_parked_ratio() throws Exception {
        try (WebhookCapture hook = new WebhookCapture()) {
            List<String> posts = hook.posts();
            rt.set("sync.alert.webhook-url", hook.url())
                    .set("sync.retry.lock-delays", "20ms,20ms").start();
            // one ordinary item of 40 parked: 2.5 %, below sync.alert.parked-ratio, no alert
            for (int n = 1; n <= 40; n++) {
                rt.wmsItem(n, 300 + n);
            }
            lock(Duration.ofMinutes(5), 9);
            CycleSummary ordinary = rt.runCycle();
            assertEquals(1, ordinary.parked());
            assertTrue(ordinary.stockOuts().parked().isEmpty());

            // one stock-out of 40 parked: 2.5 % as well, and the alert goes out naming it
            for (int n = 41; n <= 80; n++) {
                rt.wmsItem(n, n == 57 ? 0 : 300 + n);
            }
            lock(Duration.ofMinutes(5), 57);
            CycleSummary stockOut = rt.runCycle();
            assertEquals(1, stockOut.parked());
            assertEquals(List.of(SandboxItems.itemNumber(57) + " / M1"), stockOut.stockOuts().parked());
            assertEquals(0, stockOut.stockOuts().landed());

            await().atMost(Duration.ofSeconds(10)).until(() -> posts.size() >= 1);
            assertEquals(1, posts.size(), posts.toString());
            String post = posts.get(0);
            assertTrue(post.contains("\"alert\":\"STOCK_OUT_PARKED\""), post);
            assertTrue(post.contains("\"run\":" + stockOut.runId()), post);
            assertTrue(post.contains("\"stockOutsParked\":[\"" + SandboxItems.itemNumber(57) + " / M1\"]"), post);
            assertTrue(rt.exceptions("OPEN").stream().anyMatch(r -> r.itemNumber().equals(SandboxItems.itemNumber(57))),
                    "the stock-out waits in the exception queue");
        }
    }

    void lock(Duration duration, int... items) {
        List<String> numbers = new ArrayList<>();
        for (int n : items) {
            numbers.add(SandboxItems.itemNumber(n));
        }
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, duration, erp.itemIds(numbers, "M1"));
    }
}
