package io.erpsync.target.storefront;

import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;

import java.util.LinkedHashMap;
import java.util.Map;

/** The storefront as a target (application.properties: Storefront; README: Storefront). */
public record StorefrontSettings(String baseUrl, String clientId, String clientSecret, String tokenPath, InventoryLists lists,
                                 int maxPerSecond, int maxConcurrent, int lanes, long maxAnswerBytes) {

    public static StorefrontSettings from(Settings s) {
        return new StorefrontSettings(s.required("storefront.base-url"), s.required("storefront.client-id"),
                requiredSecret(s, "storefront.client-secret"), s.text("storefront.token-path"),
                inventoryLists(s.text("storefront.inventory-lists")), s.integer("storefront.max-requests-per-second"),
                s.integer("storefront.max-concurrent-requests"), s.integer("storefront.lanes"), s.bytes("storefront.max-answer-size"));
    }

    private static String requiredSecret(Settings s, String key) {
        String secret = s.secret(key);
        if (secret == null || secret.isBlank()) {
            throw new StartupRefused("targets names the storefront, but neither " + key + " nor " + key + "-file is set");
        }
        return secret;
    }

    /** {@code M1:inventory_m1, M2:inventory_m2}: each warehouse organization's inventory list. */
    static InventoryLists inventoryLists(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                String[] kv = pair.split(":", 2);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new StartupRefused("storefront.inventory-lists: '" + pair.trim() + "' is not organization:list_id "
                            + "(e.g. M1:inventory_m1, M2:inventory_m2)");
                }
                String org = kv[0].trim();
                String list = kv[1].trim();
                if (out.containsKey(org)) {
                    throw new StartupRefused("storefront.inventory-lists names organization " + org + " twice");
                }
                for (Map.Entry<String, String> e : out.entrySet()) {
                    if (e.getValue().equals(list)) {
                        // why: a record follows one item's stock; two organizations' rows would overwrite each other, never add up
                        throw new StartupRefused("storefront.inventory-lists maps both " + e.getKey() + " and " + org + " to " + list
                                + ": each record would take whichever organization's quantity came last; give each its own list");
                    }
                }
                out.put(org, list);
            }
        }
        if (out.isEmpty()) {
            throw new StartupRefused("targets names the storefront, but storefront.inventory-lists maps no organization to an "
                    + "inventory list (e.g. M1:inventory_m1, M2:inventory_m2)");
        }
        return new InventoryLists(out);
    }
}
