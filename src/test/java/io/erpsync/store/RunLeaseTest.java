package io.erpsync.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.ops.SyncService;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Two runtimes on one store, as a service and a --once or --replay from the command line are (or
 * replicas): never two cycles at once, and a lease left by a process that stopped is taken over.
 */
class RunLeaseTest {
    static final String OTHER_HOST = "4242@another-host@1#0000abcd";
    SandboxErp erp;
    TestRuntime a;
    TestRuntime b;

    @BeforeEach
    void twoRuntimesOnOneStore() throws Exception {
        erp = TestRuntime.sandbox(100);
        String wms = "jdbc:h2:mem:wms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String store = "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        a = new TestRuntime(erp, wms, store);
        b = new TestRuntime(erp, wms, store);
    }

    @AfterEach
    void close() {
        b.close();
        a.close();
        erp.close();
    }

    @Test
    void a_cycle_started_while_another_process_runs_one_on_the_same_store_is_skipped_and_names_it() throws Exception {
        a.start();
        b.start();
        for (int n = 1; n <= 20; n++) {
            a.wmsItem(n, 700 + n);
        }
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<CycleSummary> first = CompletableFuture.supplyAsync(a::runCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);

        CycleSummary second = b.runCycle();
        CycleSummary replay = b.replay("all");

        erp.faults().release(false);
        CycleSummary done = first.get(60, TimeUnit.SECONDS);
        assertEquals(CycleSummary.SKIPPED_OVERLAP, second.status(), second.toString());
        assertTrue(second.message().contains("run " + done.runId() + " of "), second.message());
        assertEquals(CycleSummary.SKIPPED_OVERLAP, replay.status(), replay.toString());
        assertEquals(CycleSummary.SUCCEEDED, done.status());
        assertEquals(20, done.updated());
        CycleSummary after = b.runCycle();
        assertEquals(CycleSummary.SUCCEEDED, after.status(), "the lease was given back: " + after);
    }

    @Test
    void a_page_replay_on_one_process_waits_for_the_cycle_of_another_and_then_runs() throws Exception {
        a.start();
        b.start();
        a.wmsItem(1, 801);
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<CycleSummary> first = CompletableFuture.supplyAsync(a::runCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);

        SyncService service = b.bean("syncService", SyncService.class);
        CompletableFuture<String> replay = CompletableFuture.supplyAsync(() -> {
            try {
                return service.replayWhenIdle("all", Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !replay.isDone());
        erp.faults().release(false);

        assertEquals(CycleSummary.SUCCEEDED, first.get(60, TimeUnit.SECONDS).status());
        String summary = replay.get(60, TimeUnit.SECONDS);
        assertTrue(summary.contains("\"status\":\"SUCCEEDED\""), summary);
    }

    @Test
    void a_lease_whose_holder_stopped_beating_is_taken_over_and_its_run_recorded_failed_a_live_one_is_not() throws Exception {
        a.start();
        long dead = runningRunHeldBy(OTHER_HOST, Instant.now().minus(Duration.ofMinutes(2)));
        a.wmsItem(1, 555);

        CycleSummary s = a.runCycle();

        assertEquals(CycleSummary.SUCCEEDED, s.status(), s.toString());
        assertTrue(a.lands(1, 555));
        assertEquals("FAILED", status(dead), "the stopped holder's run");

        long live = runningRunHeldBy(OTHER_HOST, Instant.now());
        CycleSummary skipped = a.runCycle();
        assertEquals(CycleSummary.SKIPPED_OVERLAP, skipped.status(), skipped.toString());
        assertTrue(skipped.message().contains("run " + live + " of " + OTHER_HOST), skipped.message());
        assertEquals("RUNNING", status(live));
    }

    /** A RUNNING run whose lease another host holds, with its last heartbeat at {@code beat}. */
    long runningRunHeldBy(String holder, Instant beat) throws Exception {
        try (Connection c = DriverManager.getConnection(a.storeUrl)) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_run (trigger_kind, status, started_at) VALUES ('SCHEDULE', "
                    + "'RUNNING', ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setTimestamp(1, Timestamp.from(beat));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_lease SET holder = ?, run_id = ?, heartbeat_at = ? WHERE name = 'STOCK'")) {
                ps.setString(1, holder);
                ps.setLong(2, id);
                ps.setTimestamp(3, Timestamp.from(beat));
                ps.executeUpdate();
            }
            return id;
        }
    }

    String status(long run) throws Exception {
        try (Connection c = DriverManager.getConnection(a.storeUrl);
             PreparedStatement ps = c.prepareStatement("SELECT status FROM sync_run WHERE id = ?")) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
