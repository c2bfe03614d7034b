package io.erpsync.bom;

import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bundles follow the bills of materials (README: Bundles), storefront.bundles.*: on only when the
 * setting targets names the storefront and storefront.bundles.enabled is true; then each mapped
 * bill's quantity changes go to its bundle's bundled products too; with by-item-number, an unmapped
 * bill's item number names its bundle.
 */
public record BundleSettings(boolean enabled, Map<Long, String> bundles, boolean byItemNumber) {

    public static BundleSettings from(Settings s) {
        boolean on = s.list("targets").contains("storefront") && s.flag("storefront.bundles.enabled");
        if (!on) {
            return new BundleSettings(false, Map.of(), false);
        }
        Map<Long, String> bundles = bundles(s.optional("storefront.bundles").orElse(""));
        boolean byItemNumber = s.flag("storefront.bundles.by-item-number");
        if (bundles.isEmpty() && !byItemNumber) {
            throw new StartupRefused("storefront.bundles.enabled is true, but storefront.bundles maps no bill to a bundle "
                    + "(bill_sequence_id:bundle_product_id, e.g. 300100:bundle-a, 300101:bundle-b) and "
                    + "storefront.bundles.by-item-number is false");
        }
        return new BundleSettings(true, bundles, byItemNumber);
    }

    /** {@code 300100:bundle-a, 300101:bundle-b}: each bill's bundle product id. */
    static Map<Long, String> bundles(String text) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.split(":", 2);
            Long bill = null;
            try {
                bill = kv.length == 2 ? Long.valueOf(kv[0].trim()) : null;
            } catch (NumberFormatException e) {
                // refused below
            }
            if (bill == null || kv[1].isBlank()) {
                throw new StartupRefused("storefront.bundles: '" + pair.trim() + "' is not bill_sequence_id:bundle_product_id "
                        + "(e.g. 300100:bundle-a)");
            }
            out.put(bill, kv[1].trim());
        }
        return Map.copyOf(out);
    }
}
