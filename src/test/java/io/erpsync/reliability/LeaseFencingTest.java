package io.erpsync.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.MovableClock;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.store.RunLease;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A run whose lease was taken over while one of its writes was on its way (a node that froze right
 * after letting it go): it sends nothing more, writes nothing over the records of the run that took
 * over, and the write that slipped through is repaired by the next cycle. One process plays both
 * nodes; the other node is a second RunLease whose clock runs a minute ahead, so our heartbeat looks
 * stale to it (FrozenNodeIT does it with real processes and SIGSTOP).
 */
class LeaseFencingTest {
    SandboxErp erp;
    TestRuntime a;
    String store;

    @BeforeEach
    void setUp() throws Exception {
        erp = TestRuntime.sandbox(100);
        String wms = "jdbc:h2:mem:wms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        store = "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        a = new TestRuntime(erp, wms, store).set("sync.lease.ttl", "3s").set("sync.batch-size", "5").set("sync.lanes", "1");
    }

    @AfterEach
    void close() {
        erp.faults().release(true);
        a.close();
        erp.close();
    }

    void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(store); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(store); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String text(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(store); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void a_run_that_lost_its_lease_sends_nothing_more_leaves_the_ledger_alone_and_its_last_write_is_repaired() throws Exception {
        a.start();
        // the ERP seeds item n at n * 10; the warehouse first wants 900 + n, then goes back to what the ERP has
        for (int i = 0; i < 5; i++) {
            a.wmsItem(TestRuntime.sameSegment(i), 900 + i);
        }
        long seeded = a.erpQuantity(TestRuntime.sameSegment(0)).longValueExact();
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<CycleSummary> frozen = CompletableFuture.supplyAsync(a::runCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);
        long run = count("SELECT MAX(id) FROM sync_run");

        // meanwhile another node takes the lease over: its clock a minute on, our heartbeat looks stale to it
        MovableClock later = new MovableClock();
        later.advance(Duration.ofMinutes(1));
        JdbcDataSource storeDs = new JdbcDataSource();
        storeDs.setURL(store);
        RunLease other = new RunLease(storeDs, Duration.ofSeconds(3), later, false);
        assertTrue(other.acquire(RunLease.STOCK).isEmpty(), "the other node takes the lease");
        String takeOver = text("SELECT message FROM sync_run WHERE id = " + run);
        RunLease lease = a.bean("runLease", RunLease.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lease.holds(RunLease.STOCK));
        // a write of the lost run past its fence would find no record of its own: it is refused before it goes
        JdbcDataSource own = new JdbcDataSource();
        own.setURL(store);
        org.junit.jupiter.api.Assertions.assertThrows(io.erpsync.store.LeaseLost.class, () -> new io.erpsync.store.InFlightItems(own)
                .record(run, java.util.List.of(new io.erpsync.store.InFlightItems.Item("ITM-00001", "M1", "M1|TOOLS")), java.time.Instant.now()));
        assertEquals(1, count("SELECT COUNT(*) FROM sync_in_flight WHERE run_id = " + run), "and nothing was recorded for it");
        // the first item goes back to what the ERP has: the other node finds it in step and writes nothing
        a.wmsItem(TestRuntime.sameSegment(0), seeded);

        // the write let go before the take-over lands (with its still valid ETag); nothing else goes out
        erp.faults().release(false);
        CycleSummary s = frozen.get(60, TimeUnit.SECONDS);
        other.close();
        assertEquals(CycleSummary.FAILED, s.status());
        assertTrue(s.message().contains("taken over"), s.message());
        assertEquals(1, erp.requests().count(RequestLog.Entry::isWrite), "only the write that was on its way");
        assertEquals(1, erp.requests().count(e -> !e.isWrite() && e.path().contains("/items")), "one read, before the take-over");
        assertTrue(takeOver.contains("stopped during this run"), takeOver);
        assertEquals(takeOver, text("SELECT message FROM sync_run WHERE id = " + run), "the run that took over keeps the ledger");
        assertEquals("FAILED", text("SELECT status FROM sync_run WHERE id = " + run));
        assertEquals(0, count("SELECT COUNT(*) FROM sync_watermark WHERE name = 'wms'"), "the watermark is not the lost run's to move");
        assertEquals(1, count("SELECT COUNT(*) FROM sync_in_flight WHERE run_id = " + run + " AND drained"),
                "the lost run's in-flight batch, marked as having nothing on its way any more");
        assertEquals(5, text("SELECT items FROM sync_in_flight WHERE run_id = " + run).lines().count(), "its five items");
        assertTrue(a.lands(TestRuntime.sameSegment(0), 900), "the write that slipped through applied the older value");

        // the other node's cycle found every item in step and moved the watermark past these rows
        sql("INSERT INTO sync_watermark (name, mark, run_id, updated_at) VALUES ('wms', CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)");

        // the next cycle here takes the lease over from the dead node: nothing new to read, but the
        // lost run's items are compared again with their newest WMS row, and the one that slipped is repaired
        CycleSummary next = a.runCycle();
        assertEquals(CycleSummary.SUCCEEDED, next.status(), next.toString());
        assertTrue(a.lands(TestRuntime.sameSegment(0), seeded), "repaired to the newest warehouse value, was "
                + a.erpQuantity(TestRuntime.sameSegment(0)));
        for (int i = 1; i < 5; i++) {
            assertTrue(a.lands(TestRuntime.sameSegment(i), 900 + i), "item " + i);
        }
        assertEquals(2, erp.requests().count(RequestLog.Entry::isWrite), "one write for the one item that differed");
        assertEquals(1, next.updated());
        assertEquals(4, next.unchanged());
        assertEquals(0, count("SELECT COUNT(*) FROM sync_in_flight"), "compared a last time, then forgotten");
        assertEquals("FAILED", text("SELECT status FROM sync_run WHERE id = " + run));

        // and the one after it has nothing left to repair: it reads nothing and writes nothing
        CycleSummary quiet = a.runCycle();
        assertEquals(0, quiet.read() + quiet.updated() + quiet.unchanged());
        assertEquals(2, erp.requests().count(RequestLog.Entry::isWrite));
    }
}
