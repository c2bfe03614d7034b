package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** A segment's writes shrink after a lock and grow back while they land clean (sync.batch.adaptive). */
class AdaptiveBatchSizeTest extends SandboxTest {
    static final long FIRST_ID = 300100071600000L;
    static final long LOCKED = FIRST_ID + TestRuntime.sameSegment(0);

    /** 50 changed items of one segment, the first locked by a job the gate does not watch; the writes' part counts, in order, without the lock rounds. */
    List<Integer> segmentWrites(boolean adaptive) throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "20").set("sync.batch.adaptive", String.valueOf(adaptive))
                .set("sync.batch.adaptive.floor", "5").set("sync.batch.adaptive.increase", "5").set("sync.retry.lock-delays", "1s,1s,1s")
                .start();
        for (int i = 0; i < 50; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 100 + i);
        }
        erp.startJob("Planner Workbench Session", "FUSION_BATCH", Duration.ZERO, Duration.ofMillis(1500),
                erp.itemIds(List.of(String.format("ITM-%05d", TestRuntime.sameSegment(0))), "M1"));

        CycleSummary s = rt.runCycle();

        assertEquals(50, s.updated(), "every item landed, the locked one in a lock round");
        assertEquals(0, s.parked());
        List<RequestLog.Entry> writes = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite)
                .sorted(Comparator.comparing(RequestLog.Entry::receivedAt)).toList();
        assertEquals(400, writes.get(0).status(), "the first write met the lock: " + writes);
        return writes.stream().filter(w -> !List.of(LOCKED).equals(List.copyOf(w.items()))).map(RequestLog.Entry::parts).toList();
    }

    @Test
    void after_a_lock_the_segment_writes_half_as_many_parts_then_grows_back_by_steps_to_its_size() throws Exception {
        List<Integer> parts = segmentWrites(true);

        assertEquals(List.of(20, 10, 15, 20, 4), parts, "halved after the lock, then +5 a clean write up to 20");
        assertEquals(20, rt.bean("batchSizes", AdaptiveBatchSizes.class).sizes().values().iterator().next(), "grown back");
    }

    @Test
    void with_adaptive_batches_off_every_write_has_the_configured_size() throws Exception {
        List<Integer> parts = segmentWrites(false);

        assertEquals(List.of(20, 20, 20, 9), parts, "the rolled-back parts and the next go again at the full size");
        assertTrue(rt.bean("batchSizes", AdaptiveBatchSizes.class).sizes().isEmpty());
    }

    @Test
    void while_every_write_meets_a_stale_version_the_segment_writes_at_the_floor_and_never_below_it() throws Exception {
        rt.set("sync.lanes", "1").set("sync.batch-size", "20").set("sync.batch.adaptive", "true").set("sync.batch.adaptive.floor", "5")
                .set("sync.batch.adaptive.increase", "5").start();
        for (int i = 0; i < 45; i++) {
            rt.wmsItem(TestRuntime.sameSegment(i), 700 + i);
        }
        // another user edits every item right after the read: each first write of an item meets a newer version
        erp.knobs().editAfterReadRate = 1.0;

        CycleSummary s = rt.runCycle();

        assertEquals(45, s.updated(), s.toString());
        assertEquals(0, s.parked());
        List<Integer> parts = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite)
                .sorted(Comparator.comparing(RequestLog.Entry::receivedAt)).map(RequestLog.Entry::parts).toList();
        assertEquals(20, parts.get(0), "the configured size first: " + parts);
        assertEquals(10, parts.get(1), "halved: " + parts);
        assertTrue(parts.subList(0, parts.size() - 2).stream().allMatch(p -> p >= 5), "never below the floor but at the tail: " + parts);
        assertTrue(parts.subList(2, parts.size() - 2).contains(5), "down to the floor: " + parts);
        assertTrue(rt.bean("batchSizes", AdaptiveBatchSizes.class).sizes().values().iterator().next() >= 5);
    }
}
