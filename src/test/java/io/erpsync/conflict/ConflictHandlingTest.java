package io.erpsync.conflict;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.WebhookCapture;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.SyncAttempts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The conflict policy end to end: the real routes against the sandbox's locks, stale ETags and throttling. */
class ConflictHandlingTest extends SandboxTest {



    void lock(Duration duration, int... items) {
        List<String> numbers = new ArrayList<>();
        for (int n : items) {
            numbers.add(String.format("ITM-%05d", n));
        }
        // a lock the job gate does not watch: the retry policy has to deal with it
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, duration, erp.itemIds(numbers, "M1"));
    }

    List<SyncAttempts.Attempt> attempts(long run, String item) {
        return rt.bean("syncAttempts", SyncAttempts.class).ofRun(run).stream().filter(a -> item.equals(a.itemNumber())).toList();
    }

    @Test
    void a_replay_that_fails_on_its_way_opens_its_claimed_rows_again_and_keeps_no_later_run_out() throws Exception {
        rt.set("sync.retry.lock-delays", "20ms").start();
        int[] items = {TestRuntime.sameSegment(0), TestRuntime.sameSegment(1)};
        rt.wmsItem(items[0], 7000);
        rt.wmsItem(items[1], 7001);
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMinutes(10),
                erp.itemIds(List.of(String.format("ITM-%05d", items[0]), String.format("ITM-%05d", items[1])), "M1"));
        assertEquals(2, rt.runCycle().parked());
        erp.clearJobs();
        // the WMS table is away while the replay reads each item's newest row
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(rt.wmsUrl)) {
            c.createStatement().execute("ALTER TABLE stock_level RENAME TO stock_level_away");
        }

        CycleSummary failed = rt.replay("class=RECORD_LOCKED");

        assertEquals(CycleSummary.FAILED, failed.status(), failed.toString());
        assertEquals(2, rt.exceptions("OPEN").size(), "claimed, not replayed: open again, not hidden as REPLAYED");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(rt.wmsUrl)) {
            c.createStatement().execute("ALTER TABLE stock_level_away RENAME TO stock_level");
        }
        CycleSummary again = rt.replay("class=RECORD_LOCKED");
        assertEquals(2, again.updated(), "the next replay was let in and replayed both: " + again);
        assertTrue(rt.lands(items[0], 7000) && rt.lands(items[1], 7001));
        assertEquals(0, rt.exceptions("OPEN").size());
    }

    @Test
    void a_lock_released_after_3_s_is_retried_in_lock_rounds_after_2_s_and_5_s_and_every_item_lands() throws Exception {
        rt.start();
        for (int i = 0; i < 5; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 700 + i);
        }
        lock(Duration.ofSeconds(3), 11);

        CycleSummary s = rt.runCycle();

        for (int i = 0; i < 5; i++) {
            assertTrue(rt.lands(TestRuntime.sameSegment(i), 700 + i), "item " + TestRuntime.sameSegment(i));
        }
        assertEquals(5, s.updated());
        assertEquals(0, s.parked());
        List<SyncAttempts.Attempt> tries = attempts(s.runId(), "ITM-00011");
        assertEquals(List.of(2000L, 5000L), tries.stream().map(SyncAttempts.Attempt::delayMs).toList(),
                "locked in the batch, then in the first lock round; each waits for the next round: " + tries);
        assertTrue(tries.stream().allMatch(a -> "FUSION_BATCH".equals(a.lockOwner()) && a.httpStatus() == 409));
        // the rounds were read and written again, each at least its wait after the one before
        List<RequestLog.Entry> writes = writesOf(300100071600011L);
        assertEquals(3, writes.size(), "the batch, round 1 (still locked), round 2 (lands): " + writes);
        assertTrue(Duration.between(writes.get(0).at(), writes.get(1).receivedAt()).toMillis() >= 2000);
        assertTrue(Duration.between(writes.get(1).at(), writes.get(2).receivedAt()).toMillis() >= 5000);
        assertEquals(200, writes.get(2).status());
    }

    /** The batch writes that carried this item, in the order the ERP received them. */
    List<RequestLog.Entry> writesOf(long itemId) {
        return erp.requests().entries().stream().filter(e -> e.isWrite() && e.items().contains(itemId))
                .sorted(java.util.Comparator.comparing(RequestLog.Entry::receivedAt)).toList();
    }

    @Test
    void a_lock_longer_than_the_budget_is_parked_with_its_owner_and_a_replay_after_release_sends_the_newest_quantity() throws Exception {
        rt.set("sync.retry.lock-delays", "50ms,100ms,150ms").start();
        rt.wmsItem(1, 111);
        rt.wmsItem(11, 222);
        lock(Duration.ofMinutes(5), 11);

        CycleSummary s = rt.runCycle();

        assertTrue(rt.lands(1, 111));
        assertEquals(1, s.parked());
        ExceptionRow row = rt.exceptions("OPEN").get(0);
        assertEquals("ITM-00011", row.itemNumber());
        assertEquals("RECORD_LOCKED", row.failureClass());
        assertEquals("FUSION_BATCH", row.lockOwner());
        assertEquals(409, row.httpStatus());
        assertEquals("RECORD_LOCKED: Item ITM-00011 locked by user FUSION_BATCH", row.erpMessage());
        assertEquals(0, new java.math.BigDecimal("222").compareTo(row.wantedQuantity()));

        erp.clearJobs();
        rt.wmsItem(11, 333);
        CycleSummary replay = rt.replay("class=RECORD_LOCKED");

        assertTrue(rt.lands(11, 333), "the replay re-read the WMS: the newer quantity, never the parked one");
        assertEquals(1, replay.updated());
        assertEquals("RESOLVED", rt.exceptions(null).get(0).status());
    }

    @Test
    void one_locked_item_in_a_batch_of_50_does_not_hold_back_the_other_49() throws Exception {
        rt.set("sync.retry.lock-delays", "50ms,50ms,50ms").start();
        for (int i = 0; i < 50; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 1000 + i);
        }
        lock(Duration.ofMinutes(5), 21);

        CycleSummary s = rt.runCycle();

        List<RequestLog.Entry> batches = erp.requests().entries().stream().filter(e -> e.method().equals("POST")).toList();
        assertEquals(400, batches.get(0).status());
        assertEquals(50, batches.get(0).parts());
        assertEquals(200, batches.get(1).status(), "the first resubmission lands");
        assertEquals(49, batches.get(1).parts(), "without the locked part");
        for (int i = 0; i < 50; i++) {
            if (TestRuntime.sameSegment(i) != 21) {
                assertTrue(rt.lands(TestRuntime.sameSegment(i), 1000 + i), "item " + TestRuntime.sameSegment(i));
            }
        }
        assertEquals(49, s.updated());
        assertEquals(1, s.parked());
        // 1 read + 2 batch writes, then 3 lock rounds of a fresh read and a one-part batch write each
        assertEquals(9, s.requests());
        assertEquals(List.of(1, 1, 1), batches.subList(2, batches.size()).stream().map(RequestLog.Entry::parts).toList());
        assertEquals(0, erp.requests().count(e -> e.method().equals("PATCH") || e.method().equals("PUT")), "never a single PATCH, never PUT");
    }

    @Test
    void retry_after_in_seconds_and_as_an_http_date_sets_the_wait_when_longer_than_the_policy() throws Exception {
        rt.set("sync.retry.initial-delay", "100ms").start();
        erp.knobs().retryAfterSeconds = 1;
        erp.failNext(1, 429);
        rt.wmsItem(1, 5);
        CycleSummary first = rt.runCycle();
        assertTrue(rt.lands(1, 5));
        assertTrue(gapAfterFault(429).toMillis() >= 950, "waited " + gapAfterFault(429));
        SyncAttempts.Attempt a = rt.bean("syncAttempts", SyncAttempts.class).ofRun(first.runId()).get(0);
        assertTrue(a.retryAfterUsed());
        assertTrue(a.delayMs() >= 950, "waited " + a.delayMs() + " ms");

        erp.requests().clear();
        erp.knobs().retryAfterAsDate = true;
        erp.knobs().retryAfterSeconds = 2;
        erp.failNext(1, 503);
        rt.wmsItem(1, 6);
        CycleSummary second = rt.runCycle();
        assertTrue(rt.lands(1, 6));
        // an HTTP-date has whole seconds: "in 2 s" waits between 1 and 2 s
        assertTrue(gapAfterFault(503).toMillis() >= 950, "waited " + gapAfterFault(503));
        assertTrue(rt.bean("syncAttempts", SyncAttempts.class).ofRun(second.runId()).get(0).retryAfterUsed());
    }

    Duration gapAfterFault(int status) {
        List<RequestLog.Entry> log = erp.requests().entries();
        for (int i = 0; i < log.size() - 1; i++) {
            if (log.get(i).status() == status) {
                return Duration.between(log.get(i).at(), log.get(i + 1).at());
            }
        }
        throw new AssertionError("no " + status + " in " + log);
    }

    @Test
    void storms_of_429_and_503_back_off_and_converge() throws Exception {
        rt.set("sync.retry.initial-delay", "20ms").set("sync.retry.max-delay", "200ms").set("sync.retry.max-retries", "12")
                .set("sync.batch-size", "10").start();
        for (int n = 1; n <= 60; n++) {
            rt.wmsItem(n, 40 + n);
        }
        // 40 % of requests refused: with 12 retries a request gives up with odds of 0.4^13, about 1 in 150,000
        erp.knobs().throttleRate = 0.25;
        erp.knobs().unavailableRate = 0.15;

        CycleSummary s = rt.runCycle();

        erp.knobs().throttleRate = 0;
        erp.knobs().unavailableRate = 0;
        for (int n = 1; n <= 60; n++) {
            assertTrue(rt.lands(n, 40 + n), "item " + n);
        }
        assertEquals(0, s.parked());
        assertTrue(s.retried() > 0);
        assertEquals(erp.requests().entries().size(), s.requests());
        assertEquals(erp.requests().count(e -> e.status() == 429 || e.status() == 503), s.retried());
    }

    @Test
    void another_user_editing_the_description_meanwhile_keeps_their_edit_and_gets_our_quantity() throws Exception {
        rt.start();
        for (int i = 0; i < 10; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 300 + i);
        }
        erp.knobs().editAfterReadRate = 1.0;

        CycleSummary s = rt.runCycle();

        for (int i = 0; i < 10; i++) {
            Map<String, Object> item = rt.erpItem(TestRuntime.sameSegment(i));
            assertTrue(rt.lands(TestRuntime.sameSegment(i), 300 + i));
            assertTrue(String.valueOf(item.get("ItemDescription")).startsWith("Edited by planner"), "their edit stays: " + item);
        }
        assertEquals(10, s.updated());
        assertEquals(10, s.conflicts());
        assertEquals(0, s.parked());
        // every part came back stale with the current version, and went again with it at once
        assertEquals(List.of(10, 10), erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).map(RequestLog.Entry::parts).toList());
        assertEquals(3, s.requests());
    }

    @Test
    void an_item_that_met_a_conflict_goes_in_the_hot_lane_in_the_next_cycles_not_in_a_batch_it_could_roll_back() throws Exception {
        rt.set("sync.retry.lock-delays", "300ms,300ms,300ms").start();
        rt.wmsItem(1, 1);
        rt.wmsItem(11, 2);
        // held until the first write has met it, then released within the three 300 ms rounds
        lock(Duration.ofMinutes(5), 11);
        CompletableFuture<CycleSummary> cycle = CompletableFuture.supplyAsync(rt::runCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.requests().count(e -> e.isWrite() && e.status() != 200) >= 1);
        erp.clearJobs();
        CycleSummary first = cycle.get(60, TimeUnit.SECONDS);
        assertTrue(rt.lands(11, 2));
        assertTrue(first.conflicts() >= 1, "the lock was met: " + first);
        erp.requests().clear();

        rt.wmsItem(1, 3);
        rt.wmsItem(11, 4);
        rt.wmsItem(21, 5);
        CycleSummary s = rt.runCycle();

        assertTrue(rt.lands(1, 3) && rt.lands(11, 4) && rt.lands(21, 5));
        List<RequestLog.Entry> batches = erp.requests().entries().stream().filter(e -> e.method().equals("POST")).toList();
        assertEquals(2, batches.size());
        RequestLog.Entry hot = batches.stream().filter(b -> b.items().contains(300100071600011L)).findFirst().orElseThrow();
        assertEquals(1, hot.parts(), "the hot item has a batch of its own");
        assertEquals(3, s.updated());
    }

    /** The URL of a loopback port nothing listens on: every call is refused. */
    static String unreachableErp() throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + probe.getLocalPort();
        }
    }

    @Test
    void an_unreachable_erp_is_retried_with_backoff_then_the_batch_is_parked_as_server_error() throws Exception {
        rt.set("erp.base-url", unreachableErp()).set("sync.retry.initial-delay", "10ms")
                .set("sync.retry.max-retries", "2").start();
        rt.wmsItem(1, 9);
        rt.wmsItem(11, 9);

        CycleSummary s = rt.runCycle();

        assertEquals(2, s.parked());
        assertEquals(2, s.retried());
        assertEquals(3, s.requests(), "the first try and two retries");
        ExceptionRow row = rt.exceptions("OPEN").get(0);
        assertEquals("SERVER_ERROR", row.failureClass());
        assertTrue(row.erpMessage().contains("Connect"), row.erpMessage());
    }

    @Test
    void an_operator_who_still_writes_max_attempts_gets_that_many_retries() throws Exception {
        rt.set("erp.base-url", unreachableErp()).set("sync.retry.initial-delay", "10ms")
                .set("sync.retry.max-attempts", "1").start();
        rt.wmsItem(1, 9);

        CycleSummary s = rt.runCycle();

        assertEquals(1, s.parked());
        assertEquals(2, s.requests(), "the first try and the one retry the old name asks for, read as sync.retry.max-retries");
    }

    @Test
    void a_404_is_parked_at_once_with_the_erp_message() throws Exception {
        rt.start();
        rt.wmsItem(1, 9);
        erp.failNext(1, 404);

        CycleSummary s = rt.runCycle();

        assertEquals(1, s.requests(), "not retried");
        ExceptionRow row = rt.exceptions("OPEN").get(0);
        assertEquals("REJECTED", row.failureClass());
        assertEquals(404, row.httpStatus());
        assertEquals("Error 404: Injected fault 404.", row.erpMessage());
    }

    @Test
    void the_alert_fires_above_5_percent_parked_and_not_below() throws Exception {
        try (WebhookCapture hook = new WebhookCapture()) {
            List<String> posts = hook.posts();
            rt.set("sync.alert.webhook-url", hook.url()).start();
            // 1 unknown of 50: 2 %, below the threshold
            for (int n = 1; n <= 49; n++) {
                rt.wmsItem(n, n);
            }
            rt.wms("NO-SUCH-1", "M1", "TOOLS", 1);
            CycleSummary below = rt.runCycle();
            assertEquals(1, below.parked());
            // 2 unknown of 20: 10 %, above
            for (int n = 50; n <= 67; n++) {
                rt.wmsItem(n, n);
            }
            rt.wms("NO-SUCH-2", "M1", "TOOLS", 1);
            rt.wms("NO-SUCH-3", "M1", "TOOLS", 1);
            CycleSummary above = rt.runCycle();
            assertEquals(2, above.parked());

            await().atMost(Duration.ofSeconds(10)).until(() -> posts.size() >= 1);
            assertEquals(1, posts.size(), posts.toString());
            assertTrue(posts.get(0).contains("\"run\":" + above.runId()), posts.get(0));
            assertTrue(posts.get(0).contains("\"parked\":2"), posts.get(0));
        }
    }

    @Test
    void two_replays_at_once_on_two_nodes_apply_each_exception_once() throws Exception {
        rt.set("sync.retry.lock-delays", "20ms").start();
        int[] items = {1, 11, 21, 31, 41, 51, 61, 71};
        for (int n : items) {
            rt.wmsItem(n, 5000 + n);
        }
        lock(Duration.ofMinutes(5), items);
        assertEquals(items.length, rt.runCycle().parked());
        erp.clearJobs();
        erp.requests().clear();

        try (TestRuntime other = new TestRuntime(erp, rt.wmsUrl, rt.storeUrl).set("sync.retry.lock-delays", "20ms").start()) {
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<CycleSummary>> replays = new ArrayList<>();
            for (TestRuntime node : List.of(rt, other)) {
                replays.add(pool.submit(() -> {
                    go.await();
                    return node.replay("all");
                }));
            }
            go.countDown();
            int applied = 0;
            for (Future<CycleSummary> f : replays) {
                applied += f.get().updated();
            }
            pool.shutdown();

            assertEquals(items.length, applied, "each exception applied by exactly one node");
            for (int n : items) {
                assertTrue(rt.lands(n, 5000 + n));
                long id = 300100071600000L + n;
                assertEquals(1, erp.requests().count(e -> e.isWrite() && e.items().contains(id)), "item " + n + " written once");
            }
            assertTrue(rt.exceptions(null).stream().allMatch(r -> r.status().equals("RESOLVED")));
        }
    }
}
