package io.erpsync.target.storefront;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Keys;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.CycleRunner;
import io.erpsync.sync.Cycles;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * With targets = erp,storefront the targets' cycles run at once, each on its own thread under the one
 * stock run lease: an ERP held back (waiting at its gate for a job, or for its lock rounds) holds the
 * storefront back in nothing, and the storefront's cycle lands and is recorded while the ERP's still runs. Nor
 * do the ERP's lanes, full and stuck: they hold back the ERP's own read, not the hand-off both targets' batches take.
 */
class TargetsAtOnceTest extends TwoTargetsSandbox {
    static final int ITEMS = 200;
    static final String JOB = "Process Inventory Transactions";

    @Override
    protected int items() {
        return ITEMS;
    }

    void changeAll(long plus) throws Exception {
        for (int n = 1; n <= ITEMS; n++) {
            rt.wmsItem(n, 1000 + n + plus);
        }
    }

    boolean storefrontHas(long plus) {
        for (int n = 1; n <= ITEMS; n++) {
            if (sf.amount(list(n), SandboxItems.itemNumber(n)) != 1000 + n + plus) {
                return false;
            }
        }
        return true;
    }

    boolean erpHas(long plus) {
        for (int n = 1; n <= ITEMS; n++) {
            if (!rt.lands(n, 1000 + n + plus)) {
                return false;
            }
        }
        return true;
    }

    CompletableFuture<Map<String, CycleSummary>> cyclesInTheBackground() {
        return CompletableFuture.supplyAsync(() -> CycleRunner.runCycles(rt.context(), "TEST"));
    }

    /** The statuses of a target's sync_run rows, oldest first. */
    List<String> statuses(String target) throws SQLException {
        try (Connection c = rt.store().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM sync_run WHERE target = ? ORDER BY id")) {
            ps.setString(1, target);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    String leaseHolder() throws SQLException {
        try (Connection c = rt.store().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT holder FROM sync_lease WHERE name = 'STOCK'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    long erpItemRequests() {
        return erp.requests().count(e -> !e.path().equals(SandboxErp.ESS_PATH));
    }

    @Test
    void the_storefronts_cycle_lands_while_the_erps_waits_at_its_gate_and_a_fire_meanwhile_skips_only_the_erp() throws Exception {
        rt.set("sync.gate.jobs", JOB).set("sync.gate.poll-interval", "100ms").set("sync.gate.max-wait", "10m").start();
        changeAll(0);
        // a job the gate waits for, until the test ends it
        erp.startJob(JOB, "FUSION_BATCH", Duration.ZERO, Duration.ofHours(1), Set.of());

        CompletableFuture<Map<String, CycleSummary>> first = cyclesInTheBackground();

        await().atMost(Duration.ofMinutes(1)).until(() -> statuses("storefront").equals(List.of(CycleSummary.SUCCEEDED)));
        assertTrue(storefrontHas(0), "every storefront record equals the WMS");
        assertEquals(List.of("RUNNING"), statuses("erp"), "the ERP's cycle still waits at its gate");
        assertFalse(first.isDone());
        assertEquals(0, erpItemRequests(), "nothing has gone to the ERP's items");
        Watermarks marks = new Watermarks(rt.store());
        assertTrue(marks.get("wms:storefront").isPresent(), "the storefront's watermark moved");
        assertTrue(marks.get("wms").isEmpty(), "the ERP's did not");

        // the next fire: the ERP's cycle is still running, so only the ERP's is skipped, in the ERP's own ledger
        changeAll(1);
        Map<String, CycleSummary> second = CycleRunner.runCycles(rt.context(), "TEST");
        assertEquals(List.of("erp", "storefront"), List.copyOf(second.keySet()));
        assertEquals(CycleSummary.SKIPPED_OVERLAP, second.get("erp").status(), second.get("erp").toString());
        assertEquals(CycleSummary.SUCCEEDED, second.get("storefront").status(), second.get("storefront").toString());
        assertEquals(ITEMS, second.get("storefront").updated());
        assertTrue(storefrontHas(1));
        assertEquals(List.of("RUNNING", CycleSummary.SKIPPED_OVERLAP), statuses("erp"));
        assertFalse(first.isDone());

        // the job ends: the ERP's cycle goes on and lands, and the lease is given back once both have ended
        erp.clearJobs();
        Map<String, CycleSummary> firstRuns = first.get(2, TimeUnit.MINUTES);
        assertEquals(List.of("erp", "storefront"), List.copyOf(firstRuns.keySet()));
        assertEquals(CycleSummary.SUCCEEDED, firstRuns.get("erp").status(), firstRuns.get("erp").toString());
        assertEquals(CycleSummary.SUCCEEDED, firstRuns.get("storefront").status());
        assertEquals(null, leaseHolder(), "the lease is free once no cycle runs");
        Map<String, CycleSummary> third = CycleRunner.runCycles(rt.context(), "TEST");
        assertEquals(CycleSummary.SUCCEEDED, third.get("erp").status(), third.get("erp").toString());
        assertTrue(erpHas(1), "every ERP item equals the WMS's newest row");
        assertEquals(0, third.get("storefront").read(), "nothing new for the storefront");
        assertTrue(storefrontHas(1));
    }

    @Test
    void the_storefronts_cycle_lands_while_every_erp_item_waits_for_its_lock_rounds() throws Exception {
        // lock rounds of 500 ms, enough of them (two minutes) that the ERP's cycle goes on past the storefront's on any
        // machine; locks are failed updates to the breaker, which is kept out of the way here
        rt.set("sync.retry.lock-delays", String.join(",", Collections.nCopies(240, "500ms"))).set("sync.retry.max-delay", "1s")
                .set("sync.breaker.window", "100000").set("sync.breaker.minimum-updates", "100000").start();
        changeAll(0);
        // every ERP item is locked by a job, until the test ends it
        erp.startJob(JOB, "FUSION_BATCH", Duration.ZERO, Duration.ofHours(1), erp.itemIds(
                java.util.stream.IntStream.rangeClosed(1, ITEMS).filter(n -> n % 2 == 1).mapToObj(SandboxItems::itemNumber).toList(), "M1"));
        erp.startJob(JOB, "FUSION_BATCH", Duration.ZERO, Duration.ofHours(1), erp.itemIds(
                java.util.stream.IntStream.rangeClosed(1, ITEMS).filter(n -> n % 2 == 0).mapToObj(SandboxItems::itemNumber).toList(), "M2"));

        CompletableFuture<Map<String, CycleSummary>> cycles = cyclesInTheBackground();

        await().atMost(Duration.ofMinutes(1)).until(() -> statuses("storefront").equals(List.of(CycleSummary.SUCCEEDED)));
        assertTrue(storefrontHas(0), "every storefront record equals the WMS");
        assertEquals(List.of("RUNNING"), statuses("erp"), "the ERP's cycle is still in its lock rounds");
        assertFalse(cycles.isDone());
        assertTrue(erpItemRequests() > 0, "the ERP was tried");
        for (int n = 1; n <= ITEMS; n++) {
            assertFalse(rt.lands(n, 1000 + n), "ERP item " + n + " is locked: it has not landed yet");
        }

        erp.clearJobs();
        Map<String, CycleSummary> runs = cycles.get(2, TimeUnit.MINUTES);
        CycleSummary e = runs.get("erp");
        assertEquals(CycleSummary.SUCCEEDED, e.status(), e.toString());
        assertEquals(ITEMS, e.updated(), e.toString());
        assertTrue(e.conflicts() > 0, "the items met their locks: " + e);
        assertEquals(0, e.parked(), e.toString());
        assertTrue(erpHas(0));
        CycleSummary s = runs.get("storefront");
        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(ITEMS, s.updated());
        assertEquals(null, leaseHolder());
    }

    @Test
    void the_storefronts_cycle_lands_while_the_erps_lanes_are_full_and_stuck_and_only_the_erps_read_waits() throws Exception {
        // one ERP lane with room for one batch waiting and batches of 10 items; every ERP read is held until the test
        // lets them go (a hung ERP: its lane works on its first batch, the others back up), long before a timeout
        rt.set("sync.lanes", "1").set("storefront.lanes", "2").set("sync.lane.queue-size", "1").set("sync.read-size", "10")
                .set("sync.batch-size", "10").set("camel.component.http.response-timeout", "600000").start();
        // six changes of every item: 1200 rows, two chunks of the read for each target
        for (int plus = 0; plus < 6; plus++) {
            changeAll(plus);
        }
        erp.faults().hold(Faults.Match.READ, Integer.MAX_VALUE);
        Map<String, AtomicInteger> chunks = new ConcurrentHashMap<>();
        // the storefront's rows go to their batches only once the ERP is stuck: its read held, its lane holding
        // more batches than it has room for
        AdviceWith.adviceWith(rt.context(), "sync-cycle", a -> a.weaveById("group-by-batch").before().process(ex -> {
            String target = ex.getProperty(Keys.CYCLE, Cycle.class).target();
            if (chunks.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet() == 1 && target.equals("storefront")) {
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> erp.faults().held() > 0 && erpCycle().laneLoads().fullLane(3) != null);
            }
        }));
        try {
            CompletableFuture<Map<String, CycleSummary>> cycles = cyclesInTheBackground();

            await().atMost(Duration.ofMinutes(1)).until(() -> statuses("storefront").equals(List.of(CycleSummary.SUCCEEDED)));
            assertTrue(storefrontHas(5), "every storefront record equals the WMS's newest row");
            assertEquals(List.of("RUNNING"), statuses("erp"), "the ERP's cycle is still stuck");
            assertFalse(cycles.isDone());
            assertEquals(1, erp.faults().held(), "the ERP's one lane waits on its first read");
            assertEquals(1, chunks.get("erp").get(), "the ERP's read waits before its second chunk, its lane being full");
            assertEquals(2, chunks.get("storefront").get());
            for (int n = 1; n <= ITEMS; n++) {
                assertFalse(rt.lands(n, 1000 + n + 5), "ERP item " + n + " has not landed yet");
            }

            erp.faults().release(false);
            Map<String, CycleSummary> runs = cycles.get(2, TimeUnit.MINUTES);
            CycleSummary e = runs.get("erp");
            assertEquals(CycleSummary.SUCCEEDED, e.status(), e.toString());
            assertEquals(1200, e.read(), e.toString());
            assertEquals(0, e.parked(), e.toString());
            assertTrue(erpHas(5), "every ERP item equals the WMS's newest row");
            CycleSummary s = runs.get("storefront");
            assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
            assertEquals(0, s.parked(), s.toString());
            assertEquals(2, chunks.get("erp").get());
            assertEquals(null, leaseHolder());
        } finally {
            erp.faults().release(false);
        }
    }

    /** The ERP's running cycle. */
    Cycle erpCycle() {
        return rt.context().getRegistry().lookupByNameAndType("cycles", Cycles.class).slot().running().stream()
                .filter(c -> c.target().equals("erp")).findFirst().orElseThrow();
    }

    @Test
    void an_item_number_holding_a_slash_a_space_a_question_mark_a_hash_or_a_percent_or_only_dots_lands_on_its_own_record() throws Exception {
        List<String> odd = List.of("AB/12", "AB 12", "AB?12", "AB#12", "AB%12", "AB+12", ".", "..");
        for (String item : odd) {
            sf.addRecord("inventory_m1", item, 0);
        }
        sf.addRecord("inventory_m1", "AB", 0);
        rt.set("targets", "storefront").start();
        long quantity = 10;
        for (String item : odd) {
            rt.wms(item, "M1", "ELECTRICAL", ++quantity);
        }

        CycleSummary s = CycleRunner.runCycles(rt.context(), "TEST").get("storefront");

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertEquals(odd.size(), s.updated(), s.toString());
        quantity = 10;
        for (String item : odd) {
            assertEquals(++quantity, sf.amount("inventory_m1", item), item);
        }
        assertEquals(0, sf.amount("inventory_m1", "AB"), "the record the unescaped paths would have named is untouched");
        assertEquals(0, rt.bean("exceptionQueue", ExceptionQueue.class).forTarget("storefront").list("OPEN").size());
    }

    @Test
    void a_token_endpoint_that_answers_503_twice_costs_retries_not_the_run() throws Exception {
        rt.set("targets", "storefront").start();
        changeAll(0);
        sf.refuseNextTokens(2, 503);

        CycleSummary s = CycleRunner.runCycles(rt.context(), "TEST").get("storefront");

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertTrue(storefrontHas(0), "every storefront record equals the WMS");
        assertEquals(3, sf.log().tokenRequests(), "two refused token requests, then the one token of the cycle");
    }
}
