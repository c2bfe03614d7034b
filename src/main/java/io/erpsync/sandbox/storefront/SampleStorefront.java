package io.erpsync.sandbox.storefront;

import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.SandboxItems;

import java.util.Map;

/**
 * The storefront sandbox's records for the dev profile and --sandbox storefront: one inventory record
 * per sandbox item (odd items in inventory_m1 for organization M1, even ones in inventory_m2 for M2, as
 * the sandbox ERP and the sample warehouse seed them), at the ERP sandbox's quantity when there is one.
 */
public final class SampleStorefront {
    public static final String LISTS = "M1:inventory_m1, M2:inventory_m2";

    private SampleStorefront() {
    }

    public static String list(int n) {
        return n % 2 == 1 ? "inventory_m1" : "inventory_m2";
    }

    /** Records for items 1 .. the ERP sandbox's items, each at the ERP's quantity. */
    public static void seed(SandboxStorefront sf, SandboxErp erp) {
        for (int n = 1; n <= erp.itemCount(); n++) {
            Map<String, Object> item = erp.item(SandboxItems.itemNumber(n), n % 2 == 1 ? "M1" : "M2");
            long amount = item == null ? 0 : Math.round(Double.parseDouble(String.valueOf(item.get("OnhandQuantity"))));
            sf.addRecord(list(n), SandboxItems.itemNumber(n), amount);
        }
    }

    /** {@code records} records, items 1 .. records, each at 0. */
    public static void seed(SandboxStorefront sf, int records) {
        for (int n = 1; n <= records; n++) {
            sf.addRecord(list(n), SandboxItems.itemNumber(n), 0);
        }
    }
}
