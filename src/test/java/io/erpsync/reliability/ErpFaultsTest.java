package io.erpsync.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.check.HistoryChecker;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.Faults.Kind;
import io.erpsync.sandbox.Faults.Match;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.SyncAttempts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * The ERP misbehaving in every way the issue names, against the real routes: each fault is
 * classified, retried or parked with a reason, the cycle never hangs, and the history checker
 * passes (nothing lost, nothing older over newer, nobody else's field overwritten).
 */
class ErpFaultsTest extends SandboxTest {
    static final int ITEMS = 40;
    HistoryChecker checker;

    @BeforeEach
    void fastRetries() throws Exception {
        rt.set("sync.retry.initial-delay", "50ms").set("sync.retry.max-delay", "200ms").set("sync.retry.max-retries", "3")
                .set("sync.retry.lock-delays", "100ms,200ms");
        checker = new HistoryChecker(erp, rt.wmsUrl, rt.storeUrl);
    }

    /** 40 items in four segments, each with a new value. */
    void changeItems() throws Exception {
        for (int n = 1; n <= ITEMS; n++) {
            rt.wmsItem(n, 9000 + n);
        }
    }

    void fault(Kind kind, int status, long amount, Match match, int count) {
        erp.faults().add(new Faults.Fault(kind, status, amount, match), count);
    }

    long unanswered() {
        return erp.requests().count(e -> e.status() < 0);
    }

    /** Each item's newest value was applied exactly once: the answer lost, the write was never repeated over itself. */
    void assertEveryItemLandedOnce(CycleSummary s) {
        HistoryChecker.Report r = checker.assertHolds();
        assertEquals(ITEMS, r.synced(), r.toString());
        assertEquals(ITEMS, r.clientWrites(), "one applied write per item: " + r);
        assertEquals(0, s.parked(), s.toString());
        assertEquals("SUCCEEDED", s.status(), s.toString());
        assertEquals(ITEMS, s.updated(), "every changed item counted updated, also one whose write answer was lost: " + s);
    }

    @Test
    void a_connection_reset_before_the_erp_did_anything_is_retried_and_every_item_lands() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.RESET_BEFORE, 0, 0, Match.WRITE, 2);

        CycleSummary s = rt.runCycle();

        assertEquals(2, unanswered(), "the two writes the ERP cut off");
        assertEveryItemLandedOnce(s);
        List<SyncAttempts.Attempt> retries = rt.bean("syncAttempts", SyncAttempts.class).ofRun(s.runId());
        assertTrue(retries.stream().anyMatch(a -> "SERVER_ERROR".equals(a.failureClass()) && a.httpStatus() == null), retries.toString());
    }

    @Test
    void a_write_applied_whose_answer_was_lost_is_retried_with_the_same_etag_and_never_applied_twice() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.RESET_AFTER, 0, 0, Match.WRITE, 1);

        CycleSummary s = rt.runCycle();

        assertEquals(1, unanswered());
        // the repeat met preconditionSucceeded false for the items already applied, which read as in step
        assertEveryItemLandedOnce(s);
    }

    @Test
    void a_hung_erp_times_out_the_call_which_is_retried_and_the_late_write_applies_nothing_older() throws Exception {
        rt.set("camel.component.http.response-timeout", "1000").start();
        changeItems();
        fault(Kind.HANG, 0, 3000, Match.WRITE, 1);

        CycleSummary s = rt.runCycle();
        // the hung request finishes in the ERP after the client gave up on it: wait for it before judging
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.requests().count(e -> e.isWrite()
                && Duration.between(e.receivedAt(), e.at()).toMillis() >= 3000) == 1);

        assertEveryItemLandedOnce(s);
        assertTrue(erp.requests().count(RequestLog.Entry::isWrite) >= 2, "the timed-out write was sent again");
    }

    @Test
    void bursts_of_500_and_503_are_retried_within_the_budget_and_every_item_lands() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.STATUS, 500, 0, Match.ANY, 2);
        fault(Kind.STATUS, 503, 0, Match.ANY, 2);
        fault(Kind.STATUS, 502, 0, Match.WRITE, 1);

        CycleSummary s = rt.runCycle();

        assertEveryItemLandedOnce(s);
        assertTrue(erp.requests().count(e -> e.status() >= 500) >= 5);
    }

    @Test
    void an_outage_parks_the_items_with_the_reason_and_after_it_a_replay_lands_them() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.STATUS, 503, 0, Match.ANY, 100_000);

        CycleSummary during = rt.runCycle();

        assertEquals(0, checker.check().synced());
        checker.assertHolds();
        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(ITEMS, open.size() + during.deferred(), during.toString());
        assertTrue(open.stream().allMatch(r -> r.reason().contains("HTTP 503")), open.toString());

        erp.faults().clear();
        CycleSummary next = rt.runCycle();
        CycleSummary replay = rt.replay("all");

        HistoryChecker.Report r = checker.assertHolds();
        assertEquals(ITEMS, r.synced(), next + " / " + replay + " / " + r);
        assertEquals(0, rt.exceptions("OPEN").size());
    }

    @Test
    void a_truncated_answer_to_a_write_is_read_again_and_the_applied_items_are_found_in_step() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.TRUNCATED, 0, 0, Match.WRITE, 1);

        CycleSummary s = rt.runCycle();

        assertEveryItemLandedOnce(s);
    }

    @Test
    void a_segments_batch_sent_after_one_that_failed_past_its_retries_still_gets_every_retry_of_its_own() throws Exception {
        // one lane, batches of 10: the segment's second batch waits for the first and goes out once it is through
        rt.set("sync.lanes", "1").set("sync.batch-size", "10").set("sync.read-size", "10").start();
        for (int i = 0; i < 20; i++) {
            rt.wmsItem(io.erpsync.TestRuntime.sameSegment(i), 9000 + i);
        }
        // the first batch's read: refused past its 3 retries; then the second batch's first read refused once
        fault(Kind.STATUS, 503, 0, Match.READ, 5);

        CycleSummary s = rt.runCycle();

        assertEquals(10, s.parked(), "the first batch's items only: " + s);
        assertEquals(10, s.updated(), "the second batch retried its read and landed: " + s);
        assertEquals(0, erp.faults().queued());
    }

    @Test
    void a_read_answered_with_text_instead_of_json_is_read_again() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.NOT_JSON, 0, 0, Match.READ, 2);

        CycleSummary s = rt.runCycle();

        assertEveryItemLandedOnce(s);
    }

    @Test
    void a_proxys_html_error_page_is_retried_as_a_server_error_and_an_html_200_is_read_again() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.HTML, 502, 0, Match.ANY, 2);
        fault(Kind.HTML, 200, 0, Match.WRITE, 1);

        CycleSummary s = rt.runCycle();

        assertEveryItemLandedOnce(s);
    }

    @Test
    void a_batch_answer_that_leaves_out_a_part_or_names_an_unknown_one_has_those_items_read_again() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.MISSING_PARTS, 0, 0, Match.WRITE, 1);
        fault(Kind.UNKNOWN_PART, 0, 0, Match.WRITE, 1);

        CycleSummary s = rt.runCycle();

        assertEveryItemLandedOnce(s);
    }

    @Test
    void answers_that_never_parse_park_the_items_with_what_the_erp_sent() throws Exception {
        rt.start();
        changeItems();
        fault(Kind.NOT_JSON, 0, 0, Match.READ, 1000);

        CycleSummary s = rt.runCycle();

        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertEquals(ITEMS, open.size(), s.toString());
        assertTrue(open.stream().allMatch(r -> "UNREADABLE_ANSWER".equals(r.failureClass())
                && r.reason().contains("could not be used 4 times in a row") && r.reason().contains("not JSON")), open.get(0).reason());
        checker.assertHolds();
        // four reads per segment's batch and not one more: the cycle gave up instead of looping
        long segments = java.util.stream.IntStream.rangeClosed(1, ITEMS).mapToObj(n -> rt.erpItem(n).get("OrganizationCode") + "|"
                + rt.erpItem(n).get("ItemCategory")).distinct().count();
        assertEquals(4 * segments, erp.requests().count(e -> !e.isWrite()), s.toString());
    }

    @Test
    void an_answer_larger_than_the_limit_is_not_read_and_the_items_are_parked_with_the_limit_named() throws Exception {
        rt.set("erp.max-answer-size", "256KB").start();
        changeItems();
        fault(Kind.HUGE, 0, 2_000_000, Match.READ, 1);

        CycleSummary s = rt.runCycle();

        List<ExceptionRow> open = rt.exceptions("OPEN");
        assertTrue(!open.isEmpty() && open.size() < ITEMS, "only the batch that met the huge answer: " + s);
        assertTrue(open.stream().allMatch(r -> r.reason().contains("larger than erp.max-answer-size (262144 bytes)")),
                open.get(0).reason());
        checker.assertHolds();
        rt.replay("all");
        assertEquals(ITEMS, checker.assertHolds().synced());
    }
}
