package io.erpsync.gate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The job gate is asked beside the cycle's WMS read: the WMS is read while the gate waits, but nothing
 * goes to the ERP (read or write) before the gate passed, and a skip leaves nothing written and the
 * watermark where it was.
 */
public class GateBesideReadTest extends SandboxTest {
    /** When the WMS was first read: the cycle's query calls WMS_READ_MARK() (an H2 alias to {@link #mark}; H2 needs the class public). */
    static volatile Instant wmsReadAt;

    public static boolean mark() {
        if (wmsReadAt == null) {
            wmsReadAt = Instant.now();
        }
        return true;
    }

    @BeforeEach
    void markedQuery() {
        wmsReadAt = null;
        rt.set("sync.gate.jobs", GateLanesBreakerTest.WATCHED).set("sync.gate.poll-interval", "100ms")
                .set("wms.query", TestRuntime.QUERY.replace("WHERE ", "WHERE WMS_READ_MARK() AND "));
    }

    private void markerInWms() throws Exception {
        try (Connection c = DriverManager.getConnection(rt.wmsUrl); Statement st = c.createStatement()) {
            st.execute("CREATE ALIAS IF NOT EXISTS WMS_READ_MARK FOR '" + GateBesideReadTest.class.getName() + ".mark'");
        }
    }

    private List<RequestLog.Entry> itemRequests() {
        return erp.requests().entries().stream().filter(e -> !GateLanesBreakerTest.isEss(e)).toList();
    }

    @Test
    void the_wms_is_read_while_the_gate_waits_and_nothing_reaches_the_erp_before_it_passes() throws Exception {
        rt.start();
        for (int n = 1; n <= 50; n++) {
            rt.wmsItem(n, 600 + n);
        }
        rt.wmsItem(51, 0); // a stock-out: its batch goes to its lane before the main read, and waits there
        markerInWms();
        erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5), Set.of());

        CompletableFuture<CycleSummary> cycle = CompletableFuture.supplyAsync(rt::runCycle);
        // the job runs until the WMS was read: before, the cycle read only after the gate had passed
        await().atMost(Duration.ofSeconds(30)).until(() -> wmsReadAt != null);
        assertTrue(erp.requests().count(GateLanesBreakerTest::isEss) >= 1, "the gate was asked");
        assertEquals(List.of(), itemRequests(), "nothing of the cycle's items reached the ERP while the gate waits");
        erp.clearJobs();
        CycleSummary s = cycle.get(60, TimeUnit.SECONDS);

        assertEquals(CycleSummary.SUCCEEDED, s.status());
        assertEquals(51, s.updated());
        assertTrue(rt.lands(51, 0) && rt.lands(1, 601) && rt.lands(50, 650));
        Instant passed = erp.requests().entries().stream().filter(GateLanesBreakerTest::isEss).map(RequestLog.Entry::at)
                .max(Instant::compareTo).orElseThrow();
        assertTrue(wmsReadAt.isBefore(passed), "the WMS was read before the gate's answer that let the cycle through");
        assertTrue(itemRequests().stream().noneMatch(e -> e.receivedAt().isBefore(passed)),
                "no item request (read or write) before the gate's last answer, the one that let the cycle through");
    }

    @Test
    void a_gate_that_skips_after_the_rows_were_read_writes_nothing_and_keeps_the_watermark() throws Exception {
        rt.set("sync.gate.max-wait", "1s").start();
        for (int i = 0; i < 5; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 20 + i);
        }
        rt.wmsItem(TestRuntime.sameSegment(5), 0); // a stock-out, already in its lane when the gate skips
        markerInWms();
        erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5), Set.of());

        CycleSummary skipped = rt.runCycle();

        assertTrue(wmsReadAt != null, "the rows were read");
        assertEquals(CycleSummary.SKIPPED_JOB_RUNNING, skipped.status());
        assertTrue(skipped.message().contains("Cost Update"), skipped.message());
        assertEquals(0, skipped.read(), "no row read went to a batch");
        assertEquals(0, skipped.updated() + skipped.unchanged() + skipped.parked() + skipped.deferred(), "no row has an outcome");
        assertEquals(List.of(), itemRequests(), "nothing read or written at the ERP");
        assertEquals(0, inFlightRows(), "nothing recorded in flight");
        assertEquals(List.of(), rt.exceptions("OPEN"));

        erp.clearJobs();
        CycleSummary next = rt.runCycle();
        assertEquals(CycleSummary.SUCCEEDED, next.status());
        assertEquals(6, next.updated(), "the watermark did not move: every row is read again and lands");
        assertTrue(rt.lands(TestRuntime.sameSegment(5), 0));
    }

    private int inFlightRows() throws Exception {
        try (Connection c = rt.store().getConnection(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT COUNT(*) FROM sync_in_flight")) {
            r.next();
            return r.getInt(1);
        }
    }
}
