package io.erpsync.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.JarProcess;
import io.erpsync.check.HistoryChecker;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.SandboxErp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two nodes of the jar in cluster mode on one PostgreSQL store; the node in a cycle is frozen with
 * SIGSTOP past sync.lease.ttl while the warehouse keeps changing (quantities only rising), then
 * resumed with SIGCONT: once with a write of its own on its way and its other batches queued, once
 * during its read, before its first write. The other node takes over; the frozen one, resumed, sends nothing more
 * and writes nothing over the take-over's records. The ERP's history across both processes never
 * shows an older warehouse value after a newer one (unless repaired within a cycle), the ERP ends
 * equal to the warehouse, the frozen runs are FAILED and no two runs overlap in the ledger.
 */
class FrozenNodeIT {
    static final int ITEMS = 60;
    ClusterNodes cluster;
    SandboxErp erp;
    int round;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterNodes(dir, Map.of("cluster.checkin-interval", "1s", "sync.lease.ttl", "3s", "sync.batch-size", "10",
                "sync.lanes", "2"));
        erp = cluster.erp;
        raise();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    /** The warehouse changes every item upwards. */
    void raise() throws Exception {
        round++;
        for (int n = 1; n <= ITEMS; n++) {
            cluster.wms.wmsItem(n, 1000 * round + n);
        }
    }

    static void signal(JarProcess p, String signal) throws Exception {
        if (p.isAlive()) {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start().waitFor());
        }
    }

    List<ClusterNodes.Run> runs() throws Exception {
        return cluster.runs("status NOT LIKE 'SKIPPED%'");
    }

    ClusterNodes.Run running() throws Exception {
        return runs().stream().filter(r -> r.status().equals("RUNNING")).findFirst().orElse(null);
    }

    /**
     * Freezes the node of {@code frozen} past the lease's ttl and Quartz's grace while the warehouse
     * changes, waits for the other node to sync the newest values, releases what the sandbox held,
     * resumes the node, and checks the promise after a quiet period.
     */
    void freezeAndResume(ClusterNodes.Run frozen, HistoryChecker checker) throws Exception {
        JarProcess victim = cluster.nodeOf(frozen);
        signal(victim, "STOP");
        raise();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                runs().stream().anyMatch(r -> r.id() == frozen.id() && r.status().equals("FAILED")));
        erp.faults().release(false);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> checker.check().synced() == ITEMS);
        signal(victim, "CONT");
        // a quiet period: the resumed node has run into its fence; every later cycle finds the ERP in step
        long after = runs().stream().mapToLong(ClusterNodes.Run::id).max().orElse(0);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                runs().stream().filter(r -> r.id() > after && r.status().equals("SUCCEEDED")).count() >= 3);
        HistoryChecker.Report r = checker.assertHolds();
        assertEquals(ITEMS, r.synced(), r.toString());
        assertEquals("FAILED", runs().stream().filter(x -> x.id() == frozen.id()).findFirst().orElseThrow().status(),
                "the frozen run stays FAILED, as the take-over recorded it");
        assertTrue(victim.isAlive(), "the resumed node runs on");
    }

    /** No two runs overlap: each one that ended did so before the next started (the take-over ends the frozen one). */
    void assertNoOverlap() throws Exception {
        List<ClusterNodes.Run> all = runs();
        for (int i = 1; i < all.size(); i++) {
            ClusterNodes.Run before = all.get(i - 1);
            ClusterNodes.Run next = all.get(i);
            assertTrue(before.finishedAt() != null && !before.finishedAt().isAfter(next.startedAt()),
                    "runs overlap: " + before + " and " + next);
        }
    }

    @Test
    void a_node_frozen_past_its_lease_sends_nothing_after_the_take_over_and_nothing_goes_back_to_an_older_value() throws Exception {
        cluster.node();
        cluster.node();
        HistoryChecker checker = new HistoryChecker(erp, cluster.wmsUrl, cluster.storeUrl).repairedWithin(Duration.ofSeconds(10));
        // the first node up migrates the store
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> checker.check().synced() == ITEMS);

        // 1: a write of its own on its way (held by the ERP) and its other batches queued in its lanes
        raise();
        erp.faults().hold(Faults.Match.WRITE, 1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> erp.faults().held() == 1);
        freezeAndResume(running(), checker);

        // 2: during its read, before its first write (its pre-check read held by the ERP); after the resume
        // its read's answer comes back, and the write it would make from it must not go out
        raise();
        erp.faults().hold(Faults.Match.READ, 1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> erp.faults().held() == 1);
        freezeAndResume(running(), checker);

        assertNoOverlap();
        System.out.println("FrozenNodeIT: " + checker.check());
    }
}
