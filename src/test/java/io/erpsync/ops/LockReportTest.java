package io.erpsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.store.SyncAttempts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

class LockReportTest {

    @Test
    void the_report_finds_the_item_that_locks_most_and_when() throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(100); TestRuntime rt = new TestRuntime(erp).start()) {
            rt.wmsItem(1, 1);
            CycleSummary cycle = rt.runCycle();
            SyncAttempts attempts = rt.bean("syncAttempts", SyncAttempts.class);
            // a planted hot item: locked by FUSION_BATCH on Tuesdays at 09:xx UTC, and one stale conflict elsewhere
            Instant tuesday9 = Instant.parse("2026-11-17T09:15:00Z");
            for (int i = 0; i < 5; i++) {
                attempts.log(new SyncAttempts.Attempt(cycle.runId(), tuesday9.plusSeconds(60L * i), "ITM-02847", "M1", "PATCH", 409,
                        "RECORD_LOCKED", i + 1, 2000L, false, "FUSION_BATCH"));
            }
            attempts.log(new SyncAttempts.Attempt(cycle.runId(), Instant.parse("2026-11-20T14:00:00Z"), "ITM-00005", "M1", "BATCH", 200,
                    "STALE_ETAG", 1, null, false, null));

            LockReport.Report r = rt.bean("lockReport", LockReport.class).since(Instant.parse("2026-11-15T00:00:00Z"));

            assertEquals(new LockReport.ItemCount("ITM-02847", "M1", 5), r.hottestItems().get(0));
            assertEquals(5L, r.byOwner().get("FUSION_BATCH"));
            assertEquals(5L, r.heatmap()[1][9], "Tuesday, 09:00-10:00");
            assertEquals(1L, r.heatmap()[4][14], "Friday, 14:00-15:00");
            assertEquals(1, r.cycles().size());
            String text = LockReport.text(r);
            assertTrue(text.contains("ITM-02847"), text);
            JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
            assertEquals("ITM-02847", json.path("hottestItems").get(0).path("item").asText());

            LockReport.Report berlin = new LockReport(rt.store(), ZoneId.of("Europe/Berlin")).since(Instant.parse("2026-11-15T00:00:00Z"));
            assertEquals(5L, berlin.heatmap()[1][10], "the same conflicts at 10:xx Berlin time");
            assertTrue(List.of(berlin.hottestItems().get(0).item()).contains("ITM-02847"));
            assertTrue(Duration.between(Instant.parse(r.since()), Instant.now()).toDays() >= 0);
        }
    }
}
