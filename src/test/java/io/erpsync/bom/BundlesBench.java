package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.erpsync.SandboxTest;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

/**
 * The bundles figure (bench/bundles.sh, not in mvn verify): 200 chained quantity changes over the
 * sandbox's 20 bills, each bill one bundle on the storefront sandbox, while a merchant edits 10 % of
 * the bundled products during the run (MerchantOnBundles). One row per seed: how the changes ended,
 * the merchant's values overwritten, the ConcurrentModificationExceptions our own writes caused on a
 * parent, our requests that overlapped another on the same parent, writes out of request order, and
 * requests per change. Fails unless the overwritten, collisions, overlaps and out of order are 0 and
 * every change has an outcome.
 */
@Tag("bench")
class BundlesBench extends SandboxTest {
    static final int CHANGES = Integer.getInteger("bundles.bench.changes", 200);
    static final int LATENCY_MS = Integer.getInteger("bundles.bench.latency-ms", 20);
    static final int WRITE_MS = Integer.getInteger("bundles.bench.write-ms", 5);

    @Test
    void two_hundred_changes_over_twenty_bundles_with_a_merchant_editing_ten_percent_overwrite_nothing_and_never_collide() throws Exception {
        String seeds = System.getProperty("bundles.bench.seeds", "1,2,3");
        System.out.printf("# Bundles bench %s, %d cores, %s; %d changes over %d bundles, ERP latency %d ms, a storefront write holds its "
                + "parent %d ms, bom.lanes 4, storefront.max-concurrent-requests 8%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), CHANGES, erp.billIds().size(), LATENCY_MS, WRITE_MS);
        System.out.println("| seed | changes | merchant edits | applied | already applied | parked | without outcome | merchant values "
                + "overwritten | CME from our writes | overlaps per parent | max in flight per parent | out of order | storefront req/change "
                + "| ERP req/change | cycle s |");
        System.out.println("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        eachSeed(seeds, this::run);
    }

    void run(long seed) throws Exception {
        try (SandboxStorefront sf = new SandboxStorefront(new SandboxStorefront.Config()).start()) {
            sf.writeMillis(WRITE_MS);
            List<Long> bills = erp.billIds();
            MerchantOnBundles.settings(rt, sf, MerchantOnBundles.bundles(erp, sf, bills));
            rt.start();
            MerchantOnBundles.inbox(rt);
            erp.knobs().latencyMs = LATENCY_MS;
            MerchantOnBundles.Figures f = MerchantOnBundles.run(rt, erp, sf, bills, CHANGES, seed, 8 * LATENCY_MS);
            System.out.printf("| %d | %d | %d | %d | %d | %s | %d | %d | %d | %d | %d | %d | %.2f | %.2f | %.1f |%n", seed, f.changes(),
                    f.merchantEdits(), f.applied(), f.unchanged(), f.parked(), f.withoutOutcome(), f.overwritten(), f.collisions(),
                    f.overlaps(), f.maxInFlight(), f.outOfOrder(), f.storefrontPerChange(), f.erpPerChange(), f.seconds());
            assertEquals(0, f.overwritten(), "the merchant's values overwritten");
            assertEquals(0, f.collisions(), "ConcurrentModificationExceptions caused by our own writes");
            assertEquals(0, f.overlaps(), "our requests overlapping on a parent");
            assertEquals(0, f.outOfOrder(), "writes out of request order");
            assertEquals(0, f.withoutOutcome(), "every change applied, already applied or parked");
        }
    }
}
