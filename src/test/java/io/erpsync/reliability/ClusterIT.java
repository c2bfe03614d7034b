package io.erpsync.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.JarProcess;
import io.erpsync.TestRuntime;
import io.erpsync.check.HistoryChecker;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Cluster mode with real processes: nodes of the jar on one PostgreSQL store (Quartz's clustered
 * JobStore) firing every two seconds, each node named as a host of its own. Every fire runs on one
 * node; a node killed in the middle of a cycle loses nothing (once Quartz counts it failed, another
 * node takes its lease and lands the items); a node started later joins without a double fire; a
 * pause from another process stops every node's fires, and a resume starts them again.
 */
class ClusterIT {
    static final int ITEMS = 60;
    ClusterNodes cluster;
    SandboxErp erp;
    String storeUrl;
    String wmsUrl;
    TestRuntime wms;
    Map<String, String> settings;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterNodes(dir, Map.of("cluster.checkin-interval", "2s"));
        erp = cluster.erp;
        storeUrl = cluster.storeUrl;
        wmsUrl = cluster.wmsUrl;
        wms = cluster.wms;
        settings = cluster.settings;
        for (int n = 1; n <= ITEMS; n++) {
            wms.wmsItem(n, 3000 + n);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    JarProcess node() throws Exception {
        return cluster.node();
    }

    List<ClusterNodes.Run> scheduledRuns() throws Exception {
        return cluster.runs("trigger_kind = 'SCHEDULE'");
    }

    /**
     * Each fire of the two-second cron ran once: no two runs closer than 0.7 s (two nodes taking one
     * fire would start within a few milliseconds of each other), and a fire skipped as an overlap met
     * the run of an earlier fire still going (a run slower than the period on a loaded machine), never
     * a run of the same fire.
     */
    static void assertOneRunPerFire(List<ClusterNodes.Run> runs) {
        for (int i = 1; i < runs.size(); i++) {
            ClusterNodes.Run before = runs.get(i - 1);
            ClusterNodes.Run run = runs.get(i);
            assertTrue(Duration.between(before.startedAt(), run.startedAt()).toMillis() >= 700,
                    "two runs for one fire: " + before + " and " + run);
            if ("SKIPPED_OVERLAP".equals(run.status())) {
                assertTrue(runs.subList(0, i).stream().anyMatch(r -> !"SKIPPED_OVERLAP".equals(r.status())
                        && (r.finishedAt() == null || r.finishedAt().isAfter(run.startedAt()))),
                        "a fire skipped as an overlap although no run was going: " + runs);
            }
        }
    }

    @Test
    void every_fire_runs_on_one_node_a_killed_node_loses_nothing_a_third_joins_and_a_pause_from_anywhere_holds() throws Exception {
        JarProcess a = node();
        JarProcess b = node();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> scheduledRuns().size() >= 10);
        assertOneRunPerFire(scheduledRuns());
        assertTrue(a.isAlive() && b.isAlive(), "both nodes run");

        // a cycle held at its first write, then its node killed
        for (int n = 1; n <= ITEMS; n++) {
            wms.wmsItem(n, 4000 + n);
        }
        erp.faults().hold(Faults.Match.WRITE, 1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> erp.faults().held() == 1);
        ClusterNodes.Run running = scheduledRuns().stream().filter(r -> r.status().equals("RUNNING")).findFirst().orElseThrow();
        JarProcess victim = running.node().startsWith(a.pid() + "@") ? a : b;
        JarProcess survivor = victim == a ? b : a;
        victim.kill();
        Instant killed = Instant.now();
        erp.faults().release(true);

        HistoryChecker checker = new HistoryChecker(erp, wmsUrl, storeUrl);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> checker.check().synced() == ITEMS);
        assertEquals("FAILED", scheduledRuns().stream().filter(r -> r.id() == running.id()).findFirst().orElseThrow().status(),
                "the killed node's run, taken over");
        assertTrue(survivor.isAlive());
        ClusterNodes.Run takeover = scheduledRuns().stream().filter(r -> r.id() > running.id() && r.status().equals("SUCCEEDED")).findFirst().orElseThrow();
        assertTrue(Duration.between(killed, takeover.startedAt()).toSeconds() < 45,
                "taken over once Quartz counted the node failed, before the 60 s lease ttl: " + takeover + ", killed at " + killed);

        // a third node joins
        Instant joined = Instant.now();
        node();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> scheduledRuns().stream().filter(r -> r.startedAt().isAfter(joined.plusSeconds(10))).count() >= 6);
        assertOneRunPerFire(scheduledRuns().stream().filter(r -> r.startedAt().isAfter(joined)).toList());
        checker.assertHolds();

        // an operator on another process (the same settings, as every node of a cluster must have: a
        // different sync.cron would reschedule the shared trigger) pauses the cluster's schedule, then resumes it
        TestRuntime operator = new TestRuntime(erp, wmsUrl, storeUrl);
        settings.forEach(operator::set);
        try (TestRuntime op = operator.set("sync.schedule.enabled", "false").start()) {
            io.erpsync.ops.SyncService service = op.bean("syncService", io.erpsync.ops.SyncService.class);
            service.pause();
            Instant paused = Instant.now().plusSeconds(1);
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .until(() -> scheduledRuns().stream().noneMatch(r -> r.startedAt().isAfter(paused)));
            service.resume();
            Instant resumed = Instant.now();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> scheduledRuns().stream().filter(r -> r.startedAt().isAfter(resumed)).count() >= 2);
        }
    }
}
