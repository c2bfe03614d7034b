package io.erpsync.gate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.ScheduledJob;
import io.erpsync.store.BreakerEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The job gate, time-of-day batch sizes, parallel lanes, the request-rate cap and the circuit breaker. */
class GateLanesBreakerTest extends SandboxTest {
    static final String WATCHED = "Manage Item Import Process,Process Inventory Transactions,Cost Update,Inventory Valuation,ABC Analysis";




    static boolean isEss(RequestLog.Entry e) {
        return e.path().equals(SandboxErp.ESS_PATH);
    }

    @Test
    void a_running_job_holds_every_write_back_and_the_cycle_starts_on_the_first_poll_after_its_end() throws Exception {
        rt.set("sync.gate.jobs", WATCHED).set("sync.gate.poll-interval", "300ms").start();
        for (int n = 1; n <= 100; n++) {
            rt.wmsItem(n, 90 + n);
        }
        // the job holds locks on 10 % of all items while it runs
        ScheduledJob job = erp.startLockingJob("Process Inventory Transactions", "FUSION_BATCH", 0.10, Duration.ofMillis(1500));
        assertTrue(job.lockedItemIds().size() > 20);

        CycleSummary s = rt.runCycle();

        List<RequestLog.Entry> itemCalls = erp.requests().entries().stream().filter(e -> !isEss(e)).toList();
        assertTrue(itemCalls.stream().noneMatch(e -> e.receivedAt().isBefore(job.end())), "nothing reached the ERP during the job");
        // the cycle started on the first poll that found the job over, however slow the machine
        assertTrue(erp.requests().count(e -> isEss(e) && e.receivedAt().isAfter(job.end())) <= 1, "no second poll after the job's end");
        assertTrue(erp.requests().count(GateLanesBreakerTest::isEss) >= 2, "it polled while waiting");
        assertEquals(100, s.updated());
        assertEquals(0, s.conflicts(), "run after the job, not against it: no lock conflict at all");
    }

    @Test
    void a_job_running_past_the_max_wait_skips_the_cycle_and_its_rows_wait_for_the_next() throws Exception {
        rt.set("sync.gate.jobs", WATCHED).set("sync.gate.poll-interval", "100ms").set("sync.gate.max-wait", "400ms").start();
        for (int i = 0; i < 5; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 10 + i);
        }
        erp.startJob("Cost Update", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5), Set.of());

        CycleSummary skipped = rt.runCycle();

        assertEquals(CycleSummary.SKIPPED_JOB_RUNNING, skipped.status());
        assertEquals(0, skipped.read());
        assertEquals(0, erp.requests().count(e -> !isEss(e)));
        assertTrue(skipped.message().contains("Cost Update"), skipped.message());

        erp.clearJobs();
        CycleSummary next = rt.runCycle();
        assertEquals(5, next.read(), "the watermark did not move: nothing was lost");
        assertEquals(5, next.updated());
    }

    @Test
    void a_job_running_past_the_max_wait_with_proceed_syncs_anyway() throws Exception {
        rt.set("sync.gate.jobs", WATCHED).set("sync.gate.poll-interval", "100ms").set("sync.gate.max-wait", "300ms")
                .set("sync.gate.on-timeout", "proceed").start();
        rt.wmsItem(1, 77);
        erp.startJob("ABC Analysis", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(5), Set.of());

        CycleSummary s = rt.runCycle();

        assertEquals(CycleSummary.SUCCEEDED, s.status());
        assertTrue(rt.lands(1, 77));
    }

    @Test
    void an_unreachable_scheduled_process_service_is_a_logged_decision_not_a_hang() throws Exception {
        rt.set("sync.gate.jobs", WATCHED).start();
        rt.wmsItem(1, 55);
        erp.knobs().essDownUntil = Instant.now().plusSeconds(60);

        CycleSummary proceeded = rt.runCycle();

        assertEquals(CycleSummary.SUCCEEDED, proceeded.status(), "sync.gate.on-error=proceed by default");
        assertTrue(rt.lands(1, 55));
    }

    @Test
    void an_unreachable_scheduled_process_service_with_skip_skips_the_cycle() throws Exception {
        rt.set("sync.gate.jobs", WATCHED).set("sync.gate.on-error", "skip").start();
        rt.wmsItem(1, 56);
        erp.knobs().essDownUntil = Instant.now().plusSeconds(60);

        CycleSummary s = rt.runCycle();

        assertEquals(CycleSummary.SKIPPED_JOB_RUNNING, s.status());
        assertFalse(rt.lands(1, 56));
    }

    @Test
    void the_batch_size_follows_the_time_window() throws Exception {
        rt.set("sync.batch.windows", "Mon-Sun 00:00-24:00=3; default=100").start();
        for (int i = 0; i < 9; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 30 + i);
        }

        CycleSummary s = rt.runCycle();

        assertEquals(3, s.batchSize());
        assertEquals(3, rt.runs().get(0).batchSize(), "recorded in sync_run");
        List<RequestLog.Entry> batches = erp.requests().entries().stream().filter(e -> e.method().equals("POST")).toList();
        assertEquals(List.of(3, 3, 3), batches.stream().map(RequestLog.Entry::parts).toList());
    }

    @Test
    void four_lanes_work_in_parallel_and_never_write_the_same_item_at_once() throws Exception {
        erp.knobs().latencyMs = 40;
        rt.set("sync.lanes", "4").set("sync.batch-size", "5").start();
        for (int n = 1; n <= 200; n++) {
            rt.wmsItem(n, 2000 + n);
        }
        // the same items again, newer: a segment's later batches must not overtake its earlier ones
        for (int n = 1; n <= 40; n++) {
            rt.wmsItem(n, 3000 + n);
        }

        CycleSummary s = rt.runCycle();

        for (int n = 1; n <= 200; n++) {
            assertTrue(rt.lands(n, n <= 40 ? 3000 + n : 2000 + n), "item " + n);
        }
        List<RequestLog.Entry> writes = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).toList();
        for (RequestLog.Entry a : writes) {
            for (RequestLog.Entry b : writes) {
                boolean overlap = a != b && a.receivedAt().isBefore(b.at()) && b.receivedAt().isBefore(a.at());
                if (overlap) {
                    assertTrue(Collections.disjoint(a.items(), b.items()), "two writes at once touched the same item");
                }
            }
        }
        // the most writes in flight at one moment: a sweep over their starts and ends
        List<long[]> edges = new java.util.ArrayList<>();
        for (RequestLog.Entry w : writes) {
            edges.add(new long[]{w.receivedAt().toEpochMilli() * 1000 + w.receivedAt().getNano() / 1000 % 1000, 1});
            edges.add(new long[]{w.at().toEpochMilli() * 1000 + w.at().getNano() / 1000 % 1000, -1});
        }
        edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int maxParallel = 0;
        int now = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            maxParallel = Math.max(maxParallel, now);
        }
        assertTrue(maxParallel >= 2, "lanes ran in parallel: " + maxParallel);
        assertTrue(maxParallel <= 4, "never more than the lanes: " + maxParallel);
        assertEquals(0, s.parked());
    }

    @Test
    void the_request_rate_stays_under_the_cap() throws Exception {
        rt.set("erp.max-requests-per-second", "5").set("sync.batch-size", "3").start();
        for (int i = 0; i < 30; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 500 + i);
        }

        CycleSummary s = rt.runCycle();

        assertEquals(11, s.requests(), "one read of the 30 items, ten writes of 3");
        Map<Long, Long> perSecond = erp.requests().entries().stream()
                .collect(Collectors.groupingBy(e -> e.receivedAt().getEpochSecond(), Collectors.counting()));
        assertTrue(perSecond.values().stream().allMatch(c -> c <= 5), "requests per second: " + perSecond);
        assertEquals(30, s.updated());
    }

    @Test
    void an_outage_opens_the_breaker_defers_the_rest_then_probes_close_it_and_nothing_is_lost() throws Exception {
        rt.set("sync.retry.max-retries", "0").set("sync.batch-size", "2").set("sync.read-size", "2").set("sync.lanes", "1")
                .set("sync.breaker.window", "4").set("sync.breaker.minimum-updates", "4").set("sync.breaker.failure-rate", "30")
                .set("sync.breaker.open-duration", "1s").set("sync.breaker.probes", "1").start();
        for (int i = 0; i < 20; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 800 + i);
        }
        erp.knobs().outageUntil = Instant.now().plusSeconds(3600);

        CycleSummary during = rt.runCycle();

        assertEquals(4, during.parked(), "two batches failed past their retries");
        assertEquals(16, during.deferred(), "then the breaker opened and the rest waits");
        assertEquals(2, erp.requests().entries().size(), "no request reached the ERP while the breaker was open");
        assertEquals(CycleSummary.DEFERRED, during.status());
        assertEquals(2, during.exitCode());
        UpdateBreaker breaker = rt.bean("erpBreaker", UpdateBreaker.class);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());

        erp.knobs().outageUntil = Instant.EPOCH;
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.state() == CircuitBreaker.State.HALF_OPEN);
        CycleSummary after = rt.runCycle();

        assertEquals(16, after.read(), "the deferred rows were read again");
        assertEquals(16, after.updated());
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "the probe succeeded");
        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"),
                new BreakerEvents(rt.store()).transitions());

        CycleSummary replay = rt.replay("all");
        assertEquals(4, replay.updated());
        for (int i = 0; i < 20; i++) {
            assertTrue(rt.lands(TestRuntime.sameSegment(i), 800 + i), "item " + TestRuntime.sameSegment(i));
        }
    }
}
