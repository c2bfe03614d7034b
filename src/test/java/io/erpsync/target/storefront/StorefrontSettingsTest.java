package io.erpsync.target.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.config.TestSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

class StorefrontSettingsTest {

    @Test
    void each_organization_maps_to_its_inventory_list() {
        assertEquals(Map.of("M1", "inventory_m1", "M2", "inventory_m2"),
                StorefrontSettings.inventoryLists(" M1:inventory_m1, M2 : inventory_m2 ,").byOrganization());
    }

    @Test
    void a_mapping_that_is_not_organization_colon_list_is_refused_naming_the_pair() {
        assertEquals("storefront.inventory-lists: 'M2' is not organization:list_id (e.g. M1:inventory_m1, M2:inventory_m2)",
                assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists("M1:inventory_m1, M2")).getMessage());
        assertEquals("storefront.inventory-lists: 'M2:' is not organization:list_id (e.g. M1:inventory_m1, M2:inventory_m2)",
                assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists("M2:")).getMessage());
        assertEquals("storefront.inventory-lists: ':x' is not organization:list_id (e.g. M1:inventory_m1, M2:inventory_m2)",
                assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists(":x")).getMessage());
    }

    @Test
    void an_organization_named_twice_or_two_organizations_on_one_list_are_refused() {
        assertEquals("storefront.inventory-lists names organization M1 twice",
                assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists("M1:inventory_m1, M1:inventory_m2")).getMessage());
        assertEquals("storefront.inventory-lists maps both M1 and M2 to inventory_m1: each record would take whichever organization's "
                + "quantity came last; give each its own list",
                assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists("M1:inventory_m1, M2:inventory_m1")).getMessage());
    }

    @Test
    void no_mapping_at_all_is_refused() {
        for (String empty : new String[] {null, "", " , "}) {
            assertEquals("targets names the storefront, but storefront.inventory-lists maps no organization to an inventory list "
                    + "(e.g. M1:inventory_m1, M2:inventory_m2)", assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists(empty))
                    .getMessage());
        }
    }

    static Settings settings(Map<String, String> values) {
        return TestSettings.of(values);
    }

    static Map<String, String> complete(String secret) {
        Map<String, String> m = new HashMap<>(Map.of("storefront.base-url", "http://shop", "storefront.client-id", "erp-sync",
                "storefront.token-path", "/dw/oauth2/access_token", "storefront.inventory-lists", "M1:inventory_m1",
                "storefront.max-requests-per-second", "20", "storefront.max-concurrent-requests", "4", "storefront.lanes", "3",
                "storefront.max-answer-size", "1MB"));
        m.put("storefront.client-secret", secret);
        m.put("storefront.client-secret-file", "");
        return m;
    }

    @Test
    void the_settings_as_an_operator_writes_them() {
        StorefrontSettings s = StorefrontSettings.from(settings(complete("s3cret")));
        assertEquals(new StorefrontSettings("http://shop", "erp-sync", "s3cret", "/dw/oauth2/access_token",
                new InventoryLists(Map.of("M1", "inventory_m1")), 20, 4, 3, 1L << 20), s);
    }

    @Test
    void a_storefront_without_its_client_secret_is_refused_naming_both_settings() {
        for (String missing : new String[] {"", " "}) {
            assertEquals("targets names the storefront, but neither storefront.client-secret nor storefront.client-secret-file is set",
                    assertThrows(StartupRefused.class, () -> StorefrontSettings.from(settings(complete(missing)))).getMessage());
        }
    }
}
