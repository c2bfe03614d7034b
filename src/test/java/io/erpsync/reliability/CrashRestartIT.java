package io.erpsync.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.erpsync.JarProcess;
import io.erpsync.TestRuntime;
import io.erpsync.check.HistoryChecker;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxItems;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Killed at chosen points of a cycle (SIGKILL), then started again: the restart converges ({@link RestartHarness}). */
class CrashRestartIT extends RestartHarness {
    @Test
    void killed_during_the_read_the_next_run_reads_everything_again_and_converges() throws Exception {
        killAtFirst(Faults.Match.READ);
        erp.faults().release(true);

        HistoryChecker.Report r = converge();
        assertEquals(ITEMS, r.clientWrites());
    }

    @Test
    void killed_between_a_batchs_read_and_its_write_nothing_is_written_twice() throws Exception {
        killAtFirst(Faults.Match.WRITE);
        erp.faults().release(true);

        assertEquals(ITEMS, converge().clientWrites());
    }

    @Test
    void killed_while_a_write_was_applied_but_not_yet_answered_the_restart_finds_it_in_step() throws Exception {
        killAtFirst(Faults.Match.WRITE);
        long before = clientWrites();
        erp.faults().release(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> clientWrites() > before);

        // the write the dead process sent did apply; the restart reads those items as in step
        assertEquals(ITEMS, converge().clientWrites());
    }

    @Test
    void killed_during_lock_retries_the_items_land_once_the_lock_is_gone() throws Exception {
        settings.put("sync.retry.lock-delays", "300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms");
        java.util.List<String> locked = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            locked.add(SandboxItems.itemNumber(TestRuntime.sameSegment(i)));
        }
        erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(10), erp.itemIds(locked, "M1"));
        JarProcess p = start("--once");
        await().atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> !p.isAlive() || storeCount("SELECT COUNT(*) FROM sync_attempt WHERE failure_class = 'RECORD_LOCKED'") >= 12);
        assertTrue(p.isAlive(), "killed during the lock rounds, not after");

        p.kill();
        erp.clearJobs();

        converge();
    }

    @Test
    void killed_while_parking_the_restart_parks_without_duplicates_and_a_replay_lands_everything() throws Exception {
        settings.put("sync.retry.stale-attempts", "1");
        erp.faults().add(new Faults.Fault(Faults.Kind.NOT_JSON, 0, 0, Faults.Match.READ), 100_000);
        JarProcess p = start("--once");
        await().atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(10))
                .until(() -> !p.isAlive() || storeCount("SELECT COUNT(*) FROM sync_exception WHERE status = 'OPEN'") >= 1);
        p.kill();

        // with the ERP still answering nonsense: every item parked once or deferred by the breaker, no row twice
        JsonNode again = once();
        assertEquals(ITEMS, again.path("parked").asInt() + again.path("deferred").asInt(), again.toString());
        assertEquals(again.path("parked").asLong(), storeCount("SELECT COUNT(*) FROM sync_exception WHERE status = 'OPEN'"),
                "one OPEN row per parked item");
        checker.assertHolds();

        erp.faults().clear();
        JsonNode replay = once("--replay", "all");
        JsonNode next = once();
        assertEquals(ITEMS, replay.path("updated").asInt() + next.path("updated").asInt(), replay + " then " + next);
        assertEquals(ITEMS, checker.assertHolds().synced());
        assertEquals(0, storeCount("SELECT COUNT(*) FROM sync_exception WHERE status = 'OPEN'"));
    }

    @Test
    void killed_as_the_last_writes_land_around_the_watermark_commit_the_restart_writes_nothing_twice() throws Exception {
        JarProcess p = start("--once");
        await().atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(5)).until(() -> clientWrites() >= ITEMS || !p.isAlive());
        p.kill();

        // whether or not the watermark was committed, the restart has nothing left to write
        JsonNode next = once();
        assertEquals(0, next.path("updated").asInt(), next.toString());
        assertEquals(ITEMS, checker.assertHolds().synced());
        assertEquals(ITEMS, clientWrites());
        assertNoneRunning();
    }
}
