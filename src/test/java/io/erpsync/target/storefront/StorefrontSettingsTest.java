package io.erpsync.target.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.erpsync.config.StartupRefused;
import org.junit.jupiter.api.Test;

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
    void no_mapping_at_all_is_refused() {
        for (String empty : new String[] {null, "", " , "}) {
            assertEquals("targets names the storefront, but storefront.inventory-lists maps no organization to an inventory list "
                    + "(e.g. M1:inventory_m1, M2:inventory_m2)", assertThrows(StartupRefused.class, () -> StorefrontSettings.inventoryLists(empty))
                    .getMessage());
        }
    }
}
