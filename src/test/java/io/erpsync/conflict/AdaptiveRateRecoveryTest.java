package io.erpsync.conflict;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.SandboxTest;
import io.erpsync.core.CycleSummary;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** The shared request rate after a storm of 429s (erp.rate.*): lowered, then back at erp.max-requests-per-second. */
class AdaptiveRateRecoveryTest extends SandboxTest {

    @Test
    void a_storm_of_429_lowers_the_rate_every_item_still_lands_and_clean_seconds_bring_the_rate_back() throws Exception {
        rt.set("erp.max-requests-per-second", "40").set("erp.rate.increase", "10").set("sync.batch-size", "5")
                .set("sync.retry.initial-delay", "20ms").set("sync.retry.max-delay", "200ms").set("sync.retry.max-retries", "8").start();
        AdaptiveRate rate = rt.bean("erpRate", AdaptiveRate.class);
        for (int n = 1; n <= 30; n++) {
            rt.wmsItem(n, 60 + n);
        }
        erp.failNext(6, 429);

        CycleSummary s = rt.runCycle();

        for (int n = 1; n <= 30; n++) {
            assertTrue(rt.lands(n, 60 + n), "item " + n);
        }
        assertEquals(0, s.parked());
        assertEquals(6, erp.requests().count(e -> e.status() == 429), "the storm met");
        assertEquals(6, s.retried(), "each 429 retried once more");
        assertTrue(rate.decreases() >= 1, "the storm lowered the rate");
        await().atMost(Duration.ofSeconds(15)).until(() -> rate.current() == 40);

        long lowered = rate.decreases();
        for (int n = 1; n <= 30; n++) {
            rt.wmsItem(n, 160 + n);
        }
        CycleSummary after = rt.runCycle();

        assertEquals(30, after.updated());
        assertEquals(6, erp.requests().count(e -> e.status() == 429), "no 429 since the storm");
        assertEquals(0, after.retried());
        assertEquals(lowered, rate.decreases(), "a clean cycle lowers nothing");
        assertEquals(40, rate.current());
    }
}
