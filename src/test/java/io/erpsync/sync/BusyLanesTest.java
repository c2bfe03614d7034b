package io.erpsync.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.RequestLog;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** The busy-lane rule: a lane with nothing to do takes the fullest batch filling for it, it does not wait for a full read. */
class BusyLanesTest extends SandboxTest {
    static final int ROWS = 1200;

    @Override
    protected int sandboxItems() {
        return ROWS;
    }


    @Test
    void segments_that_never_fill_a_read_are_written_before_the_read_ends() throws Exception {
        // a completion interval of an hour and 10 segments of 120 items (a read holds 500) in two chunks of the
        // read: before the busy-lane rule nothing went to the ERP until the read had ended and the flush sent every
        // tail; now the lanes take whole writes from the first chunk on (the last chunk's rows go whole at its end)
        rt.set("sync.batch-size", "10").set("sync.batch.completion-interval", "1h").start();
        for (int n = 1; n <= ROWS; n++) {
            rt.wmsItem(n, 7000 + n);
        }
        AtomicLong writesBeforeTheReadEnded = new AtomicLong(-1);
        // the read ends only once the ERP has a write of this run (or 30 s passed): the lanes must have started on their own
        AdviceWith.adviceWith(rt.context(), "sync-cycle", a -> a.weaveById("all-rows-read").before().process(ex -> {
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> erp.requests().count(RequestLog.Entry::isWrite) > 0);
            } finally {
                writesBeforeTheReadEnded.set(erp.requests().count(RequestLog.Entry::isWrite));
            }
        }));

        CycleSummary s = rt.runCycle();

        assertTrue(writesBeforeTheReadEnded.get() > 0, "the ERP had " + writesBeforeTheReadEnded.get() + " writes when the read ended");
        assertEquals(CycleSummary.SUCCEEDED, s.status());
        assertEquals(ROWS, s.updated());
        for (int n = 1; n <= ROWS; n++) {
            assertTrue(rt.lands(n, 7000 + n), "item " + n);
        }
        // one item never in two requests: each item in exactly one write
        Set<Long> written = new HashSet<>();
        long parts = 0;
        for (RequestLog.Entry e : erp.requests().entries()) {
            if (e.isWrite()) {
                written.addAll(e.items());
                parts += e.items().size();
            }
        }
        assertEquals(ROWS, written.size());
        assertEquals(ROWS, parts, "no item written twice");
        assertTrue(erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).allMatch(e -> e.items().size() <= 10),
                "writes of the batch size at most");
    }
}
