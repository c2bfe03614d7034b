package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.erpsync.core.CycleSummary;
import io.erpsync.store.Datasources;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stock run slot with several targets: one run per target at a time, all of them under the one
 * lease at one epoch, which the first run takes and the last one to end gives back.
 */
class RunSlotTest {
    HikariDataSource store;
    RunLease lease;
    SyncRuns erp;
    SyncRuns storefront;
    RunSlot slot;

    @BeforeEach
    void openStore() {
        store = Datasources.pool("store", "jdbc:h2:mem:slot-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
        Datasources.migrate(store);
        lease = new RunLease(store, Duration.ofSeconds(30), Clock.systemUTC(), false);
        erp = new SyncRuns(store, "test");
        storefront = erp.forTarget("storefront");
        slot = new RunSlot(RunLease.STOCK, "", lease, erp);
    }

    @AfterEach
    void closeStore() {
        lease.close();
        store.close();
    }

    Object start(String target, SyncRuns runs) {
        return slot.start(target, runs, "TEST", Instant.now(), now -> new Cycle(runs.start("TEST", "RUNNING", now, 1, now, null), "TEST", now, 1, now));
    }

    String holder() throws Exception {
        try (Connection c = store.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT holder, run_id FROM sync_lease WHERE name = 'STOCK'")) {
            rs.next();
            return rs.getString(1) == null ? null : rs.getString(1) + " run " + rs.getLong(2);
        }
    }

    @Test
    void two_targets_run_at_once_under_one_lease_which_the_last_to_end_gives_back() throws Exception {
        Cycle e = assertInstanceOf(Cycle.class, start("erp", erp));
        long epoch = lease.epoch(RunLease.STOCK);
        Cycle s = assertInstanceOf(Cycle.class, start("storefront", storefront));

        assertEquals(epoch, lease.epoch(RunLease.STOCK), "the second run joins the lease, at its epoch");
        assertEquals(List.of(e, s), slot.running());
        assertEquals(lease.me() + " run " + s.runId(), holder(), "the lease names the newest run");

        slot.end(e);
        assertTrue(lease.holds(RunLease.STOCK), "a run still goes on: the lease stays");
        assertEquals(lease.me() + " run " + s.runId(), holder());
        assertEquals(List.of(s), slot.running());

        slot.end(s);
        assertFalse(lease.holds(RunLease.STOCK));
        assertNull(holder(), "given back once no run goes on");
        assertNull(slot.current());
        assertInstanceOf(Cycle.class, start("erp", erp), "and taken again by the next run, at a new epoch");
        assertEquals(epoch + 1, lease.epoch(RunLease.STOCK));
    }

    @Test
    void the_runs_still_going_on_are_named_by_the_lease_when_the_first_ends() throws Exception {
        Cycle e = assertInstanceOf(Cycle.class, start("erp", erp));
        Cycle s = assertInstanceOf(Cycle.class, start("storefront", storefront));

        slot.end(s);

        assertEquals(lease.me() + " run " + e.runId(), holder(), "a taker-over records the run that still goes on FAILED");
        slot.end(e);
        assertNull(holder());
    }

    @Test
    void a_run_of_a_target_still_running_is_skipped_in_that_targets_own_ledger_and_the_other_target_runs() throws Exception {
        Cycle s = assertInstanceOf(Cycle.class, start("storefront", storefront));

        CycleSummary skipped = assertInstanceOf(CycleSummary.class, start("storefront", storefront));
        Cycle e = assertInstanceOf(Cycle.class, start("erp", erp));

        assertEquals(CycleSummary.SKIPPED_OVERLAP, skipped.status());
        assertEquals("run " + s.runId() + " was still running", skipped.message());
        try (Connection c = store.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT target FROM sync_run WHERE id = " + skipped.runId())) {
            assertTrue(rs.next());
            assertEquals("storefront", rs.getString(1));
        }
        slot.end(s);
        slot.end(e);
        slot.end(e);
        assertNull(holder(), "an end told twice changes nothing");
    }

    @Test
    void runs_of_one_kind_only_take_the_slot_one_at_a_time_as_before() {
        Object first = slot.start("TEST", Instant.now(), now -> new Cycle(erp.start("TEST", "RUNNING", now, 1, now, null), "TEST", now, 1, now));
        Object second = slot.start("TEST", Instant.now(), now -> new Cycle(erp.start("TEST", "RUNNING", now, 1, now, null), "TEST", now, 1, now));

        assertInstanceOf(Cycle.class, first);
        assertEquals(CycleSummary.SKIPPED_OVERLAP, assertInstanceOf(CycleSummary.class, second).status());
        slot.end((Cycle) first);
        assertFalse(lease.holds(RunLease.STOCK));
    }

    @Test
    void a_stop_fails_every_running_cycle_one_per_target() {
        Cycles cycles = new Cycles(erp, slot, "wms", null, null, null, null, null, null, null, Clock.systemUTC());
        assertFalse(cycles.stopping(Duration.ZERO), "no cycle runs");
        Cycle e = assertInstanceOf(Cycle.class, start("erp", erp));
        Cycle s = assertInstanceOf(Cycle.class, start("storefront", storefront));

        assertTrue(cycles.stopping(Duration.ZERO));

        assertTrue(e.failed(), "the ERP's cycle");
        assertTrue(s.failed(), "and the storefront's");
        slot.end(e);
        slot.end(s);
    }
}
