package io.erpsync.conflict;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.core.CycleSummary;
import io.erpsync.ops.SyncService;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.store.ExceptionRow;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Locks held longer than a batch: a locked item waits off its lane, the locked items of a lane are
 * retried together, and the circuit breaker judges item updates, not calls.
 */
class LockRoundsTest extends SandboxTest {
    static final long FIRST_ID = 300100071600000L;

    void lock(Duration duration, int... items) {
        List<String> numbers = new ArrayList<>();
        for (int n : items) {
            numbers.add(String.format("ITM-%05d", n));
        }
        // a lock the job gate does not watch: the lock rounds have to deal with it
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, duration, erp.itemIds(numbers, "M1"));
    }

    List<RequestLog.Entry> writes() {
        return erp.requests().entries().stream().filter(RequestLog.Entry::isWrite)
                .sorted(Comparator.comparing(RequestLog.Entry::receivedAt)).toList();
    }

    @Test
    void a_locked_item_never_holds_its_lane_the_next_batches_go_while_it_waits() throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "5").set("sync.retry.lock-delays", "1s,1s,1s").start();
        for (int i = 0; i < 20; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 100 + i);
        }
        lock(Duration.ofMinutes(10), 1);

        CycleSummary s = rt.runCycle();

        assertEquals(19, s.updated());
        assertEquals(1, s.parked());
        List<RequestLog.Entry> writes = writes();
        int firstRound = -1;
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).parts() == 1 && writes.get(i).items().contains(FIRST_ID + 1)) {
                firstRound = i;
                break;
            }
        }
        assertTrue(firstRound > 0, "the locked item went alone in a lock round: " + writes);
        long batchesBefore = writes.subList(0, firstRound).stream().filter(w -> w.status() == 200).count();
        assertEquals(4, batchesBefore, "all four batches of the lane landed before the locked item's first round");
    }

    @Test
    void the_locked_items_of_a_lane_are_retried_together_then_parked_with_their_owner() throws Exception {
        // every item in every round: the rounds without their probes (next test)
        rt.set("sync.lanes", "1").set("sync.batch-size", "10").set("sync.retry.lock-delays", "2s,2s,2s").set("sync.retry.lock-probe", "false")
                .start();
        int[] locked = new int[10];
        for (int i = 0; i < 50; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 200 + i);
            if (i % 5 == 0) {
                locked[i / 5] = TestRuntime.sameSegment(i);
            }
        }
        lock(Duration.ofMinutes(10), locked);

        CycleSummary s = rt.runCycle();

        assertEquals(40, s.updated());
        assertEquals(10, s.parked());
        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(10, open.size());
        assertTrue(open.stream().allMatch(r -> r.failureClass().equals("RECORD_LOCKED") && "FUSION_BATCH".equals(r.lockOwner())), open.toString());
        Set<Long> lockedIds = new java.util.HashSet<>();
        for (int n : locked) {
            lockedIds.add(FIRST_ID + n);
        }
        List<RequestLog.Entry> rounds = writes().stream().filter(w -> lockedIds.containsAll(w.items())).toList();
        assertEquals(30, rounds.stream().mapToInt(RequestLog.Entry::parts).sum(), "3 rounds of the 10 locked items");
        assertTrue(rounds.size() <= 6, "the lane's locked items go out together, not one by one: " + rounds.size() + " round writes");
        // each batch: a read, a write refused for its locks, the rest again; each round: a read and a write
        assertTrue(s.requests() <= 5 * 3 + 2 * rounds.size(), "requests " + s.requests());
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("erpBreaker", UpdateBreaker.class).state());
    }

    @Test
    void a_round_before_the_last_writes_one_item_per_lock_owner_and_the_others_wait_untried_while_it_is_locked() throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "10").set("sync.retry.lock-delays", "1s,1s,1s").start();
        List<String> byPlanner = new ArrayList<>();
        List<String> byCostRollup = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 200 + i);
            if (i % 5 == 0) {
                (i % 10 == 0 ? byPlanner : byCostRollup).add(String.format("ITM-%05d", TestRuntime.sameSegment(i)));
            }
        }
        Set<Long> planner = erp.itemIds(byPlanner, "M1");
        Set<Long> costRollup = erp.itemIds(byCostRollup, "M1");
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(10), planner);
        erp.startJob("Cost Rollup", "COST_ADMIN", Duration.ZERO, Duration.ofMinutes(10), costRollup);
        Set<Long> locked = new java.util.HashSet<>(planner);
        locked.addAll(costRollup);

        CycleSummary s = rt.runCycle();

        assertEquals(40, s.updated());
        assertEquals(10, s.parked());
        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(5, open.stream().filter(r -> "FUSION_BATCH".equals(r.lockOwner())).count(), open.toString());
        assertEquals(5, open.stream().filter(r -> "COST_ADMIN".equals(r.lockOwner())).count(), open.toString());
        List<RequestLog.Entry> rounds = writes().stream().filter(w -> locked.containsAll(w.items())).toList();
        assertEquals(List.of(1, 1, 1, 1, 10), rounds.stream().map(RequestLog.Entry::parts).toList(),
                "rounds 1 and 2: one probe per owner, the last round every item: " + rounds);
        for (int r = 0; r < 4; r += 2) {
            Set<Long> probed = new java.util.HashSet<>(rounds.get(r).items());
            probed.addAll(rounds.get(r + 1).items());
            assertTrue(probed.stream().anyMatch(planner::contains) && probed.stream().anyMatch(costRollup::contains),
                    "a probe of each owner in the round: " + probed);
        }
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("erpBreaker", UpdateBreaker.class).state());
    }

    @Test
    void once_a_probe_lands_its_owners_other_items_go_in_the_same_round() throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "10").set("sync.retry.lock-delays", "1s,3s,3s").start();
        int[] numbers = new int[10];
        for (int i = 0; i < 50; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 300 + i);
            if (i % 5 == 0) {
                numbers[i / 5] = TestRuntime.sameSegment(i);
            }
        }
        lock(Duration.ofMinutes(10), numbers);
        Set<Long> locked = new java.util.HashSet<>();
        for (int n : numbers) {
            locked.add(FIRST_ID + n);
        }

        java.util.concurrent.CompletableFuture<CycleSummary> cycle = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return rt.runCycle();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the first round's probe met the lock: the job ends before the second round
        await().atMost(Duration.ofSeconds(30))
                .until(() -> writes().stream().anyMatch(w -> w.parts() == 1 && locked.containsAll(w.items())));
        erp.clearJobs();
        CycleSummary s = cycle.get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(50, s.updated());
        assertEquals(0, s.parked());
        for (int i = 0; i < 50; i++) {
            assertTrue(rt.lands(TestRuntime.sameSegment(i), 300 + i), "item " + TestRuntime.sameSegment(i));
        }
        List<RequestLog.Entry> rounds = writes().stream().filter(w -> locked.containsAll(w.items())).toList();
        assertEquals(List.of(1, 1, 9), rounds.stream().map(RequestLog.Entry::parts).toList(), "a probe that met the lock, a probe that "
                + "landed, then the other nine at once: " + rounds);
        assertTrue(rounds.get(0).status() != 200 && rounds.get(1).status() == 200 && rounds.get(2).status() == 200, rounds.toString());
    }

    @Test
    void a_probe_whose_answer_was_unusable_is_written_again_with_its_owners_others_and_each_of_them_is_counted_once() throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "10").set("sync.retry.lock-delays", "2s,2s,2s").start();
        int[] numbers = {TestRuntime.sameSegment(0), TestRuntime.sameSegment(1), TestRuntime.sameSegment(2)};
        for (int i = 0; i < 3; i++) {
            rt.wmsItem(numbers[i], 300 + i);
        }
        lock(Duration.ofMinutes(10), numbers);
        java.util.concurrent.CompletableFuture<CycleSummary> cycle = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return rt.runCycle();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the batch's own write met the three locks; round 1's probe then gets a proxy's page for an answer
        await().atMost(Duration.ofSeconds(30)).until(() -> writes().stream().anyMatch(w -> w.parts() == 3));
        erp.faults().add(new Faults.Fault(Faults.Kind.HTML, 200, 0, Faults.Match.WRITE), 1);
        CycleSummary s = cycle.get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(List.of(3, 1, 3, 1, 3), writes().stream().map(RequestLog.Entry::parts).toList(),
                "the batch; round 1: the probe (its answer unusable), then the probe read again and written with the owner's "
                        + "two others; round 2: a probe; round 3: all: " + writes());
        assertEquals(3, s.parked());
        assertEquals(0, s.updated());
        assertEquals(3, rt.exceptions("OPEN").stream().filter(r -> "FUSION_BATCH".equals(r.lockOwner())).count());
        // three locked items sent to the next round after the batch, round 1 and round 2: each once a round
        assertEquals(9, s.retried(), "each locked item counted once a round, not again as the probe's untried others");
    }

    @Test
    void a_newer_row_of_a_waiting_item_joins_it_and_the_older_value_is_never_written_after_the_newer() throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "3").set("sync.read-size", "3").set("sync.retry.lock-delays", "1s,1s,1s").start();
        rt.wmsItem(1, 501);
        rt.wmsItem(11, 11);
        rt.wmsItem(21, 21);
        rt.wmsItem(31, 31);
        rt.wmsItem(1, 502);
        rt.wmsItem(41, 41);
        lock(Duration.ofMillis(1500), 1);

        CycleSummary s = rt.runCycle();

        assertTrue(rt.lands(1, 502), "the newest WMS value: " + rt.erpQuantity(1));
        assertEquals(0, s.parked());
        List<RequestLog.Entry> writesOfItem = writes().stream().filter(w -> w.items().contains(FIRST_ID + 1)).toList();
        assertEquals("501", writesOfItem.get(0).quantities().get(FIRST_ID + 1), "the first batch carried the first row");
        assertEquals(400, writesOfItem.get(0).status(), "and met the lock");
        assertTrue(writesOfItem.subList(1, writesOfItem.size()).stream().allMatch(w -> "502".equals(w.quantities().get(FIRST_ID + 1))),
                "every later write carried the newer row: " + writesOfItem);
        for (RequestLog.Entry a : writesOfItem) {
            for (RequestLog.Entry b : writesOfItem) {
                assertFalse(a != b && a.receivedAt().isBefore(b.at()) && b.receivedAt().isBefore(a.at()), "two requests for item 1 at once");
            }
        }
    }

    @Test
    void two_percent_of_the_items_locked_past_the_retries_are_parked_and_the_breaker_stays_closed() throws Exception {
        rt.set("sync.retry.lock-delays", "50ms,50ms,50ms").start();
        int[] locked = new int[10];
        for (int n = 1; n <= 500; n++) {
            rt.wmsItem(n, 3000 + n);
        }
        for (int i = 0; i < 10; i++) {
            locked[i] = 1 + 50 * i;
        }
        lock(Duration.ofMinutes(10), locked);

        CycleSummary s = rt.runCycle();

        assertEquals(490, s.updated());
        assertEquals(10, s.parked());
        assertEquals(0, s.deferred());
        assertEquals(CycleSummary.PARKED, s.status());
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("erpBreaker", UpdateBreaker.class).state());
    }

    @Test
    void forty_percent_of_the_items_locked_opens_the_breaker_and_the_rest_is_deferred_below_the_watermark() throws Exception {
        // the breaker sees a locked item's failure only after its lock rounds, so the cycle must last
        // several times that: narrow batches at 40 ms a request, one short round, a short window
        rt.set("sync.retry.lock-delays", "10ms").set("sync.breaker.open-duration", "1s").set("sync.batch-size", "10")
                .set("sync.breaker.window", "50").set("sync.breaker.minimum-updates", "20").start();
        erp.knobs().latencyMs = 40;
        List<Integer> locked = new ArrayList<>();
        for (int n = 1; n <= 500; n++) {
            rt.wmsItem(n, 4000 + n);
            if (n % 5 < 2 && n % 2 == 1) {
                locked.add(n);
            }
        }
        // 40 % of organization M1's items (the lock helper works on M1)
        lock(Duration.ofMinutes(10), locked.stream().mapToInt(Integer::intValue).toArray());
        UpdateBreaker breaker = rt.bean("erpBreaker", UpdateBreaker.class);

        CycleSummary during = rt.runCycle();

        assertTrue(during.deferred() > 0, "the rest of the cycle waits for the next: " + during);
        assertEquals(CycleSummary.DEFERRED, during.status());
        assertTrue(during.updated() + during.parked() + during.deferred() + during.unchanged() == 500, during.toString());

        erp.clearJobs();
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.state() != CircuitBreaker.State.OPEN);
        CycleSummary after = rt.runCycle();
        assertTrue(after.read() >= during.deferred(), "the watermark stayed below the deferred rows: read " + after.read());
        Set<String> parked = new java.util.HashSet<>();
        rt.exceptions("OPEN").forEach(r -> parked.add(r.itemNumber()));
        for (int n = 1; n <= 500; n++) {
            assertTrue(rt.lands(n, 4000 + n) || parked.contains(String.format("ITM-%05d", n)), "item " + n + " landed or is parked");
        }
    }

    @Test
    void updates_the_erp_refuses_for_our_own_data_do_not_count_against_it() throws Exception {
        rt.set("sync.breaker.window", "10").set("sync.breaker.minimum-updates", "5").start();
        for (int i = 0; i < 30; i++) {
            rt.wms("NO-SUCH-" + i, "M1", "TOOLS", 5);
            rt.wmsItem(TestRuntime.sameSegment(i), 600 + i);
        }

        CycleSummary s = rt.runCycle();

        assertEquals(30, s.updated());
        assertEquals(30, s.parked());
        assertEquals(0, s.deferred());
        assertEquals(CircuitBreaker.State.CLOSED, rt.bean("erpBreaker", UpdateBreaker.class).state());
    }

    @Test
    void a_replay_of_40_released_items_is_one_read_and_one_batch_write() throws Exception {
        rt.set("sync.retry.lock-delays", "20ms").start();
        int[] items = new int[40];
        for (int i = 0; i < 40; i++) {
            items[i] = TestRuntime.sameSegment(i);
            rt.wmsItem(items[i], 7000 + i);
        }
        lock(Duration.ofMinutes(10), items);
        assertEquals(40, rt.runCycle().parked());
        erp.clearJobs();
        erp.requests().clear();

        CycleSummary replay = rt.replay("class=RECORD_LOCKED");

        assertEquals(40, replay.updated());
        assertEquals(2, replay.requests(), "one read and one batch write, not 40 read/write pairs");
        assertEquals(List.of(40), writes().stream().map(RequestLog.Entry::parts).toList());
        assertTrue(rt.exceptions("OPEN").isEmpty());
    }

    @Test
    void hot_items_go_in_batches_of_their_own_not_one_by_one() throws Exception {
        rt.set("sync.retry.lock-delays", "300ms").start();
        int[] items = new int[20];
        for (int i = 0; i < 20; i++) {
            items[i] = TestRuntime.sameSegment(i);
            rt.wmsItem(items[i], 8000 + i);
        }
        // held until the first write has met it (a lock ending as the ERP checks the parts of that write
        // would leave some of them cold), then released before the first 300 ms round
        lock(Duration.ofMinutes(5), items);
        CompletableFuture<CycleSummary> first = CompletableFuture.supplyAsync(rt::runCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.requests().count(e -> e.isWrite() && e.status() != 200) >= 1);
        erp.clearJobs();
        assertEquals(20, first.get(60, TimeUnit.SECONDS).updated(), "they met the lock, then landed in the first lock round");
        assertEquals(20, rt.bean("syncService", SyncService.class).getHotItems().length, "all 20 met the lock: they are hot");
        erp.requests().clear();
        for (int i = 0; i < 20; i++) {
            rt.wmsItem(items[i], 9000 + i);
        }
        rt.wmsItem(2, 42);

        CycleSummary s = rt.runCycle();

        assertEquals(21, s.updated());
        List<RequestLog.Entry> writes = writes();
        assertEquals(2, writes.size(), "one write for the hot items, one for the rest: " + writes);
        assertTrue(writes.stream().anyMatch(w -> w.parts() == 20), "the 20 hot items together");
    }
}
