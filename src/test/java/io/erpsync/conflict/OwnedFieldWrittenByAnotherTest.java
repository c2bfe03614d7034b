package io.erpsync.conflict;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.Faults;
import io.erpsync.sandbox.RequestLog;
import io.erpsync.sandbox.SandboxItems;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A write that meets a newer version in which someone else changed the field we own (another
 * replica, an operator, a second integration) is never sent again with the value we held: the item's
 * newest WMS row decides. A change of other fields keeps today's re-read and merge.
 */
class OwnedFieldWrittenByAnotherTest extends SandboxTest {

    /** A cycle for sandbox item {@code n} at {@code qty}, its write held by the ERP until the test releases it. */
    CompletableFuture<CycleSummary> cycleWithItsWriteHeld(int n, long qty) throws Exception {
        rt.start();
        rt.wmsItem(n, qty);
        erp.faults().hold(Faults.Match.WRITE, 1);
        CompletableFuture<CycleSummary> cycle = CompletableFuture.supplyAsync(rt::runCycle);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.faults().held() == 1);
        return cycle;
    }

    @Test
    void when_another_writer_changed_our_field_after_our_read_the_newest_wms_row_is_written_never_the_value_we_held() throws Exception {
        String item = SandboxItems.itemNumber(7);
        CompletableFuture<CycleSummary> cycle = cycleWithItsWriteHeld(7, 10);

        // while our write of 10 is on its way, the warehouse moves on to 12 and another replica writes it
        rt.wmsItem(7, 12);
        erp.editItem(item, "M1", "OnhandQuantity", new BigDecimal("12"));
        erp.faults().release(false);
        CycleSummary s = cycle.get(60, TimeUnit.SECONDS);

        assertTrue(rt.lands(7, 12), "the ERP keeps the newest warehouse value, was " + rt.erpQuantity(7));
        List<SandboxItems.Change> ours = erp.history().stream().filter(c -> "client".equals(c.by()) && c.itemNumber().equals(item)).toList();
        assertTrue(ours.isEmpty(), "our stale 10 never applied: " + ours);
        long writes = erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).count();
        assertEquals(1, writes, "only the write that met the newer version; nothing sent with the value we held");
        assertEquals(0, s.parked());
        assertEquals(1, s.updated(), "the item counts updated: it reached the WMS's newest value");
    }

    @Test
    void when_another_user_changed_only_other_fields_our_value_is_merged_and_written_again() throws Exception {
        String item = SandboxItems.itemNumber(9);
        CompletableFuture<CycleSummary> cycle = cycleWithItsWriteHeld(9, 30);

        erp.editItem(item, "M1", "ItemDescription", "renamed by a planner");
        erp.faults().release(false);
        CycleSummary s = cycle.get(60, TimeUnit.SECONDS);

        assertTrue(rt.lands(9, 30));
        assertEquals("renamed by a planner", erp.item(item, "M1").get("ItemDescription"));
        assertEquals(2, erp.requests().entries().stream().filter(RequestLog.Entry::isWrite).count(), "the stale write, then ours again");
        assertEquals(1, s.updated());
    }
}
