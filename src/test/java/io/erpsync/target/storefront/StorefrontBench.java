package io.erpsync.target.storefront;

import io.erpsync.TestRuntime;
import io.erpsync.core.CycleSummary;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.sync.CycleRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * The storefront figure (README: Storefront, bench/RESULTS.md): N changed rows to both targets in one
 * cycle each (bench.storefront.items, 20,000 by default), clean, with orders racing on 5 % of the
 * records, and with 2 % of the records busy with an import job. Prints one markdown row per scenario;
 * run by bench/storefront.sh, never in mvn verify.
 */
@Tag("bench")
class StorefrontBench {
    static final int ITEMS = Integer.getInteger("bench.storefront.items", 20_000);

    @Test
    void both_targets_in_one_cycle() throws Exception {
        System.out.println("# storefront bench: " + ITEMS + " changed rows, targets = erp,storefront, " + System.getProperty("java.version"));
        System.out.println("| scenario | ERP updated | ERP s | storefront updated | parked | conflicts | storefront requests | req/item | tokens "
                + "| storefront s | both s | equal to the WMS |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String scenario : new String[] {"clean", "orders-5%", "busy-2%"}) {
            run(scenario);
        }
    }

    private void run(String scenario) throws Exception {
        try (SandboxErp erp = TestRuntime.sandbox(ITEMS); SandboxStorefront sf = new SandboxStorefront(new SandboxStorefront.Config()).start()) {
            for (int n = 1; n <= ITEMS; n++) {
                sf.addRecord(TwoTargetsTest.list(n), SandboxItems.itemNumber(n), 0);
            }
            try (TestRuntime rt = new TestRuntime(erp).set("targets", "erp,storefront").set("storefront.base-url", sf.baseUrl())
                    .set("storefront.client-id", "erp-sync").set("storefront.client-secret", "sandbox")
                    .set("storefront.inventory-lists", "M1:inventory_m1, M2:inventory_m2")
                    .set("storefront.max-requests-per-second", "10000").set("sync.retry.lock-delays", "100ms,200ms,300ms")) {
                rt.start();
                for (int n = 1; n <= ITEMS; n++) {
                    rt.wmsItem(n, TwoTargetsTest.wanted(n));
                }
                if (scenario.equals("orders-5%")) {
                    sf.placeOrdersEvery(20, 0.05, 7);
                    sf.writeMillis(2);
                }
                if (scenario.equals("busy-2%")) {
                    for (int n = 50; n <= ITEMS; n += 50) {
                        sf.holdRecord(TwoTargetsTest.list(n), SandboxItems.itemNumber(n), "InventoryImportJob");
                    }
                }
                // the targets' cycles run at once: both together take about as long as the slower one, not the sum
                long started = System.nanoTime();
                Map<String, CycleSummary> runs = CycleRunner.runCycles(rt.context(), "BENCH");
                double both = (System.nanoTime() - started) / 1e9;
                CycleSummary e = runs.get("erp");
                CycleSummary s = runs.get("storefront");
                long data = sf.log().count(x -> !x.path().equals(SandboxStorefront.TOKEN_PATH));
                int equal = 0;
                for (int n = 1; n <= ITEMS; n++) {
                    if (sf.amount(TwoTargetsTest.list(n), SandboxItems.itemNumber(n)) == TwoTargetsTest.wanted(n) && rt.lands(n, TwoTargetsTest.wanted(n))) {
                        equal++;
                    }
                }
                int parkedRows = rt.bean("exceptionQueue", ExceptionQueue.class).forTarget("storefront").list("OPEN").size();
                System.out.printf("| %s | %d | %.1f | %d | %d (%d rows) | %d | %d | %.3f | %d | %.1f | %.1f | %d of %d |%n", scenario, e.updated(),
                        e.durationMs() / 1000.0, s.updated(), s.parked(), parkedRows, s.conflicts(), data, (double) data / ITEMS,
                        sf.log().tokenRequests(), s.durationMs() / 1000.0, both, equal, ITEMS);
            }
        }
    }
}
