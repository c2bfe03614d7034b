package io.erpsync.target.storefront;

import io.erpsync.TestRuntime;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For each test a sandbox ERP of {@link #items()} items, a storefront sandbox with a record of amount 0
 * for each of them (on {@link #list(int)}) and a runtime configured for both targets (targets =
 * erp,storefront), not yet started: the test sets what it is about on {@link #rt} and starts it. All three
 * are closed after the test.
 */
abstract class TwoTargetsSandbox {
    protected SandboxErp erp;
    protected SandboxStorefront sf;
    protected TestRuntime rt;

    /** How many items both sandboxes hold. */
    protected abstract int items();

    /** The inventory list item n's record is on: the odd ones on M1's, the even ones on M2's. */
    static String list(int n) {
        return n % 2 == 1 ? "inventory_m1" : "inventory_m2";
    }

    @BeforeEach
    void twoTargets() throws Exception {
        erp = TestRuntime.sandbox(items());
        sf = new SandboxStorefront(new SandboxStorefront.Config()).start();
        for (int n = 1; n <= items(); n++) {
            sf.addRecord(list(n), SandboxItems.itemNumber(n), 0);
        }
        rt = new TestRuntime(erp).set("targets", "erp,storefront").set("storefront.base-url", sf.baseUrl())
                .set("storefront.client-id", "erp-sync").set("storefront.client-secret", "sandbox")
                .set("storefront.inventory-lists", "M1:inventory_m1, M2:inventory_m2")
                .set("storefront.max-requests-per-second", "10000")
                .set("sync.retry.initial-delay", "10ms").set("sync.retry.max-delay", "50ms");
    }

    @AfterEach
    void closeTwoTargets() {
        rt.close();
        sf.close();
        erp.close();
    }
}
